//! Faults of image servers that the other failure tests leave out: bodies that never finish,
//! servers that never respond, a JPEG cut just before its end marker, a scheme change in the
//! middle of a redirect chain, and many requests at once for one broken picture.
//!
//! Each failure must reach the caller as an error, which the app shows as the placeholder, and
//! must leave nothing in the disk cache.

use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use axum::routing::{get, MethodRouter};
use axum::Router;
use thumb_cache::{ThumbCache, ThumbConfig, ThumbError};

use crate::pictures::jpeg;
use crate::server::{dir_entries, redirect_to, serve_after, test_config, TestServer};

const REQUEST_TIMEOUT: Duration = Duration::from_secs(1);

/// Bound of the whole test, so a missing timeout fails the test instead of hanging it.
const TEST_LIMIT: Duration = Duration::from_secs(10);

fn fault_config(dir: &std::path::Path) -> ThumbConfig {
    ThumbConfig {
        request_timeout: REQUEST_TIMEOUT,
        ..test_config(dir)
    }
}

/// Route that declares `declared_length` bytes, sends `first_part` and then nothing, forever.
fn serve_stalled(first_part: Vec<u8>, declared_length: usize) -> MethodRouter {
    let first_part = Bytes::from(first_part);
    get(move || {
        let first_part = first_part.clone();
        async move {
            let head =
                futures_util::stream::once(async move { Ok::<_, std::io::Error>(first_part) });
            let body = Body::from_stream(futures_util::StreamExt::chain(
                head,
                futures_util::stream::pending(),
            ));
            (
                [
                    (CONTENT_TYPE, "image/jpeg".to_owned()),
                    (CONTENT_LENGTH, declared_length.to_string()),
                ],
                body,
            )
        }
    })
}

#[tokio::test]
async fn stalled_body_times_out() {
    let whole = jpeg(400, 300);
    let stalled = serve_stalled(whole[..whole.len() / 3].to_vec(), whole.len());
    let server = TestServer::start(Router::new().route("/stalled.jpg", stalled)).await;
    let dir = tempfile::tempdir().unwrap();
    let cache = ThumbCache::new(fault_config(dir.path())).unwrap();

    let started = Instant::now();
    let error = tokio::time::timeout(TEST_LIMIT, cache.get(&server.url("/stalled.jpg")))
        .await
        .expect("the fetch ended within the test limit")
        .unwrap_err();
    let elapsed = started.elapsed();

    assert_eq!(
        error,
        ThumbError::TimedOut {
            url: server.url("/stalled.jpg"),
            stage: "fetching",
            after: REQUEST_TIMEOUT
        }
    );
    assert!(elapsed >= REQUEST_TIMEOUT, "ended after {elapsed:?}");
    assert!(elapsed < REQUEST_TIMEOUT * 3, "ended after {elapsed:?}");
    assert!(dir_entries(dir.path()).is_empty());
}

#[tokio::test]
async fn server_without_response_times_out() {
    // Accepts connections and reads nothing, so the request never gets a status line.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let accept_loop = tokio::spawn(async move {
        let mut sockets = Vec::new();
        loop {
            let (socket, _) = listener.accept().await.unwrap();
            sockets.push(socket);
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let cache = ThumbCache::new(fault_config(dir.path())).unwrap();
    let url = format!("http://{address}/silent.jpg");

    let started = Instant::now();
    let error = tokio::time::timeout(TEST_LIMIT, cache.get(&url))
        .await
        .expect("the fetch ended within the test limit")
        .unwrap_err();
    let elapsed = started.elapsed();

    assert_eq!(
        error,
        ThumbError::TimedOut {
            url: url.clone(),
            stage: "fetching",
            after: REQUEST_TIMEOUT
        }
    );
    assert!(elapsed < REQUEST_TIMEOUT * 3, "ended after {elapsed:?}");
    assert!(dir_entries(dir.path()).is_empty());
    accept_loop.abort();
}

#[tokio::test]
async fn jpeg_without_end_marker_rejected() {
    let whole = jpeg(320, 240);
    assert_eq!(
        &whole[whole.len() - 2..],
        &[0xFF, 0xD9],
        "the test JPEG ends with EOI"
    );
    let cut = whole[..whole.len() - 2].to_vec();
    let server = TestServer::start(
        Router::new().route("/cut.jpg", serve_after(Duration::ZERO, "image/jpeg", cut)),
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let cache = ThumbCache::new(fault_config(dir.path())).unwrap();

    let error = cache.get(&server.url("/cut.jpg")).await.unwrap_err();

    assert!(matches!(error, ThumbError::Decode { .. }), "{error}");
    assert!(error.to_string().contains("end-of-image"), "{error}");
    assert!(dir_entries(dir.path()).is_empty());
}

#[tokio::test]
async fn scheme_change_mid_chain_rejected() {
    let router = Router::new()
        .route("/hop/2", redirect_to("/hop/1"))
        .route("/hop/1", redirect_to("file:///etc/passwd"));
    let server = TestServer::start(router).await;
    let dir = tempfile::tempdir().unwrap();
    let cache = ThumbCache::new(fault_config(dir.path())).unwrap();

    let error = cache.get(&server.url("/hop/2")).await.unwrap_err();

    assert!(
        matches!(&error, ThumbError::RedirectScheme { scheme, .. } if scheme == "file"),
        "{error}"
    );
    assert_eq!(server.hits("/hop/2"), 1);
    assert_eq!(server.hits("/hop/1"), 1);
    assert!(dir_entries(dir.path()).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_broken_gets_share_one_request() {
    let page = b"<!DOCTYPE html><html><body>Please log in</body></html>".to_vec();
    let broken = serve_after(Duration::from_millis(300), "image/jpeg", page);
    let server = TestServer::start(Router::new().route("/p.jpg", broken)).await;
    let dir = tempfile::tempdir().unwrap();
    let cache = ThumbCache::new(fault_config(dir.path())).unwrap();
    let url = server.url("/p.jpg");

    let mut tasks = Vec::new();
    for _ in 0..600 {
        let cache = cache.clone();
        let url = url.clone();
        tasks.push(tokio::spawn(async move { cache.get(&url).await }));
    }
    let mut errors = Vec::new();
    for task in tasks {
        errors.push(task.await.unwrap().unwrap_err());
    }

    assert_eq!(server.hits("/p.jpg"), 1);
    assert!(
        errors
            .iter()
            .all(|error| matches!(error, ThumbError::NotAnImage { .. })),
        "{:?}",
        errors
            .iter()
            .find(|error| !matches!(error, ThumbError::NotAnImage { .. }))
    );
    let stats = cache.stats();
    assert_eq!(stats.downloads_started, 1);
    assert_eq!(stats.memory_hits, 0);
    assert!(dir_entries(dir.path()).is_empty());
}
