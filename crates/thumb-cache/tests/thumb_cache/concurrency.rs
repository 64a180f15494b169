use std::time::Duration;

use axum::Router;

use crate::pictures::jpeg;
use crate::server::{new_cache, serve_after, TestServer};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_gets_share_one_request() {
    let picture = serve_after(Duration::from_millis(300), "image/jpeg", jpeg(640, 480));
    let server = TestServer::start(Router::new().route("/p.jpg", picture)).await;
    let dir = tempfile::tempdir().unwrap();
    let cache = new_cache(dir.path());
    let url = server.url("/p.jpg");

    let mut tasks = Vec::new();
    for _ in 0..600 {
        let cache = cache.clone();
        let url = url.clone();
        tasks.push(tokio::spawn(async move { cache.get(&url).await }));
    }
    let mut thumbs = Vec::new();
    for task in tasks {
        thumbs.push(task.await.unwrap().unwrap());
    }

    assert_eq!(server.hits("/p.jpg"), 1);
    assert!(thumbs.iter().all(|thumb| *thumb == thumbs[0]));
    assert_eq!(cache.stats().downloads_started, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn per_host_fetches_capped_at_eight() {
    let mut router = Router::new();
    for index in 0..24 {
        let picture = serve_after(Duration::from_millis(150), "image/jpeg", jpeg(64, 64));
        router = router.route(&format!("/p{index}.jpg"), picture);
    }
    let server = TestServer::start(router).await;
    let dir = tempfile::tempdir().unwrap();
    let cache = new_cache(dir.path());

    let mut tasks = Vec::new();
    for index in 0..24 {
        let cache = cache.clone();
        let url = server.url(&format!("/p{index}.jpg"));
        tasks.push(tokio::spawn(async move { cache.get(&url).await }));
    }
    for task in tasks {
        task.await.unwrap().unwrap();
    }

    assert_eq!(server.total_hits(), 24);
    assert_eq!(server.max_concurrent(), 8);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn abandoned_get_still_fills_cache() {
    let picture = serve_after(Duration::from_millis(200), "image/jpeg", jpeg(320, 240));
    let server = TestServer::start(Router::new().route("/p.jpg", picture)).await;
    let dir = tempfile::tempdir().unwrap();
    let cache = new_cache(dir.path());
    let url = server.url("/p.jpg");

    let abandoned = tokio::time::timeout(Duration::from_millis(50), cache.get(&url)).await;
    assert!(abandoned.is_err(), "the first get must still be waiting");
    tokio::time::sleep(Duration::from_millis(600)).await;
    let thumb = cache.get(&url).await;

    assert!(thumb.is_ok(), "{thumb:?}");
    assert_eq!(server.hits("/p.jpg"), 1);
    assert_eq!(cache.stats().memory_hits, 1);
}
