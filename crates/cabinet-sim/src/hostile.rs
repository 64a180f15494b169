//! Frames and final lists that a broken or hostile server could send.

use axum::body::Bytes;
use tokio_tungstenite::tungstenite::protocol::frame::coding::{Data, OpCode};
use tokio_tungstenite::tungstenite::protocol::frame::Frame;
use tokio_tungstenite::tungstenite::Message;

use crate::frames::{final_list, FINAL_EMPTY};
use crate::products::{self, THREE_DRINKS_RECORD_ID};

/// Payload size of the huge-frame scenario's single text message: 100 MiB.
pub(crate) const HUGE_MESSAGE_BYTES: u64 = 100 * 1024 * 1024;

/// Nesting depth of the deep-nesting scenario's JSON.
pub(crate) const NESTING_DEPTH: usize = 100_000;

/// Number of frames the flood scenario sends before the door frame.
pub(crate) const FLOOD_FRAMES: usize = 10_000;

/// Length in characters of the long product name.
pub(crate) const LONG_NAME_CHARS: usize = 10_000;

/// `recordId` of the absurd-numbers list.
pub(crate) const ABSURD_NUMBERS_RECORD_ID: u64 = 33118;

/// A text frame whose payload is not UTF-8: a door frame whose `msg` contains the bytes
/// 0xC3 0x28 (a cut two-byte sequence), 0xFF and 0xFE (never valid), and an encoded surrogate
/// (0xED 0xA0 0x80). RFC 6455 section 8.1 requires the client to fail the connection.
pub(crate) fn invalid_utf8_frame() -> Message {
    let mut payload = br#"{"msg":"bad "#.to_vec();
    payload.extend_from_slice(&[0xC3, 0x28, 0xFF, 0xFE, 0xED, 0xA0, 0x80]);
    payload.extend_from_slice(br#"","success":"true","type":"door"}"#);

    Message::Frame(Frame::message(payload, OpCode::Data(Data::Text), true))
}

/// Binary frames: random bytes, an empty frame, and a valid empty final list that a client
/// must not take for the real one, because the contract sends text frames only.
pub(crate) fn binary_frames() -> Vec<Message> {
    vec![
        Message::Binary(Bytes::from_static(&[0x00, 0xFF, 0x80, 0x7F, 0xC0, 0xDE])),
        Message::Binary(Bytes::new()),
        Message::Binary(Bytes::from_static(FINAL_EMPTY.as_bytes())),
    ]
}

/// Two frames nested `NESTING_DEPTH` levels deep, one in arrays and one in objects, each
/// under a `type` the contract defines so that a decoder cannot skip it by type alone.
pub(crate) fn deeply_nested_frames() -> [String; 2] {
    let arrays = format!(
        r#"{{"type":"final","data":{{"recordId":1,"list":{}{}}}}}"#,
        "[".repeat(NESTING_DEPTH),
        "]".repeat(NESTING_DEPTH)
    );
    let objects = format!(
        r#"{{"type":"door","success":"true","msg":{}1{}}}"#,
        r#"{"a":"#.repeat(NESTING_DEPTH),
        "}".repeat(NESTING_DEPTH)
    );
    [arrays, objects]
}

/// `FLOOD_FRAMES` frames, in turn of an unknown type, not JSON, and JSON without a `type`.
pub(crate) fn flood_frames() -> Vec<Message> {
    (0..FLOOD_FRAMES)
        .map(|sequence| {
            let text = match sequence % 3 {
                0 => format!(r#"{{"type":"noise","seq":{sequence}}}"#),
                1 => format!(r#"{{"type":"door","seq":{sequence}"#),
                _ => format!(r#"{{"seq":{sequence}}}"#),
            };
            Message::Text(text.into())
        })
        .collect()
}

/// Builds the three drinks with the first renamed to a name of `LONG_NAME_CHARS` characters
/// and the second given a category of the same length.
pub(crate) fn long_names_final(image_base: &str) -> String {
    let mut lines = products::three_drinks(image_base);
    let long_name: String = "超长商品名称"
        .chars()
        .cycle()
        .take(LONG_NAME_CHARS)
        .collect();
    lines[0].name = long_name.clone();
    lines[1].type_name = long_name;

    final_list(THREE_DRINKS_RECORD_ID, &lines)
}

/// Product names of the control-chars scenario, in the order of the three drinks.
pub(crate) const CONTROL_CHAR_NAMES: [&str; 3] = [
    // NUL, bell, escape sequence, CR LF and tab.
    "阿莎姆\u{0}奶茶\u{7}\u{1b}[31m\r\n\t",
    // Right-to-left override (U+202E) reverses what follows on screen, then pop (U+202C).
    "\u{202E}乐可口可\u{202C}",
    // Zero-width space, joiner, non-joiner and byte order mark.
    "脉\u{200B}动\u{200D}\u{200C}\u{FEFF}",
];

/// Category of the control-chars scenario: DEL, a C1 control and a line separator.
pub(crate) const CONTROL_CHAR_TYPE_NAME: &str = "饮\u{7f}料\u{85}\u{2028}";

/// Builds the three drinks with names and categories full of control and invisible characters.
pub(crate) fn control_chars_final(image_base: &str) -> String {
    let mut lines = products::three_drinks(image_base);
    for (line, name) in lines.iter_mut().zip(CONTROL_CHAR_NAMES) {
        line.name = name.to_owned();
        line.type_name = CONTROL_CHAR_TYPE_NAME.to_owned();
    }

    final_list(THREE_DRINKS_RECORD_ID, &lines)
}

/// Writes a final list whose numbers are absurd. It is written by hand because no Rust number
/// type can represent them all: exponents (1e9, 1E-2), negative quantities, a quantity above u64, a fractional
/// quantity, and prices as the strings "NaN", "Infinity", "-Infinity", "1e3" and "-0.00".
/// Every number stays within f64, so the frame is valid JSON to any parser.
pub(crate) fn absurd_numbers_final(image_base: &str) -> String {
    let [milk_tea, cola, mizone] = crate::images::THREE_DRINKS_PICTURES;
    format!(
        concat!(
            r#"{{"data":{{"recordId":{record},"list":["#,
            r#"{{"addQuantity":1e9,"addQuantityRevise":1000000000,"aisleNo":101,"cabinetNo":1,"#,
            r#""costPrice":"Infinity","id":3297,"isBulk":"0","name":"阿莎姆奶茶","removeQuantity":0,"#,
            r#""removeQuantityRevise":0,"salePrice":"NaN","storage":41,"#,
            r#""thumbImage":"{base}{milk_tea}","typeName":"饮料"}},"#,
            r#"{{"addQuantity":-5,"addQuantityRevise":-5,"aisleNo":102,"cabinetNo":1,"#,
            r#""costPrice":1E-2,"id":3295,"isBulk":"0","name":"可口可乐","removeQuantity":-5,"#,
            r#""removeQuantityRevise":-5,"salePrice":"1e3","storage":-29,"#,
            r#""thumbImage":"{base}{cola}","typeName":"饮料"}},"#,
            r#"{{"addQuantity":18446744073709551616,"addQuantityRevise":"12.5","aisleNo":201,"#,
            r#""cabinetNo":2,"costPrice":"-Infinity","id":3296,"isBulk":"1","name":"脉动","#,
            r#""removeQuantity":0,"removeQuantityRevise":0,"salePrice":"-0.00","storage":1e9,"#,
            r#""thumbImage":"{base}{mizone}","typeName":"饮料"}}"#,
            r#"]}},"type":"final"}}"#
        ),
        record = ABSURD_NUMBERS_RECORD_ID,
        base = image_base,
        milk_tea = milk_tea,
        cola = cola,
        mizone = mizone,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_payload_is_not_utf8() {
        let Message::Frame(frame) = invalid_utf8_frame() else {
            panic!("expected a raw frame");
        };

        assert!(std::str::from_utf8(frame.payload()).is_err());
        assert_eq!(frame.header().opcode, OpCode::Data(Data::Text));
    }

    #[test]
    fn nested_frames_have_full_depth() {
        let [arrays, objects] = deeply_nested_frames();

        assert_eq!(arrays.matches('[').count(), NESTING_DEPTH);
        assert_eq!(objects.matches('{').count(), NESTING_DEPTH + 1);
    }

    #[test]
    fn long_name_has_exact_length() {
        let frame = long_names_final("http://127.0.0.1:1/upload/image/");
        let value: serde_json::Value = serde_json::from_str(&frame).unwrap();
        let name = value["data"]["list"][0]["name"].as_str().unwrap();

        assert_eq!(name.chars().count(), LONG_NAME_CHARS);
    }
}
