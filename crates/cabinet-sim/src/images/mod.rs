//! Product pictures and fault images served under `/upload/image/`.
//!
//! Pictures are drawn and encoded in this process: nothing is downloaded. Each is rendered
//! once per process and cached, because the JPEG encoder is slow in debug builds and every
//! test starts its own simulator.

mod bomb;
mod draw;
mod route;

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use axum::body::Bytes;

pub(crate) use draw::Shape;
pub(crate) use route::serve_image;

use crate::products::{large_kind, large_picture_file, LARGE_KIND_COUNT};

/// Path prefix of every picture URL, e.g. `/upload/image/19082818381970086303.jpg`.
pub const IMAGE_ROUTE_PREFIX: &str = "/upload/image/";

/// Picture files of the contract's example list: 阿莎姆奶茶, 可口可乐, 脉动.
pub(crate) const THREE_DRINKS_PICTURES: [&str; 3] = [
    "19082818381970086303.jpg",
    "19083113201452804856.jpg",
    "19083113531079673116.jpg",
];

/// JPEG quality of the product pictures.
const JPEG_QUALITY: u8 = 85;

/// Share of the JPEG that the truncated fault image keeps.
const TRUNCATED_PERCENT: usize = 55;

/// The pictures of the broken-images scenario, each failing in its own way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FaultImage {
    /// A valid 400x400 JPEG.
    Good,
    /// The first 55 % of a valid JPEG, served as `image/jpeg` with a matching length.
    Truncated,
    /// An HTML error page served as `image/jpeg`.
    HtmlAsJpeg,
    /// A path that returns 404 Not Found.
    Missing,
    /// A valid JPEG whose bytes trickle in over about 20 s.
    Slow,
    /// A small valid PNG that declares 30000x30000 pixels.
    Bomb,
}

impl FaultImage {
    /// Returns every fault image, in the order of the broken-images list.
    pub fn all() -> &'static [FaultImage] {
        &[
            FaultImage::Good,
            FaultImage::Truncated,
            FaultImage::HtmlAsJpeg,
            FaultImage::Missing,
            FaultImage::Slow,
            FaultImage::Bomb,
        ]
    }

    /// File name under `/upload/image/`.
    pub fn file_name(&self) -> &'static str {
        match self {
            FaultImage::Good => "fault-good.jpg",
            FaultImage::Truncated => "fault-truncated.jpg",
            FaultImage::HtmlAsJpeg => "fault-html.jpg",
            FaultImage::Missing => "fault-missing.jpg",
            FaultImage::Slow => "fault-slow.jpg",
            FaultImage::Bomb => "fault-bomb.png",
        }
    }

    /// Path on the simulator, e.g. `/upload/image/fault-slow.jpg`.
    pub fn path(&self) -> String {
        format!("{IMAGE_ROUTE_PREFIX}{}", self.file_name())
    }

    fn from_file_name(file: &str) -> Option<FaultImage> {
        Self::all()
            .iter()
            .copied()
            .find(|fault| fault.file_name() == file)
    }
}

/// Shape and colour of one product picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct PictureSpec {
    shape: Shape,
    colour: [u8; 3],
}

/// Returns the drawing of a picture file, or `None` when no product uses that file.
fn picture_spec(file: &str) -> Option<PictureSpec> {
    let fixed = [
        (THREE_DRINKS_PICTURES[0], Shape::Bottle, [196, 150, 100]),
        (THREE_DRINKS_PICTURES[1], Shape::Can, [204, 28, 40]),
        (THREE_DRINKS_PICTURES[2], Shape::Bottle, [40, 120, 205]),
        (FaultImage::Good.file_name(), Shape::Bottle, [60, 160, 90]),
        (
            FaultImage::Truncated.file_name(),
            Shape::Bag,
            [230, 140, 30],
        ),
        (FaultImage::Slow.file_name(), Shape::Can, [120, 70, 170]),
    ];
    if let Some((_, shape, colour)) = fixed.into_iter().find(|(name, ..)| *name == file) {
        return Some(PictureSpec { shape, colour });
    }

    let index = large_picture_index(file)?;
    Some(PictureSpec {
        shape: large_kind(index).shape,
        colour: hue_colour(index),
    })
}

fn large_picture_index(file: &str) -> Option<usize> {
    let index: usize = file
        .strip_prefix("large-")?
        .strip_suffix(".jpg")?
        .parse()
        .ok()?;
    (index < LARGE_KIND_COUNT && large_picture_file(index) == file).then_some(index)
}

