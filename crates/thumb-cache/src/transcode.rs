use std::io::Cursor;

use bytes::Bytes;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};

use crate::jpeg_end::has_end_of_image;
use crate::scale::{encode_thumbnail, scale_to_edge};
use crate::{Thumb, ThumbConfig, ThumbError};

/// Formats compiled into this crate's `image` dependency.
const SUPPORTED_FORMATS: [ImageFormat; 5] = [
    ImageFormat::Jpeg,
    ImageFormat::Png,
    ImageFormat::Gif,
    ImageFormat::WebP,
    ImageFormat::Bmp,
];

/// Largest decoded pixel of the supported formats: 16-bit RGBA from PNG.
const MAX_BYTES_PER_PIXEL: u64 = 8;

/// Estimated allowance for decoder allocations beyond the output buffer, such as a PNG row
/// buffer or a JPEG's coefficient tables.
const DECODER_ALLOCATION_SLACK: u64 = 16 * 1024 * 1024;

/// Limits that apply to one source picture.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TranscodeLimits {
    pub(crate) max_pixels: u64,
    pub(crate) edge_px: u32,
}

/// Checks, decodes, scales and encodes a downloaded picture. This is CPU work, so callers run it
/// on the blocking thread pool.
///
/// `url` is the redacted URL for messages, and `content_type` the declared one, if any.
pub(crate) fn make_thumbnail(
    body: &[u8],
    limits: TranscodeLimits,
    url: &str,
    content_type: Option<&str>,
) -> Result<Thumb, ThumbError> {
    let format = sniff_format(body, url, content_type)?;

    let (width, height) = read_dimensions(body, format, limits, url)?;

    if format == ImageFormat::Jpeg && !has_end_of_image(body) {
        return Err(decode_error(
            url,
            "the JPEG data ends before its end-of-image marker",
        ));
    }

    let source = decode(body, format, width, height, limits, url)?;

    let scaled = scale_to_edge(source, limits.edge_px);

    let (encoded, content_type) =
        encode_thumbnail(&scaled).map_err(|error| ThumbError::Encode {
            url: url.to_owned(),
            cause: error.to_string(),
        })?;

    Ok(Thumb {
        bytes: Bytes::from(encoded),
        content_type,
    })
}

/// Checks, decodes, scales and encodes picture bytes that are already in memory, with the
/// `max_pixels` and `edge_px` of `config`, exactly as [`ThumbCache::get`](crate::ThumbCache::get)
/// treats a downloaded body. `content_type` is the declared type, if any. Errors name the
/// picture `memory:picture` in place of a URL. Decoding and resampling are CPU work, so async
/// callers should run this on the blocking thread pool.
pub fn thumbnail_from_bytes(
    body: &[u8],
    config: &ThumbConfig,
    content_type: Option<&str>,
) -> Result<Thumb, ThumbError> {
    let limits = TranscodeLimits {
        max_pixels: config.max_pixels,
        edge_px: config.edge_px,
    };
    make_thumbnail(body, limits, "memory:picture", content_type)
}

/// Detects the real format from the magic bytes, because servers often send a wrong or generic
/// content type.
fn sniff_format(
    body: &[u8],
    url: &str,
    content_type: Option<&str>,
) -> Result<ImageFormat, ThumbError> {
    let Ok(format) = image::guess_format(body) else {
        return Err(ThumbError::NotAnImage {
            url: url.to_owned(),
            content_type: content_type.unwrap_or("none").to_owned(),
        });
    };

    if !SUPPORTED_FORMATS.contains(&format) {
        return Err(ThumbError::UnsupportedFormat {
            url: url.to_owned(),
            format: format!("{format:?}"),
        });
    }
    Ok(format)
}

/// Reads the size from the header alone and rejects pictures above `max_pixels`, so that a small
/// file that declares a huge canvas is never decoded.
fn read_dimensions(
    body: &[u8],
    format: ImageFormat,
    limits: TranscodeLimits,
    url: &str,
) -> Result<(u32, u32), ThumbError> {
    let (width, height) = ImageReader::with_format(Cursor::new(body), format)
        .into_dimensions()
        .map_err(|error| decode_error(url, &error.to_string()))?;

    if width == 0 || height == 0 {
        return Err(decode_error(
            url,
            &format!("the header declares {width}x{height} pixels"),
        ));
    }

    let pixels = u64::from(width) * u64::from(height);
    if pixels > limits.max_pixels {
        return Err(ThumbError::TooManyPixels {
            url: url.to_owned(),
            width,
            height,
            max_pixels: limits.max_pixels,
        });
    }
    Ok((width, height))
}

/// Decodes with limits that match the checked header, and applies the EXIF orientation so that
/// phone photos stand upright.
fn decode(
    body: &[u8],
    format: ImageFormat,
    width: u32,
    height: u32,
    limits: TranscodeLimits,
    url: &str,
) -> Result<DynamicImage, ThumbError> {
    let mut decoder_limits = Limits::default();
    decoder_limits.max_image_width = Some(width);
    decoder_limits.max_image_height = Some(height);
    decoder_limits.max_alloc = Some(
        limits
            .max_pixels
            .saturating_mul(MAX_BYTES_PER_PIXEL)
            .saturating_add(DECODER_ALLOCATION_SLACK),
    );

    let mut reader = ImageReader::with_format(Cursor::new(body), format);
    reader.limits(decoder_limits);

    let to_decode_error = |error: image::ImageError| decode_error(url, &error.to_string());
    let mut decoder = reader.into_decoder().map_err(to_decode_error)?;
    let orientation = decoder.orientation().map_err(to_decode_error)?;
    let mut image = DynamicImage::from_decoder(decoder).map_err(to_decode_error)?;
    image.apply_orientation(orientation);

    Ok(image)
}

fn decode_error(url: &str, cause: &str) -> ThumbError {
    ThumbError::Decode {
        url: url.to_owned(),
        cause: cause.to_owned(),
    }
}
