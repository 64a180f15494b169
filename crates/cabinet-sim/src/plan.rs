//! The frame sequence of each scenario.

use std::time::Duration;

use axum::body::Bytes;
use tokio_tungstenite::tungstenite::Message;

use crate::config::SimConfig;
use crate::frames::{self, final_list};
use crate::hostile;
use crate::products::{self, BROKEN_IMAGES_RECORD_ID, LARGE_RECORD_ID, THREE_DRINKS_RECORD_ID};
use crate::scenario::Scenario;

/// One step of a session.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Step {
    /// Wait, while replying to pings and watching for the client's Close.
    Pause(Duration),
    Send(Message),
    /// Send all messages, then flush once.
    SendBurst(Vec<Message>),
    /// Stream one text message of this many bytes without building it in memory.
    SendLargeText(u64),
    /// Send Close with this code and end the session.
    Close {
        code: u16,
        reason: &'static str,
    },
    /// End the TCP connection without a Close frame.
    DropConnection,
    /// End the TCP connection with a reset (RST).
    ResetConnection,
    /// Hold the connection without reading it (so no Pong is sent), then drop it.
    StopReading(Duration),
}

/// How long the silent scenarios hold a connection before they give up on the client.
pub(crate) const SILENCE_LIMIT: Duration = Duration::from_secs(600);

/// Frames of the malformed-frames scenario, each invalid in a different way.
const NOT_JSON: &str = r#"{"msg":"开门成功,请补货","success":"true","ty"#;
const NOT_UTF8_BINARY: [u8; 6] = [0xde, 0xad, 0xbe, 0xef, 0x00, 0xff];
const MISSING_TYPE: &str = r#"{"msg":"开门成功,请补货","success":"true"}"#;
const UNKNOWN_TYPE: &str = r#"{"type":"heartbeat"}"#;

/// Returns the steps of `config.scenario` on connection number `connection` (from 0).
/// `image_base` is the URL prefix of this server's picture route.
pub(crate) fn plan(config: &SimConfig, image_base: &str, connection: usize) -> Vec<Step> {
    let door_opened_then = |last: Step| {
        vec![
            Step::Pause(config.door_delay),
            text(frames::DOOR_OPENED),
            Step::Pause(config.door_open_for),
            last,
        ]
    };

    match config.scenario {
        Scenario::ThreeDrinks | Scenario::DoorHeld => {
            door_opened_then(three_drinks_final(image_base))
        }
        Scenario::Empty => door_opened_then(text(frames::FINAL_EMPTY)),
        Scenario::Large => door_opened_then(text(&final_list(
            LARGE_RECORD_ID,
            &products::large(image_base),
        ))),
        Scenario::DropBeforeFinal => door_opened_then(Step::DropConnection),
        Scenario::BrokenImages => door_opened_then(text(&final_list(
            BROKEN_IMAGES_RECORD_ID,
            &products::broken_images(image_base),
        ))),
        Scenario::HtmlName => door_opened_then(text(&final_list(
            THREE_DRINKS_RECORD_ID,
            &products::html_name(image_base),
        ))),
        Scenario::MalformedFrames => vec![
            Step::Pause(config.door_delay),
            text(frames::DOOR_OPENED),
            text(NOT_JSON),
            Step::Send(Message::Binary(Bytes::from_static(&NOT_UTF8_BINARY))),
            text(MISSING_TYPE),
            text(UNKNOWN_TYPE),
            Step::Pause(config.door_open_for),
            three_drinks_final(image_base),
        ],
        Scenario::DropOnce1011 if connection == 0 => door_opened_then(Step::Close {
            code: 1011,
            reason: "internal error",
        }),
        Scenario::ResetOnce if connection == 0 => door_opened_then(Step::ResetConnection),
        Scenario::DropOnce1011 | Scenario::ResetOnce => {
            door_opened_then(three_drinks_final(image_base))
        }
        Scenario::Close1008Always => door_opened_then(Step::Close {
            code: 1008,
            reason: "policy violation",
        }),
        Scenario::Silent => vec![Step::Pause(SILENCE_LIMIT)],
        Scenario::SilentNoPong => vec![
            Step::Pause(config.door_delay),
            text(frames::DOOR_OPENED),
            Step::StopReading(SILENCE_LIMIT),
        ],
        // The redirect is sent in place of the handshake, so no session starts.
        Scenario::Redirect => Vec::new(),
        Scenario::InvalidUtf8 => hostile_then_three_drinks(
            config,
            image_base,
            vec![Step::Send(hostile::invalid_utf8_frame())],
        ),
        Scenario::BinaryFrames => hostile_then_three_drinks(
            config,
            image_base,
            vec![Step::SendBurst(hostile::binary_frames())],
        ),
        Scenario::HugeFrame => hostile_then_three_drinks(
            config,
            image_base,
            vec![Step::SendLargeText(hostile::HUGE_MESSAGE_BYTES)],
        ),
        Scenario::DeepNesting => hostile_then_three_drinks(
            config,
            image_base,
            hostile::deeply_nested_frames()
                .iter()
                .map(|frame| text(frame))
                .collect(),
        ),
        Scenario::Flood => vec![
            Step::SendBurst(hostile::flood_frames()),
            Step::Pause(config.door_delay),
            text(frames::DOOR_OPENED),
            Step::Pause(config.door_open_for),
            three_drinks_final(image_base),
        ],
        Scenario::LongNames => door_opened_then(text(&hostile::long_names_final(image_base))),
        Scenario::ControlChars => door_opened_then(text(&hostile::control_chars_final(image_base))),
        Scenario::AbsurdNumbers => {
            door_opened_then(text(&hostile::absurd_numbers_final(image_base)))
        }
        Scenario::DoorFailed => vec![Step::Pause(config.door_delay), text(frames::DOOR_FAILED)],
        Scenario::FailureOperationFailed => vec![text(frames::FAILURE_OPERATION_FAILED)],
        Scenario::FailureSomeoneShopping => vec![text(frames::FAILURE_SOMEONE_SHOPPING)],
        Scenario::FailureAlreadyReplenishing => vec![text(frames::FAILURE_ALREADY_REPLENISHING)],
    }
}

/// Door opened, the `hostile` steps, then after `door_open_for` the three drinks.
fn hostile_then_three_drinks(
    config: &SimConfig,
    image_base: &str,
    hostile: Vec<Step>,
) -> Vec<Step> {
    let mut steps = vec![Step::Pause(config.door_delay), text(frames::DOOR_OPENED)];
    steps.extend(hostile);
    steps.push(Step::Pause(config.door_open_for));
    steps.push(three_drinks_final(image_base));
    steps
}

fn text(frame: &str) -> Step {
    Step::Send(Message::Text(frame.into()))
}

fn three_drinks_final(image_base: &str) -> Step {
    text(&final_list(
        THREE_DRINKS_RECORD_ID,
        &products::three_drinks(image_base),
    ))
}
