use std::io::Cursor;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use axum::Router;
use image::ImageReader;
use thumb_cache::{ThumbCache, ThumbConfig, ThumbError};

use crate::pictures::{jpeg, png_declaring, transparent_png};
use crate::server::{
    dir_entries, redirect_to, serve, serve_status, serve_stream, test_config, TestServer,
};

const MAX_DOWNLOAD_BYTES: u64 = 1024 * 1024;
const REQUEST_TIMEOUT: Duration = Duration::from_secs(1);

/// Query that an error message must never repeat.
const SECRET_QUERY: &str = "?token=SECRET-42";

fn failure_config(dir: &std::path::Path) -> ThumbConfig {
    ThumbConfig {
        max_download_bytes: MAX_DOWNLOAD_BYTES,
        request_timeout: REQUEST_TIMEOUT,
        ..test_config(dir)
    }
}

/// Fetches `url` with a fresh cache and returns the error and the entries left in its directory.
async fn fetch_error(url: &str) -> (ThumbError, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let cache = ThumbCache::new(failure_config(dir.path())).unwrap();

    let error = cache.get(url).await.expect_err(url);

    assert!(!error.to_string().contains("SECRET"), "{url}: {error}");
    (error, dir_entries(dir.path()))
}

#[tokio::test]
async fn non_http_schemes_rejected() {
    let cases = [
        ("file:///etc/passwd", "file"),
        ("data:image/png;base64,iVBORw0KGgo=", "data"),
        ("javascript:alert(1)", "javascript"),
        ("ftp://127.0.0.1/p.jpg", "ftp"),
    ];

    for (url, expected_scheme) in cases {
        let (error, entries) = fetch_error(url).await;

        assert_eq!(
            error,
            ThumbError::UnsupportedScheme {
                scheme: expected_scheme.to_owned()
            },
            "{url}"
        );
        assert!(entries.is_empty(), "{url}: {entries:?}");
    }
}

#[tokio::test]
async fn relative_url_rejected() {
    let (error, entries) = fetch_error("/images/p.jpg?token=SECRET").await;

    assert!(matches!(error, ThumbError::InvalidUrl { .. }), "{error}");
    assert!(entries.is_empty(), "{entries:?}");
}

#[tokio::test]
async fn error_statuses_rejected() {
    let router = Router::new()
        .route("/missing.jpg", serve_status(StatusCode::NOT_FOUND))
        .route(
            "/broken.jpg",
            serve_status(StatusCode::INTERNAL_SERVER_ERROR),
        );
    let server = TestServer::start(router).await;

    for (path, expected_status) in [("/missing.jpg", 404), ("/broken.jpg", 500)] {
        let (error, entries) = fetch_error(&server.url(&format!("{path}{SECRET_QUERY}"))).await;

        assert_eq!(
            error,
            ThumbError::HttpStatus {
                url: server.url(path),
                status: expected_status
            }
        );
        assert!(entries.is_empty(), "{path}: {entries:?}");
    }
}

#[tokio::test]
async fn html_served_as_jpeg_rejected() {
    let page = b"<!DOCTYPE html><html><body>Please log in</body></html>".to_vec();
    let server = TestServer::start(Router::new().route("/p.jpg", serve("image/jpeg", page))).await;

    let (error, entries) = fetch_error(&server.url(&format!("/p.jpg{SECRET_QUERY}"))).await;

    assert!(matches!(error, ThumbError::NotAnImage { .. }), "{error}");
    assert!(entries.is_empty(), "{entries:?}");
}

#[tokio::test]
async fn picture_served_as_html_rejected() {
    let server = TestServer::start(
        Router::new().route("/p.jpg", serve("text/html; charset=utf-8", jpeg(100, 100))),
    )
    .await;

    let (error, entries) = fetch_error(&server.url("/p.jpg")).await;

    assert!(
        matches!(error, ThumbError::UnexpectedContentType { .. }),
        "{error}"
    );
    assert!(entries.is_empty(), "{entries:?}");
}

