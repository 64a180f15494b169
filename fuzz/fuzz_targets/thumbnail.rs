//! Feeds arbitrary bytes to the picture pipeline of thumb-cache: format sniffing, the header and
//! pixel-count checks, the JPEG end-of-image check, decoding, scaling and encoding.
//!
//! The first input byte picks the declared content type, so the pipeline gets the body with each kind
//! of header a server may send.

#![no_main]

use libfuzzer_sys::fuzz_target;
use thumb_cache::{thumbnail_from_bytes, ThumbConfig, CONTENT_TYPE_JPEG, CONTENT_TYPE_PNG};

/// Pixel limit of the harness. The app allows 40 million, but decoding that many pixels takes
/// seconds, which would make every large header a libFuzzer timeout. The checks run the same
/// code with either limit.
const MAX_PIXELS: u64 = 1_000_000;

const DECLARED_TYPES: [Option<&str>; 4] = [
    None,
    Some("image/jpeg"),
    Some("application/octet-stream"),
    Some("image/png; charset=binary"),
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let content_type = DECLARED_TYPES[usize::from(selector) % DECLARED_TYPES.len()];
    let config = ThumbConfig {
        max_pixels: MAX_PIXELS,
        ..ThumbConfig::default()
    };

    let Ok(thumb) = thumbnail_from_bytes(body, &config, content_type) else {
        return;
    };

    // Whatever was accepted must come out as a small, readable JPEG or PNG.
    assert!(
        thumb.content_type == CONTENT_TYPE_JPEG || thumb.content_type == CONTENT_TYPE_PNG,
        "unexpected content type {}",
        thumb.content_type
    );
    let decoded = image::load_from_memory(&thumb.bytes).expect("the thumbnail decodes");
    assert!(
        decoded.width().max(decoded.height()) <= config.edge_px,
        "thumbnail is {}x{}",
        decoded.width(),
        decoded.height()
    );
    assert!(decoded.width() > 0, "thumbnail has no columns");
    assert!(decoded.height() > 0, "thumbnail has no rows");
});
