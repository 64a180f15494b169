//! Hostile frames: each scenario's frames as a real client reads them, then the final list.

mod common;

use std::time::Instant;

use cabinet_sim::{RunningSim, Scenario, DEFAULT_DEVICE_NO, DEFAULT_TOKEN};
use common::*;
use futures_util::StreamExt as _;
use serde_json::Value;
use tokio::io::{AsyncBufReadExt as _, AsyncReadExt as _, AsyncWriteExt as _};
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};

const HUGE_MESSAGE_BYTES: usize = 100 * 1024 * 1024;
const NESTING_DEPTH: usize = 100_000;
const FLOOD_FRAMES: usize = 10_000;

/// Connects with no limit on message size, so the huge frame can be read whole.
async fn connect_unlimited(sim: &RunningSim) -> Client {
    let url = format!(
        "{}?deviceNo={DEFAULT_DEVICE_NO}&token={DEFAULT_TOKEN}",
        sim.ws_endpoint()
    );
    let config = WebSocketConfig::default()
        .max_message_size(None)
        .max_frame_size(None);
    let (client, _response) =
        tokio_tungstenite::connect_async_with_config(url, Some(config), false)
            .await
            .expect("handshake succeeds");
    client
}

/// Returns the names of the final frame's lines.
fn names(frame: &Value) -> Vec<String> {
    frame["data"]["list"]
        .as_array()
        .expect("data.list is an array")
        .iter()
        .map(|line| line["name"].as_str().expect("name is a string").to_owned())
        .collect()
}

#[tokio::test]
async fn invalid_utf8_text_frame_fails_reader() {
    let sim = start_short(Scenario::InvalidUtf8).await;
    let mut client = connect(&sim).await;

    let door = next_text(&mut client).await;
    let hostile = tokio::time::timeout(FRAME_TIMEOUT, client.next())
        .await
        .expect("a frame arrives in time");

    assert_eq!(door, DOOR_OPENED);
    match hostile {
        Some(Err(WsError::Utf8(_))) => {}
        other => panic!("expected a UTF-8 error, got {other:?}"),
    }
}

/// Opens a WebSocket by hand on a plain TCP stream, so frames can be read without any UTF-8
/// check, as a lenient client would.
async fn connect_raw(sim: &RunningSim) -> tokio::io::BufReader<tokio::net::TcpStream> {
    let mut stream = tokio::net::TcpStream::connect(sim.addr()).await.unwrap();
    let request = format!(
        "GET /websocket/ssib/replenish?deviceNo={DEFAULT_DEVICE_NO}&token={DEFAULT_TOKEN} HTTP/1.1\r\n\
         Host: {}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
        sim.addr()
    );
    stream.write_all(request.as_bytes()).await.unwrap();

    let mut reader = tokio::io::BufReader::new(stream);
    let mut status = String::new();
    reader.read_line(&mut status).await.unwrap();
    assert!(status.starts_with("HTTP/1.1 101"), "{status}");
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).await.unwrap();
        if line == "\r\n" {
            return reader;
        }
    }
}

/// Reads one unmasked, unfragmented server frame and returns its opcode and payload.
async fn read_raw_frame(reader: &mut tokio::io::BufReader<tokio::net::TcpStream>) -> (u8, Vec<u8>) {
    let mut header = [0u8; 2];
    reader.read_exact(&mut header).await.unwrap();
    let length = match header[1] & 0x7F {
        126 => u64::from(reader.read_u16().await.unwrap()),
        127 => reader.read_u64().await.unwrap(),
        short => u64::from(short),
    };
    let mut payload = vec![0u8; usize::try_from(length).unwrap()];
    reader.read_exact(&mut payload).await.unwrap();
    (header[0] & 0x0F, payload)
}

#[tokio::test]
async fn invalid_utf8_raw_bytes_then_final() {
    let sim = start_short(Scenario::InvalidUtf8).await;
    let mut reader = connect_raw(&sim).await;

    let (door_opcode, door) = read_raw_frame(&mut reader).await;
    let (hostile_opcode, hostile) = read_raw_frame(&mut reader).await;
    let (final_opcode, final_payload) = read_raw_frame(&mut reader).await;
    let final_frame: Value = serde_json::from_slice(&final_payload).unwrap();

    assert_eq!(door_opcode, 1);
    assert_eq!(door, DOOR_OPENED.as_bytes());
    assert_eq!(hostile_opcode, 1, "the invalid bytes come in a text frame");
    assert!(std::str::from_utf8(&hostile).is_err());
    assert!(hostile.windows(2).any(|window| window == [0xFF, 0xFE]));
    assert_eq!(final_opcode, 1);
    assert_eq!(final_frame, expected_three_drinks(&sim));
}

#[tokio::test]
async fn binary_frames_then_text_final() {
    let sim = start_short(Scenario::BinaryFrames).await;
    let mut client = connect(&sim).await;

    let door = next_text(&mut client).await;
    let mut binaries = Vec::new();
    for _ in 0..3 {
        binaries.push(next_message(&mut client).await);
    }
    let final_frame = next_json(&mut client).await;

    assert_eq!(door, DOOR_OPENED);
    assert!(binaries
        .iter()
        .all(|message| matches!(message, Message::Binary(_))));
    assert_eq!(binaries[1], Message::Binary(Vec::new().into()));
    assert_eq!(
        binaries[2],
        Message::Binary(FINAL_EMPTY.as_bytes().to_vec().into())
    );
    assert_eq!(final_frame, expected_three_drinks(&sim));
}

