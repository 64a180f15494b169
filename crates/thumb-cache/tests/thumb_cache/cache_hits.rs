use std::time::Duration;

use axum::http::StatusCode;
use axum::Router;
use thumb_cache::{ThumbCache, ThumbConfig, ThumbError};

use crate::pictures::jpeg;
use crate::server::{dir_entries, new_cache, serve, serve_status, test_config, TestServer};

#[tokio::test]
async fn second_get_hits_memory() {
    let server =
        TestServer::start(Router::new().route("/p.jpg", serve("image/jpeg", jpeg(640, 480)))).await;
    let dir = tempfile::tempdir().unwrap();
    let cache = new_cache(dir.path());
    let url = server.url("/p.jpg");

    let first = cache.get(&url).await.unwrap();
    let second = cache.get(&url).await.unwrap();

    assert_eq!(first, second);
    assert_eq!(server.hits("/p.jpg"), 1);
    let stats = cache.stats();
    assert_eq!(stats.downloads_started, 1);
    assert_eq!(stats.memory_hits, 1);
    assert_eq!(stats.disk_hits, 0);
}

#[tokio::test]
async fn new_cache_hits_disk() {
    let server =
        TestServer::start(Router::new().route("/p.jpg", serve("image/jpeg", jpeg(640, 480)))).await;
    let dir = tempfile::tempdir().unwrap();
    let url = server.url("/p.jpg?token=abc");
    let first = new_cache(dir.path()).get(&url).await.unwrap();

    let reopened = new_cache(dir.path());
    let second = reopened.get(&url).await.unwrap();

    assert_eq!(first, second);
    assert_eq!(server.hits("/p.jpg"), 1);
    let stats = reopened.stats();
    assert_eq!(stats.disk_hits, 1);
    assert_eq!(stats.downloads_started, 0);
    let files = dir_entries(dir.path());
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(files[0].ends_with(".jpg"), "{files:?}");
}

#[tokio::test]
async fn damaged_cache_file_fetched_again() {
    let server =
        TestServer::start(Router::new().route("/p.jpg", serve("image/jpeg", jpeg(640, 480)))).await;
    let dir = tempfile::tempdir().unwrap();
    let url = server.url("/p.jpg");
    let first = new_cache(dir.path()).get(&url).await.unwrap();
    let file = dir.path().join(&dir_entries(dir.path())[0]);
    std::fs::write(&file, &first.bytes[..first.bytes.len() / 2]).unwrap();

    let reopened = new_cache(dir.path());
    let second = reopened.get(&url).await.unwrap();

    assert_eq!(first, second);
    assert_eq!(server.hits("/p.jpg"), 2);
    assert_eq!(reopened.stats().disk_hits, 0);
    assert_eq!(std::fs::read(&file).unwrap(), first.bytes.to_vec());
}

#[tokio::test]
async fn leftover_temp_files_deleted_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let leftover = dir.path().join(format!("{}.123-0.part", "ab".repeat(32)));
    std::fs::write(&leftover, b"half a picture").unwrap();

    let foreign = dir.path().join("notes.part");
    std::fs::write(&foreign, b"not ours").unwrap();

    let _cache = new_cache(dir.path());

    assert!(!leftover.exists());
    assert!(foreign.exists(), "files not named after a cache key stay");
}

#[tokio::test]
async fn failure_remembered_until_retry_time() {
    let server =
        TestServer::start(Router::new().route("/gone.jpg", serve_status(StatusCode::NOT_FOUND)))
            .await;
    let dir = tempfile::tempdir().unwrap();
    let cache = new_cache(dir.path());
    let url = server.url("/gone.jpg");

    for _ in 0..5 {
        let error = cache.get(&url).await.unwrap_err();
        assert_eq!(
            error,
            ThumbError::HttpStatus {
                url: url.clone(),
                status: 404
            }
        );
    }

    assert_eq!(server.hits("/gone.jpg"), 1);
    let stats = cache.stats();
    assert_eq!(stats.failures, 1);
    assert_eq!(stats.remembered_failures, 4);
}

#[tokio::test]
async fn failure_retried_after_retry_time() {
    let server =
        TestServer::start(Router::new().route("/gone.jpg", serve_status(StatusCode::NOT_FOUND)))
            .await;
    let dir = tempfile::tempdir().unwrap();
    let config = ThumbConfig {
        failure_retry_after: Duration::from_millis(50),
        ..test_config(dir.path())
    };
    let cache = ThumbCache::new(config).unwrap();
    let url = server.url("/gone.jpg");

    cache.get(&url).await.unwrap_err();
    tokio::time::sleep(Duration::from_millis(100)).await;
    cache.get(&url).await.unwrap_err();

    assert_eq!(server.hits("/gone.jpg"), 2);
}

#[tokio::test]
async fn zero_concurrency_config_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let config = ThumbConfig {
        per_host_concurrency: 0,
        ..test_config(dir.path())
    };

    let error = ThumbCache::new(config).unwrap_err();

    assert!(
        matches!(
            error,
            ThumbError::InvalidConfig {
                field: "per_host_concurrency",
                ..
            }
        ),
        "{error}"
    );
}
