//! Picture routes: product pictures decode, and each fault image fails as described.

mod common;

use std::time::{Duration, Instant};

use cabinet_sim::{FaultImage, RunningSim, Scenario};
use common::*;
use futures_util::StreamExt as _;
use serde_json::Value;

async fn get(sim: &RunningSim, path: &str) -> reqwest::Response {
    reqwest::get(format!("{}{path}", sim.http_base()))
        .await
        .unwrap_or_else(|error| panic!("GET {path} failed: {error}"))
}

fn content_type(response: &reqwest::Response) -> String {
    response.headers()[reqwest::header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .to_owned()
}

/// Reads the thumbImage URLs of a scenario's final list.
async fn thumb_urls(scenario: Scenario, sim: &RunningSim) -> Vec<String> {
    assert_eq!(sim.config().scenario, scenario);
    let mut client = connect(sim).await;
    next_text(&mut client).await;
    let frame = next_json(&mut client).await;

    frame["data"]["list"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|line| line.get("thumbImage").and_then(Value::as_str))
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn three_drinks_pictures_decode() {
    let sim = start_short(Scenario::ThreeDrinks).await;
    let urls = thumb_urls(Scenario::ThreeDrinks, &sim).await;

    assert_eq!(urls.len(), 3);
    for url in urls {
        let response = reqwest::get(&url).await.unwrap();
        let status = response.status();
        let kind = content_type(&response);
        let bytes = response.bytes().await.unwrap();
        let picture = image::load_from_memory_with_format(&bytes, image::ImageFormat::Jpeg)
            .unwrap_or_else(|error| panic!("{url}: {error}"));

        assert_eq!(status, 200, "{url}");
        assert_eq!(kind, "image/jpeg", "{url}");
        assert_eq!((picture.width(), picture.height()), (400, 400), "{url}");
    }
}

#[tokio::test]
async fn large_pictures_decode_and_differ() {
    let sim = start_short(Scenario::Large).await;
    let mut urls = thumb_urls(Scenario::Large, &sim).await;
    urls.sort();
    urls.dedup();

    let mut pictures = Vec::new();
    for url in urls.iter().step_by(12) {
        let bytes = reqwest::get(url).await.unwrap().bytes().await.unwrap();
        let picture = image::load_from_memory(&bytes)
            .unwrap_or_else(|error| panic!("{url}: {error}"))
            .to_rgb8();
        assert_eq!(picture.dimensions(), (400, 400), "{url}");
        pictures.push(picture);
    }

    assert_eq!(urls.len(), 60);
    for (index, picture) in pictures.iter().enumerate().skip(1) {
        assert_ne!(
            picture,
            &pictures[index - 1],
            "pictures {index} and {}",
            index - 1
        );
    }
}

#[tokio::test]
async fn good_fault_image_decodes() {
    let sim = start_short(Scenario::BrokenImages).await;

    let response = get(&sim, &FaultImage::Good.path()).await;
    let kind = content_type(&response);
    let bytes = response.bytes().await.unwrap();
    let picture = image::load_from_memory(&bytes).unwrap();

    assert_eq!(kind, "image/jpeg");
    assert_eq!((picture.width(), picture.height()), (400, 400));
}

// NOTE: image 0.25 decodes this JPEG without an error and fills the missing rows, so a client
// that must reject a partial picture has to check the end marker or the length itself.
#[tokio::test]
async fn truncated_image_lacks_end_marker() {
    let sim = start_short(Scenario::BrokenImages).await;

    let response = get(&sim, &FaultImage::Truncated.path()).await;
    let status = response.status();
    let kind = content_type(&response);
    let length = response.content_length();
    let bytes = response.bytes().await.unwrap();

    assert_eq!(status, 200);
    assert_eq!(kind, "image/jpeg");
    assert_eq!(length, Some(bytes.len() as u64));
    assert!(
        bytes.starts_with(&[0xff, 0xd8]),
        "starts with the JPEG start marker"
    );
    assert!(!bytes.ends_with(&[0xff, 0xd9]), "lacks the JPEG end marker");
    assert!(bytes.len() > 1000, "{} bytes", bytes.len());
}

#[tokio::test]
async fn html_served_as_jpeg() {
    let sim = start_short(Scenario::BrokenImages).await;

    let response = get(&sim, &FaultImage::HtmlAsJpeg.path()).await;
    let status = response.status();
    let kind = content_type(&response);
    let body = response.text().await.unwrap();

    assert_eq!(status, 200);
    assert_eq!(kind, "image/jpeg");
    assert!(body.starts_with("<!DOCTYPE html>"), "{body}");
    assert!(image::load_from_memory(body.as_bytes()).is_err());
}

#[tokio::test]
async fn missing_image_is_404() {
    let sim = start_short(Scenario::BrokenImages).await;

    let fault = get(&sim, &FaultImage::Missing.path()).await;
    let unknown = get(&sim, "/upload/image/no-such-picture.jpg").await;

    assert_eq!(fault.status(), 404);
    assert_eq!(unknown.status(), 404);
}

#[tokio::test]
async fn slow_image_trickles() {
    let sim = start_short(Scenario::BrokenImages).await;
    let started = Instant::now();

    let response = get(&sim, &FaultImage::Slow.path()).await;
    let headers_after = started.elapsed();
    let total = response.content_length().expect("length is announced");
    let mut body = response.bytes_stream();
    let mut received = 0u64;
    let reading = async {
        while let Some(chunk) = body.next().await {
            received += chunk.unwrap().len() as u64;
        }
    };
    let finished = tokio::time::timeout(Duration::from_millis(1500), reading).await;

    assert!(headers_after < Duration::from_secs(1), "{headers_after:?}");
    assert!(finished.is_err(), "the whole image arrived within 1.5 s");
    assert!(received > 0, "no bytes within 1.5 s");
    assert!(
        received * 5 < total,
        "{received} of {total} bytes within 1.5 s"
    );
}

#[tokio::test]
async fn bomb_declares_huge_size() {
    let sim = start_short(Scenario::BrokenImages).await;

    let response = get(&sim, &FaultImage::Bomb.path()).await;
    let kind = content_type(&response);
    let bytes = response.bytes().await.unwrap();
    let reader = image::ImageReader::with_format(
        std::io::Cursor::new(bytes.to_vec()),
        image::ImageFormat::Png,
    );
    let decoded = image::load_from_memory(&bytes);

    assert_eq!(kind, "image/png");
    assert!(bytes.len() < 200 * 1024, "{} bytes", bytes.len());
    assert_eq!(reader.into_dimensions().unwrap(), (30_000, 30_000));
    assert!(decoded.is_err(), "default image limits reject the bomb");
}

#[tokio::test]
async fn image_requests_are_counted() {
    let sim = start_short(Scenario::BrokenImages).await;
    let missing = FaultImage::Missing.path();
    let good = FaultImage::Good.path();

    get(&sim, &good).await.bytes().await.unwrap();
    get(&sim, &good).await.bytes().await.unwrap();
    get(&sim, &missing).await;

    assert_eq!(sim.image_requests(&good), 2);
    assert_eq!(sim.image_requests(&format!("{}{good}", sim.http_base())), 2);
    assert_eq!(sim.image_requests(&missing), 1);
    assert_eq!(sim.image_requests(&FaultImage::Bomb.path()), 0);
}

#[tokio::test]
async fn shutdown_cuts_slow_image_short() {
    let sim = start_short(Scenario::BrokenImages).await;
    let response = get(&sim, &FaultImage::Slow.path()).await;
    let reading = tokio::spawn(async move { response.bytes().await });

    tokio::time::sleep(Duration::from_millis(200)).await;
    let started = Instant::now();
    sim.shutdown().await;
    let shutdown_took = started.elapsed();
    let body = tokio::time::timeout(Duration::from_secs(2), reading)
        .await
        .expect("the download ends soon after shutdown")
        .unwrap();

    assert!(shutdown_took < Duration::from_secs(2), "{shutdown_took:?}");
    assert!(body.is_err(), "a cut-short body does not match its length");
}
