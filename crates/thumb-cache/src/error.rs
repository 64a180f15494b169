use std::path::PathBuf;
use std::time::Duration;

/// Failure of [`ThumbCache::new`](crate::ThumbCache::new) or
/// [`ThumbCache::get`](crate::ThumbCache::get).
///
/// Each `url` field is the URL without user info, query and fragment, because the query string
/// of a picture URL may carry an access token. Causes from other libraries are kept as text so
/// that one error can be cloned to every caller that waited for the same URL.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ThumbError {
    #[error("invalid thumbnail config: {field} = {value} must be greater than zero")]
    InvalidConfig { field: &'static str, value: String },

    #[error("invalid image URL {input:?}: {reason}; check the product's thumbImage value")]
    InvalidUrl { input: String, reason: String },

    #[error(
        "unsupported URL scheme {scheme:?} in an image URL; only http and https pictures are \
         fetched, so check the product's thumbImage value"
    )]
    UnsupportedScheme { scheme: String },

    #[error(
        "redirect from {url} to a {scheme:?} URL rejected; only http and https redirect targets \
         are followed, so fix the redirect on the image server"
    )]
    RedirectScheme { url: String, scheme: String },

    #[error(
        "too many redirects for {url}: more than {max} were requested; fix the redirect loop or \
         use the final picture URL"
    )]
    TooManyRedirects { url: String, max: usize },

    #[error(
        "HTTP status {status} for {url}; check that the picture exists on the image server and \
         that the server works"
    )]
    HttpStatus { url: String, status: u16 },

    #[error(
        "content type {content_type:?} for {url} is not an image type; the server probably \
         returned an error or login page, so check the URL in a browser"
    )]
    UnexpectedContentType { url: String, content_type: String },

    #[error(
        "picture at {url} is too large: at least {size} bytes, more than the limit of {limit} \
         bytes; serve a smaller picture or raise max_download_bytes"
    )]
    TooLarge { url: String, size: u64, limit: u64 },

    #[error(
        "body from {url} (content type {content_type:?}) is not a JPEG, PNG, GIF, WebP or BMP \
         image; check that the URL points at a picture"
    )]
    NotAnImage { url: String, content_type: String },

    #[error("image format {format} at {url} is not supported; serve JPEG, PNG, GIF, WebP or BMP")]
    UnsupportedFormat { url: String, format: String },

    #[error(
        "picture at {url} is {width}x{height} pixels, more than the limit of {max_pixels} \
         pixels, so it was not decoded; serve a smaller picture or raise max_pixels"
    )]
    TooManyPixels {
        url: String,
        width: u32,
        height: u32,
        max_pixels: u64,
    },

    #[error("failed to decode the picture at {url}: {cause}; the file is damaged or truncated")]
    Decode { url: String, cause: String },

    #[error("failed to encode the thumbnail of {url}: {cause}; report this picture as a bug")]
    Encode { url: String, cause: String },

    #[error(
        "timed out after {after:?} {stage} {url}; check that the image server is reachable or \
         raise the timeout"
    )]
    TimedOut {
        url: String,
        stage: &'static str,
        after: Duration,
    },

    #[error("network error fetching {url}: {cause}; check that the image server is reachable")]
    Network { url: String, cause: String },

    #[error(
        "failed to {action} {path:?}: {cause}; check that the cache directory exists and is \
         writable"
    )]
    Io {
        action: &'static str,
        path: PathBuf,
        cause: String,
    },

    #[error("failed to build the HTTP client: {cause}; check the system's TLS root certificates")]
    HttpClient { cause: String },

    #[error("thumbnail task for {url} ended without a result ({cause}); retry the request")]
    TaskFailed { url: String, cause: String },
}

impl ThumbError {
    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
        error: &std::io::Error,
    ) -> Self {
        Self::Io {
            action,
            path: path.into(),
            cause: error.to_string(),
        }
    }
}

/// Joins the messages of an error and its sources, because the top message of a `reqwest` error
/// ("error sending request") hides the cause ("connection refused").
pub(crate) fn error_chain_text(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();

    while let Some(cause) = source {
        let message = cause.to_string();
        if !text.contains(&message) {
            text.push_str(": ");
            text.push_str(&message);
        }
        source = cause.source();
    }
    text
}
