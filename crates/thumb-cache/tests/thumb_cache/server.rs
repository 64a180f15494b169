//! HTTP test server on 127.0.0.1 that counts requests.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header::{CONTENT_TYPE, LOCATION};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, MethodRouter};
use axum::Router;
use thumb_cache::{ThumbCache, ThumbConfig};

/// Request counts of one test server.
#[derive(Debug, Default)]
pub struct RequestLog {
    by_path: Mutex<HashMap<String, usize>>,
    running: AtomicUsize,
    max_running: AtomicUsize,
}

pub struct TestServer {
    address: SocketAddr,
    log: Arc<RequestLog>,
}

impl TestServer {
    /// Serves `router` on a free loopback port until the test's runtime stops.
    pub async fn start(router: Router) -> Self {
        let log = Arc::new(RequestLog::default());
        let router = router.layer(middleware::from_fn_with_state(
            Arc::clone(&log),
            count_request,
        ));

        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        tokio::spawn(async move {
            axum::serve(listener, router).await.unwrap();
        });

        Self { address, log }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.address, path)
    }

    /// Number of requests for `path` so far.
    pub fn hits(&self, path: &str) -> usize {
        let by_path = self.log.by_path.lock().unwrap();
        by_path.get(path).copied().unwrap_or(0)
    }

    pub fn total_hits(&self) -> usize {
        self.log.by_path.lock().unwrap().values().sum()
    }

    /// Largest number of requests whose handlers ran at the same time.
    pub fn max_concurrent(&self) -> usize {
        self.log.max_running.load(Ordering::SeqCst)
    }
}

async fn count_request(
    State(log): State<Arc<RequestLog>>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_owned();
    *log.by_path.lock().unwrap().entry(path).or_default() += 1;

    let running = log.running.fetch_add(1, Ordering::SeqCst) + 1;
    log.max_running.fetch_max(running, Ordering::SeqCst);
    let response = next.run(request).await;
    log.running.fetch_sub(1, Ordering::SeqCst);

    response
}

/// Route that returns `body` with `content_type`.
pub fn serve(content_type: &'static str, body: Vec<u8>) -> MethodRouter {
    serve_after(Duration::ZERO, content_type, body)
}

/// Route that waits `delay` and then returns `body` with `content_type`.
pub fn serve_after(delay: Duration, content_type: &'static str, body: Vec<u8>) -> MethodRouter {
    let body = Bytes::from(body);
    get(move || {
        let body = body.clone();
        async move {
            tokio::time::sleep(delay).await;
            ([(CONTENT_TYPE, content_type)], body)
        }
    })
}

/// Route that responds with `status` and a short HTML page.
pub fn serve_status(status: StatusCode) -> MethodRouter {
    get(move || async move {
        (
            status,
            [(CONTENT_TYPE, "text/html")],
            "<html><body>error</body></html>",
        )
    })
}

/// Route that redirects to `location`.
pub fn redirect_to(location: &'static str) -> MethodRouter {
    get(move || async move { (StatusCode::FOUND, [(LOCATION, location)]).into_response() })
}

/// Route that sends `chunk` every `interval`, `count` times, without a Content-Length.
pub fn serve_stream(
    content_type: &'static str,
    chunk: Vec<u8>,
    interval: Duration,
    count: usize,
    sent_bytes: Arc<AtomicUsize>,
) -> MethodRouter {
    let chunk = Bytes::from(chunk);
    get(move || {
        let chunk = chunk.clone();
        let sent_bytes = Arc::clone(&sent_bytes);
        async move {
            let stream = futures_util::stream::unfold(0, move |sent| {
                let chunk = chunk.clone();
                let sent_bytes = Arc::clone(&sent_bytes);
                async move {
                    if sent == count {
                        return None;
                    }
                    tokio::time::sleep(interval).await;
                    sent_bytes.fetch_add(chunk.len(), Ordering::SeqCst);
                    Some((Ok::<_, std::io::Error>(chunk), sent + 1))
                }
            });
            ([(CONTENT_TYPE, content_type)], Body::from_stream(stream))
        }
    })
}

/// Config for tests: the given cache directory and short timeouts.
pub fn test_config(cache_dir: &std::path::Path) -> ThumbConfig {
    ThumbConfig {
        cache_dir: cache_dir.to_owned(),
        connect_timeout: Duration::from_secs(2),
        request_timeout: Duration::from_secs(5),
        ..ThumbConfig::default()
    }
}

pub fn new_cache(cache_dir: &std::path::Path) -> ThumbCache {
    ThumbCache::new(test_config(cache_dir)).unwrap()
}

/// Names of all entries in `dir`, temp files included.
pub fn dir_entries(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Sum of the sizes of the files in `dir`.
pub fn dir_bytes(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().metadata().unwrap().len())
        .sum()
}
