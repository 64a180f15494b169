//! A text message too large to build in memory, written as one WebSocket frame piece by piece.

use tokio::io::{AsyncWrite, AsyncWriteExt as _};

/// Start and end of the large message: a JSON object of an unknown type whose `padding` string
/// fills the rest, so the whole message is valid UTF-8 and valid JSON.
const PREFIX: &[u8] = br#"{"type":"padding","padding":""#;
const SUFFIX: &[u8] = br#""}"#;

/// Size of each piece written, in bytes; the only buffer held while streaming.
const PIECE_BYTES: usize = 64 * 1024;

/// First byte of a frame header: FIN set, opcode 1 (text).
const FIN_TEXT: u8 = 0x81;

/// Writes one unmasked text frame of exactly `total_bytes` payload bytes to `out` (RFC 6455
/// section 5.2), then flushes. `total_bytes` below the size of the JSON wrapper is raised to it.
pub(crate) async fn stream_large_text<W>(out: &mut W, total_bytes: u64) -> std::io::Result<()>
where
    W: AsyncWrite + Unpin,
{
    let wrapper_bytes = (PREFIX.len() + SUFFIX.len()) as u64;
    let total_bytes = total_bytes.max(wrapper_bytes);

    out.write_all(&frame_header(total_bytes)).await?;
    out.write_all(PREFIX).await?;

    let piece = vec![b'x'; PIECE_BYTES];
    let mut remaining = total_bytes - wrapper_bytes;
    while remaining > 0 {
        let length = usize::try_from(remaining).map_or(PIECE_BYTES, |left| left.min(PIECE_BYTES));
        out.write_all(&piece[..length]).await?;
        remaining -= length as u64;
    }

    out.write_all(SUFFIX).await?;
    out.flush().await
}

/// Returns the header of a server frame (no mask) with a payload of `length` bytes.
fn frame_header(length: u64) -> Vec<u8> {
    let mut header = vec![FIN_TEXT];
    match length {
        0..=125 => header.push(length as u8),
        126..=0xFFFF => {
            header.push(126);
            header.extend_from_slice(&(length as u16).to_be_bytes());
        }
        _ => {
            header.push(127);
            header.extend_from_slice(&length.to_be_bytes());
        }
    }
    header
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_uses_shortest_length_encoding() {
        assert_eq!(frame_header(5), [0x81, 5]);
        assert_eq!(frame_header(126), [0x81, 126, 0, 126]);
        assert_eq!(
            frame_header(100 * 1024 * 1024),
            [0x81, 127, 0, 0, 0, 0, 0x06, 0x40, 0, 0]
        );
    }

    #[tokio::test]
    async fn small_message_is_exact_json() {
        let mut out = Vec::new();

        stream_large_text(&mut out, 40).await.unwrap();

        assert_eq!(out[..2], [0x81, 40]);
        let text = std::str::from_utf8(&out[2..]).unwrap();
        let value: serde_json::Value = serde_json::from_str(text).unwrap();
        assert_eq!(text.len(), 40);
        assert_eq!(value["type"], "padding");
    }
}