#[tokio::test]
async fn huge_frame_is_100_mib_then_final() {
    let sim = start_short(Scenario::HugeFrame).await;
    let mut client = connect_unlimited(&sim).await;

    let door = next_text(&mut client).await;
    let started = Instant::now();
    let huge = next_text(&mut client).await;
    let read_in = started.elapsed();
    let final_frame = next_json(&mut client).await;
    let value: Value = serde_json::from_str(&huge).expect("the huge message is valid JSON");

    eprintln!("read the 100 MiB message in {read_in:?}");
    assert_eq!(door, DOOR_OPENED);
    assert_eq!(huge.len(), HUGE_MESSAGE_BYTES);
    assert_eq!(value["type"], "padding");
    assert_eq!(final_frame, expected_three_drinks(&sim));
}

#[tokio::test]
async fn huge_frame_exceeds_default_limit() {
    let sim = start_short(Scenario::HugeFrame).await;
    let mut client = connect(&sim).await;

    next_text(&mut client).await;
    let hostile = tokio::time::timeout(FRAME_TIMEOUT, client.next())
        .await
        .expect("the frame header arrives in time");

    match hostile {
        Some(Err(WsError::Capacity(_))) => {}
        other => panic!("expected a capacity error, got {other:?}"),
    }
}

#[tokio::test]
async fn deep_nesting_then_final() {
    let sim = start_short(Scenario::DeepNesting).await;
    let mut client = connect(&sim).await;

    let door = next_text(&mut client).await;
    let arrays = next_text(&mut client).await;
    let objects = next_text(&mut client).await;
    let final_frame = next_json(&mut client).await;

    assert_eq!(door, DOOR_OPENED);
    assert!(
        arrays.starts_with(r#"{"type":"final""#),
        "{}",
        &arrays[..40]
    );
    assert_eq!(arrays.matches('[').count(), NESTING_DEPTH);
    assert_eq!(arrays.matches(']').count(), NESTING_DEPTH);
    assert!(
        objects.starts_with(r#"{"type":"door""#),
        "{}",
        &objects[..40]
    );
    assert_eq!(objects.matches(r#"{"a":"#).count(), NESTING_DEPTH);
    // serde_json stops at 128 levels instead of overflowing the stack.
    assert!(serde_json::from_str::<Value>(&arrays).is_err());
    assert_eq!(final_frame, expected_three_drinks(&sim));
}

#[tokio::test]
async fn flood_then_door_and_final() {
    let sim = start_short(Scenario::Flood).await;
    let mut client = connect(&sim).await;

    let started = Instant::now();
    let mut flood = Vec::new();
    let door = loop {
        let text = next_text(&mut client).await;
        if text == DOOR_OPENED {
            break text;
        }
        flood.push(text);
    };
    let flood_time = started.elapsed();
    let final_frame = next_json(&mut client).await;
    let unknown_type = flood
        .iter()
        .filter(|text| text.starts_with(r#"{"type":"noise""#))
        .count();
    let not_json = flood
        .iter()
        .filter(|text| serde_json::from_str::<Value>(text).is_err())
        .count();

    eprintln!("read {} flood frames in {flood_time:?}", flood.len());
    assert_eq!(door, DOOR_OPENED);
    assert_eq!(flood.len(), FLOOD_FRAMES);
    assert_eq!(unknown_type, 3334);
    assert_eq!(not_json, 3333);
    assert_eq!(final_frame, expected_three_drinks(&sim));
}

#[tokio::test]
async fn long_names_final() {
    let sim = start_short(Scenario::LongNames).await;
    let mut client = connect(&sim).await;

    assert_eq!(next_text(&mut client).await, DOOR_OPENED);
    let frame = next_json(&mut client).await;
    let names = names(&frame);
    let type_name = frame["data"]["list"][1]["typeName"].as_str().unwrap();

    assert_eq!(names[0].chars().count(), 10_000);
    assert!(names[0].starts_with("超长商品名称"));
    assert_eq!(type_name.chars().count(), 10_000);
    assert_eq!(names[1..], ["可口可乐", "脉动"]);
}

#[tokio::test]
async fn control_chars_in_names() {
    let sim = start_short(Scenario::ControlChars).await;
    let mut client = connect(&sim).await;

    assert_eq!(next_text(&mut client).await, DOOR_OPENED);
    let frame = next_json(&mut client).await;
    let names = names(&frame);
    let type_name = frame["data"]["list"][0]["typeName"].as_str().unwrap();

    assert!(names[0].contains('\u{0}'));
    assert!(names[0].contains('\u{1b}'));
    assert!(names[0].contains("\r\n"));
    assert!(names[1].starts_with('\u{202E}'));
    assert!(names[2].contains('\u{200B}'));
    assert!(names[2].contains('\u{FEFF}'));
    assert!(type_name.contains('\u{7f}'));
    assert!(type_name.contains('\u{2028}'));
}

#[tokio::test]
async fn absurd_numbers_final() {
    let sim = start_short(Scenario::AbsurdNumbers).await;
    let mut client = connect(&sim).await;

    assert_eq!(next_text(&mut client).await, DOOR_OPENED);
    let text = next_text(&mut client).await;
    let frame: Value = serde_json::from_str(&text).expect("the list is valid JSON");
    let lines = frame["data"]["list"].as_array().unwrap();

    assert!(text.contains(r#""addQuantity":1e9"#), "{text}");
    assert!(text.contains(r#""costPrice":1E-2"#), "{text}");
    assert!(
        text.contains(r#""addQuantity":18446744073709551616"#),
        "{text}"
    );
    assert_eq!(lines[0]["salePrice"], "NaN");
    assert_eq!(lines[0]["costPrice"], "Infinity");
    assert_eq!(lines[1]["addQuantity"], -5);
    assert_eq!(lines[1]["salePrice"], "1e3");
    assert_eq!(lines[2]["costPrice"], "-Infinity");
    assert_eq!(frame["type"], "final");
}