#[tokio::test]
async fn unsupported_format_rejected() {
    // Little-endian TIFF signature, which `image` recognizes but this crate does not decode.
    let mut tiff = b"II*\0".to_vec();
    tiff.resize(64, 0);
    let server = TestServer::start(Router::new().route("/p.tif", serve("image/tiff", tiff))).await;

    let (error, entries) = fetch_error(&server.url("/p.tif")).await;

    assert!(
        matches!(error, ThumbError::UnsupportedFormat { .. }),
        "{error}"
    );
    assert!(entries.is_empty(), "{entries:?}");
}

#[tokio::test]
async fn truncated_pictures_rejected() {
    let whole_jpeg = jpeg(800, 600);
    let whole_png = transparent_png(300, 300);
    let router = Router::new()
        .route(
            "/cut.jpg",
            serve("image/jpeg", whole_jpeg[..whole_jpeg.len() / 2].to_vec()),
        )
        .route(
            "/cut.png",
            serve("image/png", whole_png[..whole_png.len() / 2].to_vec()),
        );
    let server = TestServer::start(router).await;

    for path in ["/cut.jpg", "/cut.png"] {
        let (error, entries) = fetch_error(&server.url(path)).await;

        assert!(
            matches!(error, ThumbError::Decode { .. }),
            "{path}: {error}"
        );
        assert!(entries.is_empty(), "{path}: {entries:?}");
    }
}

#[tokio::test]
async fn decompression_bomb_rejected_before_decoding() {
    let bomb = png_declaring(30_000, 30_000);
    let header = ImageReader::new(Cursor::new(&bomb))
        .with_guessed_format()
        .unwrap();
    assert_eq!(
        header.into_dimensions().unwrap(),
        (30_000, 30_000),
        "the bomb header must parse"
    );
    assert!(
        bomb.len() < 100,
        "the bomb must be small, is {} bytes",
        bomb.len()
    );
    let server =
        TestServer::start(Router::new().route("/bomb.png", serve("image/png", bomb))).await;

    let started = Instant::now();
    let (error, entries) = fetch_error(&server.url("/bomb.png")).await;

    assert_eq!(
        error,
        ThumbError::TooManyPixels {
            url: server.url("/bomb.png"),
            width: 30_000,
            height: 30_000,
            max_pixels: 40_000_000
        }
    );
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "took {:?}",
        started.elapsed()
    );
    assert!(entries.is_empty(), "{entries:?}");
}

#[tokio::test]
async fn declared_length_over_limit_rejected() {
    let body = vec![0xAB; 2 * MAX_DOWNLOAD_BYTES as usize];
    let server =
        TestServer::start(Router::new().route("/big.jpg", serve("image/jpeg", body))).await;

    let (error, entries) = fetch_error(&server.url("/big.jpg")).await;

    assert_eq!(
        error,
        ThumbError::TooLarge {
            url: server.url("/big.jpg"),
            size: 2 * MAX_DOWNLOAD_BYTES,
            limit: MAX_DOWNLOAD_BYTES
        }
    );
    assert!(entries.is_empty(), "{entries:?}");
}

#[tokio::test]
async fn streamed_body_over_limit_stopped() {
    let chunk_size = 64 * 1024;
    let chunk_count = 1024;
    let sent_bytes = Arc::new(AtomicUsize::new(0));
    let endless = serve_stream(
        "image/jpeg",
        vec![0xAB; chunk_size],
        Duration::ZERO,
        chunk_count,
        Arc::clone(&sent_bytes),
    );
    let server = TestServer::start(Router::new().route("/endless.jpg", endless)).await;

    let (error, entries) = fetch_error(&server.url("/endless.jpg")).await;

    match &error {
        ThumbError::TooLarge { size, limit, .. } => {
            assert_eq!(*limit, MAX_DOWNLOAD_BYTES);
            assert!(
                *size > MAX_DOWNLOAD_BYTES && *size <= MAX_DOWNLOAD_BYTES + chunk_size as u64,
                "size {size}"
            );
        }
        other => panic!("expected TooLarge, got {other}"),
    }
    assert!(entries.is_empty(), "{entries:?}");

    // Socket buffers take some megabytes after the client stops, but not the whole stream.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let sent = sent_bytes.load(Ordering::SeqCst);
    assert!(
        sent < chunk_size * chunk_count / 4,
        "server sent {sent} bytes"
    );
}

