//! A decompression bomb: a small, valid PNG that declares a huge image.

use std::io::Write as _;

use flate2::write::ZlibEncoder;
use flate2::Compression;

/// Width and height the bomb declares. Decoded to RGBA it needs 30000 × 30000 × 4 bytes,
/// about 3.6 GB.
pub(crate) const BOMB_SIDE: u32 = 30_000;

const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n'];

/// Encodes an all-black 1-bit greyscale PNG of `BOMB_SIDE` square pixels.
///
/// At one bit per pixel the raw scanlines are 112.5 MB of zero bytes, which zlib compresses
/// to about 110 KB.
pub(crate) fn encode_bomb_png() -> Vec<u8> {
    let mut png = PNG_SIGNATURE.to_vec();

    let mut header = Vec::with_capacity(13);
    header.extend_from_slice(&BOMB_SIDE.to_be_bytes());
    header.extend_from_slice(&BOMB_SIDE.to_be_bytes());
    // Bit depth 1, colour type 0 (greyscale), compression 0, filter 0, no interlace.
    header.extend_from_slice(&[1, 0, 0, 0, 0]);
    write_chunk(&mut png, b"IHDR", &header);

    write_chunk(&mut png, b"IDAT", &compressed_scanlines());
    write_chunk(&mut png, b"IEND", &[]);
    png
}

fn compressed_scanlines() -> Vec<u8> {
    // Each scanline is one filter-type byte (0, none) and BOMB_SIDE / 8 bytes of pixels.
    let scanline = vec![0u8; 1 + (BOMB_SIDE as usize).div_ceil(8)];
    let mut encoder = ZlibEncoder::new(Vec::new(), Compression::best());

    for _ in 0..BOMB_SIDE {
        encoder
            .write_all(&scanline)
            .expect("writing to a Vec cannot fail");
    }
    encoder.finish().expect("writing to a Vec cannot fail")
}

fn write_chunk(png: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    let length = u32::try_from(data.len()).expect("a PNG chunk is shorter than 4 GiB");
    png.extend_from_slice(&length.to_be_bytes());
    png.extend_from_slice(kind);
    png.extend_from_slice(data);

    let mut crc = crc32fast::Hasher::new();
    crc.update(kind);
    crc.update(data);
    png.extend_from_slice(&crc.finalize().to_be_bytes());
}