/// Returns a saturated colour whose hue steps by the golden angle, so neighbours differ.
fn hue_colour(index: usize) -> [u8; 3] {
    let hue = (index as f32 * 137.508) % 360.0;
    let sector = hue / 60.0;
    let rising = (sector.fract() * 200.0) as u8 + 30;
    let falling = 230 - (sector.fract() * 200.0) as u8;

    match sector as u32 {
        0 => [230, rising, 30],
        1 => [falling, 230, 30],
        2 => [30, 230, rising],
        3 => [30, falling, 230],
        4 => [rising, 30, 230],
        _ => [230, 30, falling],
    }
}

/// Returns every file name that [`picture_jpeg`] can render.
fn picture_files() -> Vec<String> {
    let mut files: Vec<String> = THREE_DRINKS_PICTURES
        .iter()
        .map(|f| f.to_string())
        .collect();
    files.extend(
        [FaultImage::Good, FaultImage::Truncated, FaultImage::Slow]
            .iter()
            .map(|fault| fault.file_name().to_owned()),
    );
    files.extend((0..LARGE_KIND_COUNT).map(large_picture_file));
    files
}

fn rendered_cache() -> &'static Mutex<HashMap<String, Bytes>> {
    static CACHE: OnceLock<Mutex<HashMap<String, Bytes>>> = OnceLock::new();
    CACHE.get_or_init(Mutex::default)
}

/// Returns the JPEG of a product picture, rendering it on first use. Blocks for the
/// rendering, so async code calls it through `spawn_blocking`.
pub(crate) fn picture_jpeg(file: &str) -> Option<Bytes> {
    let spec = picture_spec(file)?;

    if let Some(cached) = lock_cache().get(file) {
        return Some(cached.clone());
    }

    // Rendering runs without the lock. Two threads may render the same file at once, which
    // only wastes time because the output is deterministic.
    let jpeg = encode_jpeg(&draw::render(spec.shape, spec.colour));
    lock_cache().insert(file.to_owned(), jpeg.clone());
    Some(jpeg)
}

fn lock_cache() -> std::sync::MutexGuard<'static, HashMap<String, Bytes>> {
    // The map stays consistent even if a holder panicked, so a poisoned lock is still usable.
    rendered_cache()
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn encode_jpeg(picture: &image::RgbImage) -> Bytes {
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, JPEG_QUALITY)
        .encode_image(picture)
        .expect("encoding an in-memory RGB picture to a Vec cannot fail");
    Bytes::from(jpeg)
}

/// Returns the first part of a valid JPEG, without its end-of-image marker.
pub(crate) fn truncated_jpeg() -> Bytes {
    let full = picture_jpeg(FaultImage::Truncated.file_name())
        .expect("the truncated fault image has a picture spec");
    full.slice(..full.len() * TRUNCATED_PERCENT / 100)
}

/// Returns the decompression bomb PNG, encoding it on first use. Blocks like
/// [`picture_jpeg`].
pub(crate) fn bomb_png() -> Bytes {
    static BOMB: OnceLock<Bytes> = OnceLock::new();
    BOMB.get_or_init(|| Bytes::from(bomb::encode_bomb_png()))
        .clone()
}

/// Renders every picture and the bomb into the process-wide cache.
pub(crate) fn prerender_all() {
    let started = std::time::Instant::now();

    for file in picture_files() {
        picture_jpeg(&file);
    }
    bomb_png();

    tracing::debug!(elapsed = ?started.elapsed(), "rendered all simulator pictures");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_picture_has_a_spec() {
        for file in picture_files() {
            assert!(picture_spec(&file).is_some(), "{file}");
        }
    }

    #[test]
    fn unknown_files_have_no_spec() {
        for file in ["large-60.jpg", "large-5.jpg", "fault-missing.jpg", "x.jpg"] {
            assert!(picture_spec(file).is_none(), "{file}");
        }
    }

    #[test]
    fn bomb_is_small_and_declares_huge_size() {
        let png = bomb_png();
        let reader = image::ImageReader::with_format(
            std::io::Cursor::new(png.to_vec()),
            image::ImageFormat::Png,
        );

        assert!(png.len() < 200 * 1024, "{} bytes", png.len());
        assert_eq!(
            reader.into_dimensions().unwrap(),
            (bomb::BOMB_SIDE, bomb::BOMB_SIDE)
        );
    }
}
