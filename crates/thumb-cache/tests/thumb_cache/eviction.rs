use axum::Router;
use thumb_cache::{ThumbCache, ThumbConfig};

use crate::pictures::{jpeg, solid_jpeg};
use crate::server::{dir_bytes, dir_entries, serve, test_config, TestServer};

#[tokio::test]
async fn eviction_keeps_dir_under_cap() {
    let mut router = Router::new();
    for index in 0..12 {
        router = router.route(
            &format!("/p{index}.jpg"),
            serve("image/jpeg", jpeg(600 + index * 10, 400)),
        );
    }
    let server = TestServer::start(router).await;
    let dir = tempfile::tempdir().unwrap();
    let max_cache_bytes = 40_000;
    let config = ThumbConfig {
        max_cache_bytes,
        ..test_config(dir.path())
    };
    let cache = ThumbCache::new(config).unwrap();

    let mut stored_bytes = 0;
    for index in 0..12 {
        let thumb = cache
            .get(&server.url(&format!("/p{index}.jpg")))
            .await
            .unwrap();
        stored_bytes += thumb.bytes.len() as u64;
        assert!(
            dir_bytes(dir.path()) <= max_cache_bytes,
            "after picture {index}"
        );
    }

    assert!(
        stored_bytes > max_cache_bytes,
        "the test must store more than the cap"
    );
    let files = dir_entries(dir.path());
    assert!(files.len() < 12, "{files:?}");
    assert!(files.len() >= 2, "{files:?}");
}

#[tokio::test]
async fn least_recently_used_file_evicted() {
    let colors = [[200, 0, 0], [0, 200, 0], [0, 0, 200], [200, 200, 0]];
    let mut router = Router::new();
    for (index, color) in colors.iter().enumerate() {
        router = router.route(
            &format!("/c{index}.jpg"),
            serve("image/jpeg", solid_jpeg(400, 400, *color)),
        );
    }
    let server = TestServer::start(router).await;

    // Measure the thumbnail sizes in a throwaway cache first.
    let probe_dir = tempfile::tempdir().unwrap();
    let probe = ThumbCache::new(test_config(probe_dir.path())).unwrap();
    let mut sizes = Vec::new();
    for index in 0..colors.len() {
        let thumb = probe
            .get(&server.url(&format!("/c{index}.jpg")))
            .await
            .unwrap();
        sizes.push(thumb.bytes.len() as u64);
    }

    // Room for the first three and half of any other, so the fourth evicts exactly one file.
    let smallest = *sizes.iter().min().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let config = ThumbConfig {
        max_cache_bytes: sizes[0] + sizes[1] + sizes[2] + smallest / 2,
        ..test_config(dir.path())
    };
    let cache = ThumbCache::new(config).unwrap();
    for index in 0..3 {
        cache
            .get(&server.url(&format!("/c{index}.jpg")))
            .await
            .unwrap();
    }
    cache.get(&server.url("/c0.jpg")).await.unwrap();
    cache.get(&server.url("/c3.jpg")).await.unwrap();

    let reopened = ThumbCache::new(test_config(dir.path())).unwrap();
    for index in [0, 2, 3] {
        reopened
            .get(&server.url(&format!("/c{index}.jpg")))
            .await
            .unwrap();
    }
    assert_eq!(reopened.stats().disk_hits, 3);
    reopened.get(&server.url("/c1.jpg")).await.unwrap();
    assert_eq!(reopened.stats().downloads_started, 1, "c1 was evicted");
}

#[tokio::test]
async fn smaller_cap_evicts_on_open() {
    let mut router = Router::new();
    for index in 0..6 {
        router = router.route(
            &format!("/p{index}.jpg"),
            serve("image/jpeg", jpeg(500, 500 + index * 10)),
        );
    }
    let server = TestServer::start(router).await;
    let dir = tempfile::tempdir().unwrap();
    let cache = ThumbCache::new(test_config(dir.path())).unwrap();
    for index in 0..6 {
        cache
            .get(&server.url(&format!("/p{index}.jpg")))
            .await
            .unwrap();
    }
    let full_bytes = dir_bytes(dir.path());

    let max_cache_bytes = full_bytes / 2;
    let config = ThumbConfig {
        max_cache_bytes,
        ..test_config(dir.path())
    };
    let _reopened = ThumbCache::new(config).unwrap();

    assert!(dir_bytes(dir.path()) <= max_cache_bytes);
    assert!(!dir_entries(dir.path()).is_empty());
}
