//! The `thumb` URI scheme: product pictures served to the page by the backend.
//!
//! The page never loads a remote URL. Each picture URL of a final list is registered here and the
//! page receives `thumb://localhost/<id>` instead, so the content security policy stays closed to
//! the internet and the page can only ask for pictures the server actually listed.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tauri::http::{header, Request, Response, StatusCode};
use tauri::UriSchemeResponder;
use thumb_cache::ThumbCache;
use tracing::{debug, warn};

/// The scheme's name, as registered with Tauri and allowed by the content security policy.
pub const SCHEME: &str = "thumb";

/// Maps picture ids to the remote URLs they stand for.
#[derive(Default)]
pub struct PictureRegistry {
    ids: HashMap<String, u64>,
    urls: HashMap<u64, String>,
}

impl PictureRegistry {
    /// Returns the page URL for a remote picture, registering it on first sight. The same remote
    /// URL always gets the same id, so the page's own cache and the backend's dedupe both apply.
    pub fn page_url(&mut self, remote_url: &str) -> String {
        let next_id = self.ids.len() as u64 + 1;
        let id = *self.ids.entry(remote_url.to_owned()).or_insert(next_id);
        self.urls.entry(id).or_insert_with(|| remote_url.to_owned());
        page_url_for(id)
    }

    fn remote_url(&self, id: u64) -> Option<String> {
        self.urls.get(&id).cloned()
    }
}

/// Windows' WebView2 reaches custom schemes through `http://<scheme>.localhost`; the other
/// platforms use `<scheme>://localhost`.
fn page_url_for(id: u64) -> String {
    if cfg!(windows) {
        format!("http://{SCHEME}.localhost/{id}")
    } else {
        format!("{SCHEME}://localhost/{id}")
    }
}

/// Responds to one picture request from the page. Runs on the async runtime, so a slow download
/// never blocks the window.
pub async fn respond(
    registry: Arc<Mutex<PictureRegistry>>,
    cache: ThumbCache,
    request: Request<Vec<u8>>,
    responder: UriSchemeResponder,
) {
    let path = request.uri().path().trim_start_matches('/').to_owned();
    let remote_url = path
        .parse::<u64>()
        .ok()
        .and_then(|id| registry.lock().ok()?.remote_url(id));
    let Some(remote_url) = remote_url else {
        debug!(%path, "picture request for an unknown id");
        responder.respond(status_only(StatusCode::NOT_FOUND));
        return;
    };

    let response = match cache.get(&remote_url).await {
        Ok(thumb) => Response::builder()
            .status(StatusCode::OK)
            .header(header::CONTENT_TYPE, thumb.content_type)
            .header(header::CACHE_CONTROL, "max-age=86400")
            .body(thumb.bytes.to_vec())
            .unwrap_or_else(|_| status_only(StatusCode::INTERNAL_SERVER_ERROR)),
        Err(error) => {
            // The page shows its placeholder on any error status.
            warn!(id = %path, %error, "picture unavailable, the card shows the placeholder");
            status_only(StatusCode::BAD_GATEWAY)
        }
    };
    responder.respond(response);
}

fn status_only(status: StatusCode) -> Response<Vec<u8>> {
    let mut response = Response::new(Vec::new());
    *response.status_mut() = status;
    response
}
