//! Decodes arbitrary frames and shows whatever decodes, as the session client and the window do.
//!
//! The input is tried twice: as text when it is valid UTF-8, and always as the lossy UTF-8 text of
//! its bytes, because a WebSocket text frame is UTF-8 but a fuzzer's bytes mostly are not.

#![no_main]

use libfuzzer_sys::fuzz_target;
use replenish_core::event::SessionEvent;
use replenish_core::frame::{decode, Frame};
use replenish_core::presenter::{Presenter, SessionContext};

/// Local time given to a door frame, in ms since the Unix epoch. Its value does not matter.
const DOOR_OPENED_AT_MS: u64 = 1_700_000_000_000;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        decode_and_present(text);
    }
    decode_and_present(&String::from_utf8_lossy(data));
});

fn decode_and_present(text: &str) {
    let Ok(decoded) = decode(text) else {
        return;
    };
    assert!(
        decoded.unknown_fields.len() <= 16,
        "unknown fields grew past their cap"
    );

    let mut presenter = Presenter::new(SessionContext {
        session_id: 1,
        device_no: "181200005".to_owned(),
        device_name: None,
        endpoint_host: "127.0.0.1".to_owned(),
        endpoint: "ws://127.0.0.1/websocket/ssib/replenish".to_owned(),
    });
    let mut image_url = |url: &str| Some(format!("thumb://localhost/{}", url.len()));

    let event = event_for(decoded.frame);
    for event in [SessionEvent::Connected, event] {
        let update = presenter.on_event(&event, &mut image_url);

        // The shell serializes every update to JSON for the page.
        serde_json::to_string(&update.session).expect("the session view serializes");
        serde_json::to_string(&update.final_list).expect("the final list view serializes");
        serde_json::to_string(&update.notices).expect("the notices serialize");
    }
    serde_json::to_string(&presenter.session_view()).expect("the banner serializes");
}

/// Maps a decoded frame to the event the session client reports for it.
fn event_for(frame: Frame) -> SessionEvent {
    match frame {
        Frame::Door {
            opened: true,
            message,
            ..
        } => SessionEvent::DoorOpened {
            message,
            at_ms: DOOR_OPENED_AT_MS,
        },
        Frame::Door {
            opened: false,
            message,
            code,
        } => SessionEvent::DoorFailed { message, code },
        Frame::Final(list) => SessionEvent::FinalList(list),
        Frame::Failure { message, code } => SessionEvent::Failure { message, code },
        Frame::Unknown { type_name } => SessionEvent::UnknownType { type_name },
    }
}
