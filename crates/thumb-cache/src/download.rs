use std::time::Duration;

use reqwest::header::{ACCEPT, CONTENT_TYPE, LOCATION};

use crate::http_client::map_request_error;
use crate::image_url::{is_fetchable_scheme, ImageUrl};
use crate::ThumbError;

/// Body and declared content type of a successful response.
pub(crate) struct Download {
    pub(crate) body: Vec<u8>,
    pub(crate) content_type: Option<String>,
}

/// Fetches `target` and checks status, content type and body size.
///
/// The caller bounds the total time, because a body that trickles in never trips the connect
/// timeout.
pub(crate) async fn download(
    client: &reqwest::Client,
    target: &ImageUrl,
    max_bytes: u64,
    connect_timeout: Duration,
) -> Result<Download, ThumbError> {
    let map_error = |error| map_request_error(error, target, connect_timeout);

    let mut response = client
        .get(target.url().clone())
        .header(ACCEPT, "image/*")
        .send()
        .await
        .map_err(map_error)?;

    let status = response.status();
    if status.is_redirection() {
        check_unfollowed_redirect(&response, target)?;
    }
    if !status.is_success() {
        return Err(ThumbError::HttpStatus {
            url: target.redacted().to_owned(),
            status: status.as_u16(),
        });
    }

    let content_type = response
        .headers()
        .get(CONTENT_TYPE)
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned());
    if let Some(declared) = &content_type {
        check_content_type(declared, target)?;
    }

    let declared_length = response.content_length();
    if let Some(length) = declared_length.filter(|&length| length > max_bytes) {
        return Err(too_large(target, length, max_bytes));
    }

    // Capacity comes from the header only after the check above, so a lying header cannot
    // reserve more than `max_bytes`.
    let capacity = declared_length.unwrap_or(0) as usize;
    let mut body = Vec::with_capacity(capacity);
    while let Some(chunk) = response.chunk().await.map_err(map_error)? {
        let size = (body.len() + chunk.len()) as u64;
        if size > max_bytes {
            return Err(too_large(target, size, max_bytes));
        }
        body.extend_from_slice(&chunk);
    }

    Ok(Download { body, content_type })
}

/// Rejects a redirect response whose target has a scheme other than `http` or `https`.
///
/// `reqwest` 0.12 consults the redirect policy only for targets that form an HTTP URI. A target
/// such as `file:///etc/passwd` is not followed at all, and its redirect response arrives here.
fn check_unfollowed_redirect(
    response: &reqwest::Response,
    target: &ImageUrl,
) -> Result<(), ThumbError> {
    let location = response
        .headers()
        .get(LOCATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| response.url().join(value).ok());

    match location {
        Some(location) if !is_fetchable_scheme(location.scheme()) => {
            Err(ThumbError::RedirectScheme {
                url: target.redacted().to_owned(),
                scheme: location.scheme().to_owned(),
            })
        }
        _ => Ok(()),
    }
}

/// Accepts `image/*` and the generic binary types, and rejects everything else.
///
/// A `text/html` or JSON reply is nearly always an error or login page. It is rejected even when
/// its bytes happen to form a picture, so that a misconfigured server shows up as an error instead
/// of working by accident. A missing header is accepted, and the bytes decide.
fn check_content_type(declared: &str, target: &ImageUrl) -> Result<(), ThumbError> {
    let essence = declared
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();

    let is_accepted = essence.starts_with("image/")
        || essence == "application/octet-stream"
        || essence == "binary/octet-stream"
        || essence.is_empty();
    if is_accepted {
        return Ok(());
    }

    Err(ThumbError::UnexpectedContentType {
        url: target.redacted().to_owned(),
        content_type: declared.to_owned(),
    })
}

fn too_large(target: &ImageUrl, size: u64, limit: u64) -> ThumbError {
    ThumbError::TooLarge {
        url: target.redacted().to_owned(),
        size,
        limit,
    }
}
