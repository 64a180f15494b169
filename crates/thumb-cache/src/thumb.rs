use std::fmt;

use bytes::Bytes;

/// MIME type of a thumbnail without transparency.
pub const CONTENT_TYPE_JPEG: &str = "image/jpeg";

/// MIME type of a thumbnail with transparency.
pub const CONTENT_TYPE_PNG: &str = "image/png";

/// Encoded thumbnail, ready to serve as an HTTP response body.
#[derive(Clone, PartialEq, Eq)]
pub struct Thumb {
    /// Encoded JPEG or PNG file. Cloning shares the buffer.
    pub bytes: Bytes,

    /// [`CONTENT_TYPE_JPEG`] or [`CONTENT_TYPE_PNG`].
    pub content_type: &'static str,
}

pub(crate) fn extension_for(content_type: &str) -> &'static str {
    if content_type == CONTENT_TYPE_PNG {
        "png"
    } else {
        "jpg"
    }
}

pub(crate) fn content_type_for(extension: &str) -> Option<&'static str> {
    match extension {
        "jpg" => Some(CONTENT_TYPE_JPEG),
        "png" => Some(CONTENT_TYPE_PNG),
        _ => None,
    }
}

impl fmt::Debug for Thumb {
    // The derived output would print every byte of the picture.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("Thumb")
            .field("content_type", &self.content_type)
            .field("len", &self.bytes.len())
            .finish()
    }
}
