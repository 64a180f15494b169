//! Pictures built in memory for the tests.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::{ImageFormat, Rgb, RgbImage, Rgba, RgbaImage};

/// JPEG of a color gradient, so that its encoded size grows with its pixel count.
pub fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let image = RgbImage::from_fn(width, height, |x, y| {
        Rgb([
            (x * 255 / width) as u8,
            (y * 255 / height) as u8,
            ((x ^ y) & 0xFF) as u8,
        ])
    });

    let mut output = Vec::new();
    image
        .write_with_encoder(JpegEncoder::new_with_quality(&mut output, 90))
        .unwrap();
    output
}

/// JPEG of one solid color.
pub fn solid_jpeg(width: u32, height: u32, color: [u8; 3]) -> Vec<u8> {
    let image = RgbImage::from_pixel(width, height, Rgb(color));

    let mut output = Vec::new();
    image
        .write_with_encoder(JpegEncoder::new_with_quality(&mut output, 90))
        .unwrap();
    output
}

/// PNG whose left half is transparent.
pub fn transparent_png(width: u32, height: u32) -> Vec<u8> {
    let image = RgbaImage::from_fn(width, height, |x, y| {
        let alpha = if x < width / 2 { 0 } else { 255 };
        Rgba([(y % 256) as u8, 90, 200, alpha])
    });
    encode_png(&image)
}

/// PNG with an alpha channel in which every pixel is opaque.
pub fn opaque_png(width: u32, height: u32) -> Vec<u8> {
    let image = RgbaImage::from_fn(width, height, |x, _| Rgba([(x % 256) as u8, 30, 60, 255]));
    encode_png(&image)
}

fn encode_png(image: &RgbaImage) -> Vec<u8> {
    let mut output = Cursor::new(Vec::new());
    image.write_to(&mut output, ImageFormat::Png).unwrap();
    output.into_inner()
}

/// Small PNG whose header declares `width` x `height` pixels of 8-bit RGB, with an empty image
/// data stream. Decoding it would allocate width x height x 3 bytes first.
pub fn png_declaring(width: u32, height: u32) -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();

    let mut header = Vec::new();
    header.extend_from_slice(&width.to_be_bytes());
    header.extend_from_slice(&height.to_be_bytes());
    // Bit depth 8, color type RGB, default compression, filter and interlace methods.
    header.extend_from_slice(&[8, 2, 0, 0, 0]);
    push_chunk(&mut png, b"IHDR", &header);

    // A zlib stream of one empty final stored block, then the Adler-32 of no data.
    let empty_zlib = [
        0x78, 0x01, 0x01, 0x00, 0x00, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x01,
    ];
    push_chunk(&mut png, b"IDAT", &empty_zlib);
    push_chunk(&mut png, b"IEND", &[]);
    png
}

fn push_chunk(png: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    png.extend_from_slice(&(data.len() as u32).to_be_bytes());
    png.extend_from_slice(kind);
    png.extend_from_slice(data);

    let mut checked = kind.to_vec();
    checked.extend_from_slice(data);
    png.extend_from_slice(&crc32(&checked).to_be_bytes());
}

/// CRC-32 as PNG chunks use it (ISO 3309, reflected polynomial 0xEDB88320).
fn crc32(data: &[u8]) -> u32 {
    let mut crc = u32::MAX;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xEDB8_8320 & mask);
        }
    }
    !crc
}

/// Width and height of an encoded picture, decoded in full.
pub fn decoded_size(bytes: &[u8]) -> (u32, u32) {
    let image = image::load_from_memory(bytes).expect("thumbnail decodes");
    (image.width(), image.height())
}
