//! The `/upload/image/{file}` route.

use std::convert::Infallible;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use tokio_util::sync::CancellationToken;

use super::{bomb_png, picture_jpeg, truncated_jpeg, FaultImage, IMAGE_ROUTE_PREFIX};
use crate::server::AppState;

/// Time over which the slow fault image trickles out.
const SLOW_IMAGE_DURATION: Duration = Duration::from_secs(20);

/// Number of pieces the slow fault image is sent in, one per `SLOW_IMAGE_DURATION / 40`.
const SLOW_IMAGE_CHUNKS: u32 = 40;

/// Error page that a misconfigured proxy returns in place of a picture.
const HTML_ERROR_PAGE: &str = "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\
<body><h1>502 Bad Gateway</h1><hr><p>nginx</p></body></html>\n";

/// Serves a product picture or a fault image, and counts the request.
pub(crate) async fn serve_image(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Response {
    let path = format!("{IMAGE_ROUTE_PREFIX}{file}");
    let count = state.count_image_request(&path);
    tracing::debug!(%path, count, "image requested");

    match FaultImage::from_file_name(&file) {
        Some(FaultImage::Truncated) => image_response("image/jpeg", render(truncated_jpeg).await),
        Some(FaultImage::HtmlAsJpeg) => {
            ([(header::CONTENT_TYPE, "image/jpeg")], HTML_ERROR_PAGE).into_response()
        }
        Some(FaultImage::Missing) => not_found(),
        Some(FaultImage::Slow) => {
            let jpeg = render(|| picture_jpeg(FaultImage::Slow.file_name())).await;
            match jpeg {
                Some(jpeg) => slow_response(jpeg, state.cancel_token()),
                None => not_found(),
            }
        }
        Some(FaultImage::Bomb) => image_response("image/png", render(bomb_png).await),
        Some(FaultImage::Good) | None => match render(move || picture_jpeg(&file)).await {
            Some(jpeg) => image_response("image/jpeg", jpeg),
            None => not_found(),
        },
    }
}

/// Runs a blocking render off the async worker threads.
async fn render<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    match tokio::task::spawn_blocking(work).await {
        Ok(output) => output,
        // Rendering only panics on a bug, so the panic is passed on.
        Err(error) => std::panic::resume_unwind(error.into_panic()),
    }
}

fn image_response(content_type: &'static str, bytes: Bytes) -> Response {
    ([(header::CONTENT_TYPE, content_type)], bytes).into_response()
}

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "image not found").into_response()
}

/// Sends a valid JPEG in pieces over `SLOW_IMAGE_DURATION`, with its full length announced up
/// front. The body stops early when the simulator shuts down.
fn slow_response(jpeg: Bytes, cancel: CancellationToken) -> Response {
    let total = jpeg.len();
    let chunk_size = total.div_ceil(SLOW_IMAGE_CHUNKS as usize).max(1);
    let interval = SLOW_IMAGE_DURATION / SLOW_IMAGE_CHUNKS;

    let chunks: Vec<Bytes> = (0..total)
        .step_by(chunk_size)
        .map(|start| jpeg.slice(start..(start + chunk_size).min(total)))
        .collect();

    let stream =
        futures_util::stream::unfold((chunks.into_iter(), true), move |(mut chunks, first)| {
            let cancel = cancel.clone();
            async move {
                let chunk = chunks.next()?;
                if !first {
                    tokio::select! {
                        () = tokio::time::sleep(interval) => {}
                        () = cancel.cancelled() => {
                            tracing::debug!("slow image cut short by shutdown");
                            return None;
                        }
                    }
                }
                Some((Ok::<Bytes, Infallible>(chunk), (chunks, false)))
            }
        });

    (
        [
            (header::CONTENT_TYPE, "image/jpeg".to_owned()),
            (header::CONTENT_LENGTH, total.to_string()),
        ],
        Body::from_stream(stream),
    )
        .into_response()
}