#[tokio::test]
async fn trickling_body_times_out() {
    let trickle = serve_stream(
        "image/jpeg",
        vec![0xFF],
        Duration::from_millis(100),
        100,
        Arc::new(AtomicUsize::new(0)),
    );
    let server = TestServer::start(Router::new().route("/slow.jpg", trickle)).await;

    let started = Instant::now();
    let (error, entries) = fetch_error(&server.url("/slow.jpg")).await;
    let elapsed = started.elapsed();

    assert_eq!(
        error,
        ThumbError::TimedOut {
            url: server.url("/slow.jpg"),
            stage: "fetching",
            after: REQUEST_TIMEOUT
        }
    );
    assert!(elapsed >= REQUEST_TIMEOUT, "ended after {elapsed:?}");
    assert!(elapsed < REQUEST_TIMEOUT * 3, "ended after {elapsed:?}");
    assert!(entries.is_empty(), "{entries:?}");
}

#[tokio::test]
async fn redirect_to_other_scheme_rejected() {
    let cases = [
        ("/to-file", "file:///etc/passwd", "file"),
        ("/to-ftp", "ftp://127.0.0.1/p.jpg", "ftp"),
        ("/to-javascript", "javascript:alert(1)", "javascript"),
        ("/to-data", "data:image/png;base64,iVBORw0KGgo=", "data"),
    ];
    let mut router = Router::new();
    for (path, location, _) in cases {
        router = router.route(path, redirect_to(location));
    }
    let server = TestServer::start(router).await;

    for (path, _, expected_scheme) in cases {
        let (error, entries) = fetch_error(&server.url(&format!("{path}{SECRET_QUERY}"))).await;

        assert_eq!(
            error,
            ThumbError::RedirectScheme {
                url: server.url(path),
                scheme: expected_scheme.to_owned()
            },
            "{path}"
        );
        assert!(entries.is_empty(), "{path}: {entries:?}");
    }
}

#[tokio::test]
async fn fourth_redirect_rejected() {
    let router = Router::new()
        .route("/hop/4", redirect_to("/hop/3"))
        .route("/hop/3", redirect_to("/hop/2"))
        .route("/hop/2", redirect_to("/hop/1"))
        .route("/hop/1", redirect_to("/p.jpg"))
        .route("/p.jpg", serve("image/jpeg", jpeg(100, 100)));
    let server = TestServer::start(router).await;

    let (error, entries) = fetch_error(&server.url("/hop/4")).await;

    assert_eq!(
        error,
        ThumbError::TooManyRedirects {
            url: server.url("/hop/4"),
            max: 3
        }
    );
    assert_eq!(server.total_hits(), 4);
    assert_eq!(server.hits("/p.jpg"), 0);
    assert!(entries.is_empty(), "{entries:?}");
}

#[tokio::test]
async fn refused_connection_reported() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);

    let (error, entries) = fetch_error(&format!("http://{address}/p.jpg{SECRET_QUERY}")).await;

    match &error {
        ThumbError::Network { url, cause } => {
            assert_eq!(url, &format!("http://{address}/p.jpg"));
            assert!(cause.to_lowercase().contains("refused"), "{cause}");
        }
        other => panic!("expected Network, got {other}"),
    }
    assert!(entries.is_empty(), "{entries:?}");
}
