//! Hostile and broken frames from the simulator over real sockets: none crashes or stalls the
//! session, each kind is reported, and the session goes on where it can.

use std::collections::BTreeMap;

use cabinet_sim::Scenario;
use replenish_core::display_text::MAX_SHOWN_CHARS;
use replenish_core::event::{LostCause, ProtocolErrorKind, SessionEvent};
use replenish_core::model::FinalList;
use replenish_core::presenter::{final_view, Presenter, SessionContext};
use replenish_core::state::SessionState;

mod support;
use support::*;

fn final_list(outcome: &Outcome) -> &FinalList {
    outcome
        .events
        .iter()
        .find_map(|event| match event {
            SessionEvent::FinalList(list) => Some(list),
            _ => None,
        })
        .expect("the final list arrived")
}

/// Counts the protocol errors of `kind` among the session's events.
fn protocol_errors(outcome: &Outcome, kind: ProtocolErrorKind) -> usize {
    outcome
        .events
        .iter()
        .filter(|event| matches!(event, SessionEvent::ProtocolError { kind: found, .. } if *found == kind))
        .count()
}

fn no_images(_: &str) -> Option<String> {
    None
}

fn context() -> SessionContext {
    SessionContext {
        session_id: 1,
        device_no: "181200005".to_owned(),
        device_name: None,
        endpoint_host: "127.0.0.1".to_owned(),
        endpoint: "ws://127.0.0.1/".to_owned(),
    }
}

/// Feeds every event to a presenter and returns the last count of each notice, by key.
fn notice_counts(outcome: &Outcome) -> BTreeMap<String, u64> {
    let mut presenter = Presenter::new(context());
    let mut counts = BTreeMap::new();
    for event in &outcome.events {
        for notice in presenter.on_event(event, &mut no_images).notices {
            counts.insert(notice.message.key.to_owned(), notice.count);
        }
    }
    counts
}

