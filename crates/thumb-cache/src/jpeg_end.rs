//! End-of-image check for JPEG data.
//!
//! The JPEG decoder of `image` 0.25 runs `zune-jpeg` in non-strict mode, which fills the missing
//! part of a truncated file with gray and reports success. A cut-off download would then be
//! cached as a half-gray picture, so the bytes are checked for an end-of-image marker first.

const MARKER_PREFIX: u8 = 0xFF;
const START_OF_IMAGE: u8 = 0xD8;
const END_OF_IMAGE: u8 = 0xD9;
const START_OF_SCAN: u8 = 0xDA;
const STUFFED_ZERO: u8 = 0x00;
const TEMPORARY: u8 = 0x01;
const RESTART_FIRST: u8 = 0xD0;
const RESTART_LAST: u8 = 0xD7;

/// Returns whether `data` is a JPEG marker sequence that reaches its end-of-image marker.
///
/// Marker segments are skipped by their length, so an EXIF thumbnail inside APP1 does not count
/// as the end. After each start-of-scan segment the entropy-coded data is skipped up to the next
/// marker, which is unambiguous because the format stuffs every `0xFF` data byte with `0x00`.
pub(crate) fn has_end_of_image(data: &[u8]) -> bool {
    if data.len() < 4 || data[0] != MARKER_PREFIX || data[1] != START_OF_IMAGE {
        return false;
    }

    let mut position = 2;
    loop {
        let Some(marker_at) = skip_fill_bytes(data, position) else {
            return false;
        };
        let marker = data[marker_at];
        position = marker_at + 1;

        if marker == END_OF_IMAGE {
            return true;
        }
        if marker == TEMPORARY || (RESTART_FIRST..=RESTART_LAST).contains(&marker) {
            continue;
        }

        let Some(length_bytes) = data.get(position..position + 2) else {
            return false;
        };
        // The length counts its own two bytes.
        let length = usize::from(u16::from_be_bytes([length_bytes[0], length_bytes[1]]));
        if length < 2 || position + length > data.len() {
            return false;
        }
        position += length;

        if marker == START_OF_SCAN {
            match find_marker_after_scan(data, position) {
                Some(next) => position = next,
                None => return false,
            }
        }
    }
}

/// Returns the index of the marker code after the `0xFF` (and any `0xFF` fill bytes) at
/// `position`, or `None` when no marker starts there.
fn skip_fill_bytes(data: &[u8], position: usize) -> Option<usize> {
    if *data.get(position)? != MARKER_PREFIX {
        return None;
    }

    let mut index = position + 1;
    while *data.get(index)? == MARKER_PREFIX {
        index += 1;
    }
    Some(index)
}

/// Returns the index of the `0xFF` that starts the first marker after entropy-coded data, skipping
/// stuffed zeros and restart markers.
fn find_marker_after_scan(data: &[u8], start: usize) -> Option<usize> {
    let mut index = start;
    while index + 1 < data.len() {
        if data[index] == MARKER_PREFIX {
            let next = data[index + 1];
            let is_data = next == STUFFED_ZERO
                || next == MARKER_PREFIX
                || (RESTART_FIRST..=RESTART_LAST).contains(&next);
            if !is_data {
                return Some(index);
            }
        }
        index += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SOI, an APP1 segment that contains a whole embedded JPEG, a tiny SOS with data, then EOI.
    fn sample_jpeg() -> Vec<u8> {
        let mut data = vec![0xFF, 0xD8];
        let embedded = [0xFF, 0xD8, 0xFF, 0xD9];
        data.extend_from_slice(&[0xFF, 0xE1, 0x00, 2 + embedded.len() as u8]);
        data.extend_from_slice(&embedded);
        data.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x03, 0x01]);
        data.extend_from_slice(&[0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56]);
        data.extend_from_slice(&[0xFF, 0xD9]);
        data
    }

    #[test]
    fn complete_jpeg_accepted() {
        assert!(has_end_of_image(&sample_jpeg()));
    }

    #[test]
    fn every_truncation_rejected() {
        let data = sample_jpeg();

        for length in 0..data.len() {
            assert!(!has_end_of_image(&data[..length]), "length {length}");
        }
    }

    #[test]
    fn trailing_bytes_after_end_accepted() {
        let mut data = sample_jpeg();
        data.extend_from_slice(b"camera trailer");

        assert!(has_end_of_image(&data));
    }
}
