use axum::Router;
use thumb_cache::{thumbnail_from_bytes, ThumbCache, CONTENT_TYPE_JPEG, CONTENT_TYPE_PNG};

use crate::pictures::{decoded_size, jpeg, opaque_png, transparent_png};
use crate::server::{new_cache, redirect_to, serve, test_config, TestServer};

#[tokio::test]
async fn jpeg_scaled_to_edge() {
    let server =
        TestServer::start(Router::new().route("/p.jpg", serve("image/jpeg", jpeg(800, 600)))).await;
    let dir = tempfile::tempdir().unwrap();
    let cache = new_cache(dir.path());

    let thumb = cache.get(&server.url("/p.jpg")).await.unwrap();

    assert_eq!(thumb.content_type, CONTENT_TYPE_JPEG);
    assert_eq!(decoded_size(&thumb.bytes), (192, 144));
}

#[tokio::test]
async fn transparent_png_stays_png() {
    let server = TestServer::start(
        Router::new().route("/p.png", serve("image/png", transparent_png(400, 1000))),
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let cache = new_cache(dir.path());

    let thumb = cache.get(&server.url("/p.png")).await.unwrap();

    assert_eq!(thumb.content_type, CONTENT_TYPE_PNG);
    let (width, height) = decoded_size(&thumb.bytes);
    assert_eq!(height, 192);
    assert!((76..=77).contains(&width), "width {width}");
    let decoded = image::load_from_memory(&thumb.bytes).unwrap().to_rgba8();
    assert_eq!(decoded.get_pixel(0, 0)[3], 0, "left edge stays transparent");
}

#[tokio::test]
async fn opaque_png_becomes_jpeg() {
    let server =
        TestServer::start(Router::new().route("/p.png", serve("image/png", opaque_png(300, 300))))
            .await;
    let dir = tempfile::tempdir().unwrap();
    let cache = new_cache(dir.path());

    let thumb = cache.get(&server.url("/p.png")).await.unwrap();

    assert_eq!(thumb.content_type, CONTENT_TYPE_JPEG);
    assert_eq!(decoded_size(&thumb.bytes), (192, 192));
}

#[tokio::test]
async fn small_picture_not_upscaled() {
    let server =
        TestServer::start(Router::new().route("/p.jpg", serve("image/jpeg", jpeg(120, 40)))).await;
    let dir = tempfile::tempdir().unwrap();
    let cache = new_cache(dir.path());

    let thumb = cache.get(&server.url("/p.jpg")).await.unwrap();

    assert_eq!(decoded_size(&thumb.bytes), (120, 40));
}

#[tokio::test]
async fn large_picture_scaled_in_two_passes() {
    // Longer than four times the edge, so the area-averaging pass runs before Lanczos.
    let server =
        TestServer::start(Router::new().route("/p.jpg", serve("image/jpeg", jpeg(3000, 1000))))
            .await;
    let dir = tempfile::tempdir().unwrap();
    let cache = new_cache(dir.path());

    let thumb = cache.get(&server.url("/p.jpg")).await.unwrap();

    assert_eq!(decoded_size(&thumb.bytes), (192, 64));
}

#[tokio::test]
async fn generic_content_types_accepted() {
    let router = Router::new()
        .route("/octet", serve("application/octet-stream", jpeg(300, 200)))
        .route(
            "/parameters",
            serve("image/jpeg; charset=binary", jpeg(300, 200)),
        )
        .route("/wrong-image-type", serve("image/png", jpeg(300, 200)));
    let server = TestServer::start(router).await;
    let dir = tempfile::tempdir().unwrap();
    let cache = new_cache(dir.path());

    for path in ["/octet", "/parameters", "/wrong-image-type"] {
        let thumb = cache.get(&server.url(path)).await;
        assert!(thumb.is_ok(), "{path}: {thumb:?}");
    }
}

#[tokio::test]
async fn three_redirects_followed() {
    let router = Router::new()
        .route("/hop/3", redirect_to("/hop/2"))
        .route("/hop/2", redirect_to("/hop/1"))
        .route("/hop/1", redirect_to("/p.jpg"))
        .route("/p.jpg", serve("image/jpeg", jpeg(400, 400)));
    let server = TestServer::start(router).await;
    let dir = tempfile::tempdir().unwrap();
    let cache = new_cache(dir.path());

    let thumb = cache.get(&server.url("/hop/3")).await.unwrap();

    assert_eq!(decoded_size(&thumb.bytes), (192, 192));
    assert_eq!(server.hits("/p.jpg"), 1);
}

#[tokio::test]
async fn bytes_entry_point_matches_fetch() {
    let picture = transparent_png(500, 250);
    let server =
        TestServer::start(Router::new().route("/p.png", serve("image/png", picture.clone()))).await;
    let dir = tempfile::tempdir().unwrap();
    let config = test_config(dir.path());
    let fetched = ThumbCache::new(config.clone())
        .unwrap()
        .get(&server.url("/p.png"))
        .await
        .unwrap();

    let from_bytes = thumbnail_from_bytes(&picture, &config, Some("image/png")).unwrap();

    assert_eq!(from_bytes, fetched);
    assert_eq!(decoded_size(&from_bytes.bytes), (192, 96));
}
