//! The frame sequence of each scenario.

use std::time::Duration;

use axum::body::Bytes;
use axum::extract::ws::Message;

use crate::config::SimConfig;
use crate::frames::{self, final_list};
use crate::products::{self, BROKEN_IMAGES_RECORD_ID, LARGE_RECORD_ID, THREE_DRINKS_RECORD_ID};
use crate::scenario::Scenario;

/// One step of a session.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Step {
    /// Wait, while replying to pings and watching for the client's Close.
    Pause(Duration),
    Send(Message),
    /// End the TCP connection without a Close frame.
    DropConnection,
}

/// Frames of the malformed-frames scenario, each invalid in a different way.
const NOT_JSON: &str = r#"{"msg":"开门成功,请补货","success":"true","ty"#;
const NOT_UTF8_BINARY: [u8; 6] = [0xde, 0xad, 0xbe, 0xef, 0x00, 0xff];
const MISSING_TYPE: &str = r#"{"msg":"开门成功,请补货","success":"true"}"#;
const UNKNOWN_TYPE: &str = r#"{"type":"heartbeat"}"#;

/// Returns the steps of `config.scenario`. `image_base` is the URL prefix of this server's
/// picture route.
pub(crate) fn plan(config: &SimConfig, image_base: &str) -> Vec<Step> {
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
        Scenario::DoorFailed => vec![Step::Pause(config.door_delay), text(frames::DOOR_FAILED)],
        Scenario::FailureOperationFailed => vec![text(frames::FAILURE_OPERATION_FAILED)],
        Scenario::FailureSomeoneShopping => vec![text(frames::FAILURE_SOMEONE_SHOPPING)],
        Scenario::FailureAlreadyReplenishing => vec![text(frames::FAILURE_ALREADY_REPLENISHING)],
    }
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