#[tokio::test]
async fn binary_frames_reported_session_finishes() {
    let sim = quick_sim(Scenario::BinaryFrames).await;
    let outcome = run_quick(sim_target(&sim)).await;

    assert_eq!(outcome.end, SessionState::Finished);
    assert_eq!(protocol_errors(&outcome, ProtocolErrorKind::Binary), 3);
    // A binary frame that contains a valid final list is still not taken for one.
    assert_eq!(final_list(&outcome).lines.len(), 3);
    assert_eq!(
        notice_counts(&outcome).get("notice.protocol.binary"),
        Some(&3)
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn huge_frame_closed_with_1009() {
    let sim = quick_sim(Scenario::HugeFrame).await;
    let outcome = run_quick(sim_target(&sim)).await;

    assert!(
        matches!(
            outcome.end,
            SessionState::ConnectionLost {
                cause: LostCause::TooLarge,
                ..
            }
        ),
        "{:?}",
        outcome.end
    );
    assert_eq!(
        outcome.events.last(),
        Some(&SessionEvent::Closed { close_code: 1009 })
    );
    // The simulator is still busy writing its 100 MiB and reads no more, so it cannot report
    // the close code; the 300 KiB list in the session tests shows that 1009 reaches a server.
    assert_eq!(sim.connection_count(), 1);
    sim.shutdown().await;
}

#[tokio::test]
async fn invalid_utf8_reported_then_failed() {
    let sim = quick_sim(Scenario::InvalidUtf8).await;
    let outcome = run_quick(sim_target(&sim)).await;

    // RFC 6455 fails a connection that sends invalid UTF-8: the frame is reported, the client
    // closes with 1007, and it does not reconnect into the same frame.
    assert_eq!(
        protocol_errors(&outcome, ProtocolErrorKind::NotUtf8),
        1,
        "{:#?}",
        outcome.described()
    );
    assert!(
        matches!(
            outcome.end,
            SessionState::ConnectionLost {
                cause: LostCause::InvalidText,
                ..
            }
        ),
        "{:?}",
        outcome.end
    );
    assert_eq!(
        outcome.events.last(),
        Some(&SessionEvent::Closed { close_code: 1007 })
    );
    assert_eq!(sim.connection_count(), 1);
    assert_eq!(
        notice_counts(&outcome).get("notice.protocol.not_utf8"),
        Some(&1)
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn deep_nesting_reported_session_finishes() {
    let sim = quick_sim(Scenario::DeepNesting).await;
    let outcome = run_quick(sim_target(&sim)).await;

    assert_eq!(outcome.end, SessionState::Finished);
    assert!(outcome
        .events
        .iter()
        .any(|event| matches!(event, SessionEvent::ProtocolError { .. })));
    assert_eq!(final_list(&outcome).record_id, Some(33116));
    sim.shutdown().await;
}

#[tokio::test]
async fn flood_counted_and_coalesced() {
    let sim = quick_sim(Scenario::Flood).await;
    let outcome = run_quick(sim_target(&sim)).await;

    assert_eq!(outcome.end, SessionState::Finished);
    let bad = outcome
        .events
        .iter()
        .filter(|event| {
            matches!(
                event,
                SessionEvent::ProtocolError { .. } | SessionEvent::UnknownType { .. }
            )
        })
        .count();
    assert_eq!(bad, 10_000);

    let mut presenter = Presenter::new(context());
    let sent: usize = outcome
        .events
        .iter()
        .map(|event| presenter.on_event(event, &mut no_images).notices.len())
        .sum();
    assert!(sent < 100, "{sent} notice updates for 10 000 bad frames");
    let total: u64 = notice_counts(&outcome).values().sum();
    assert_eq!(total, 10_000);
    sim.shutdown().await;
}

#[tokio::test]
async fn long_name_kept_and_cut() {
    let sim = quick_sim(Scenario::LongNames).await;
    let outcome = run_quick(sim_target(&sim)).await;

    assert_eq!(outcome.end, SessionState::Finished);
    let list = final_list(&outcome);
    assert_eq!(list.lines[0].name.chars().count(), 10_000);

    let view = final_view(1, list, &mut no_images);
    let shown = &view.cabinets[0].lines[0].name;
    assert_eq!(shown.chars().count(), MAX_SHOWN_CHARS + 1);
    assert!(shown.ends_with('…'));
    assert_eq!(
        notice_counts(&outcome).get("notice.names_cleaned"),
        Some(&1)
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn control_characters_not_shown() {
    let sim = quick_sim(Scenario::ControlChars).await;
    let outcome = run_quick(sim_target(&sim)).await;

    assert_eq!(outcome.end, SessionState::Finished);
    let list = final_list(&outcome);
    // The record keeps what was received.
    assert!(list.lines[1].name.contains('\u{202E}'));

    let view = final_view(1, list, &mut no_images);
    let names: Vec<&str> = view
        .cabinets
        .iter()
        .flat_map(|cabinet| cabinet.lines.iter().map(|line| line.name.as_str()))
        .collect();
    assert_eq!(
        names,
        ["阿莎姆奶茶[31m", "乐可口可", "脉动\u{200D}\u{200C}"]
    );
    let categories: Vec<Option<&str>> = view.cabinets[0]
        .lines
        .iter()
        .map(|line| line.category.as_deref())
        .collect();
    assert_eq!(categories, [Some("饮料"), Some("饮料")]);
    assert_eq!(
        notice_counts(&outcome).get("notice.names_cleaned"),
        Some(&1)
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn absurd_numbers_mark_lines_incomplete() {
    let sim = quick_sim(Scenario::AbsurdNumbers).await;
    let outcome = run_quick(sim_target(&sim)).await;

    assert_eq!(outcome.end, SessionState::Finished);
    let list = final_list(&outcome);
    assert_eq!(list.lines.len(), 3);
    assert!(
        list.lines.iter().all(|line| !line.problems.is_empty()),
        "{:#?}",
        list.lines
    );
    let view = final_view(1, list, &mut no_images);
    assert!(view.totals.incomplete);
    sim.shutdown().await;
}
