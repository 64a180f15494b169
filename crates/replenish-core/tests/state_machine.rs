//! Every transition of the session state machine.

use replenish_core::event::{ConnectErrorKind, LostCause, ProtocolErrorKind, SessionEvent};
use replenish_core::model::FinalList;
use replenish_core::state::{FailureReason, SessionState};

const OPENED_AT: u64 = 1_700_000_000_000;
const LATER: u64 = OPENED_AT + 60_000;

/// Returns the states in which the session is still going.
fn live_states() -> Vec<SessionState> {
    vec![
        SessionState::Connecting,
        SessionState::WaitingForDoor,
        SessionState::DoorOpen {
            since_ms: OPENED_AT,
        },
    ]
}

fn failure_reasons() -> Vec<FailureReason> {
    vec![
        FailureReason::DoorFailed {
            message: Some("网络不畅,请稍后再试".to_owned()),
            code: None,
        },
        FailureReason::Refused {
            message: Some("有人正在购物".to_owned()),
            code: Some(3),
        },
        FailureReason::ConnectFailed {
            kind: ConnectErrorKind::Other,
            reason: "connection refused".to_owned(),
        },
        FailureReason::HandshakeRejected {
            status: 401,
            body_excerpt: "unauthorized".to_owned(),
        },
        FailureReason::DoorTimedOut { waited_secs: 90 },
    ]
}

/// Returns the states after which nothing more can happen.
fn ended_states() -> Vec<SessionState> {
    let mut states = vec![
        SessionState::Finished,
        SessionState::Cancelled,
        SessionState::ConnectionLost {
            cause: LostCause::Reset,
            close_code: Some(1006),
            reason: "reset".to_owned(),
        },
    ];
    states.extend(failure_reasons().into_iter().map(SessionState::Failed));
    states
}

fn three_line_list() -> FinalList {
    let text = include_str!("frames/final-three-drinks.json");
    match replenish_core::frame::decode(text).unwrap().frame {
        replenish_core::frame::Frame::Final(list) => list,
        other => panic!("expected a final list, got {other:?}"),
    }
}

/// Returns one event of every kind.
fn every_event() -> Vec<SessionEvent> {
    vec![
        SessionEvent::Connected,
        SessionEvent::DoorOpened {
            message: Some("开门成功,请补货".to_owned()),
            at_ms: LATER,
        },
        SessionEvent::DoorFailed {
            message: Some("网络不畅,请稍后再试".to_owned()),
            code: Some(1),
        },
        SessionEvent::FinalList(three_line_list()),
        SessionEvent::Failure {
            message: Some("操作失败".to_owned()),
            code: None,
        },
        SessionEvent::ProtocolError {
            kind: ProtocolErrorKind::NotJson,
            reason: "the frame is not valid JSON".to_owned(),
            excerpt: "{oops".to_owned(),
        },
        SessionEvent::UnknownType {
            type_name: "heartbeat".to_owned(),
        },
        SessionEvent::ConnectFailed {
            kind: ConnectErrorKind::Other,
            reason: "connection refused".to_owned(),
        },
        SessionEvent::HandshakeRejected {
            status: 403,
            body_excerpt: "forbidden".to_owned(),
        },
        SessionEvent::DoorTimedOut { waited_secs: 5 },
        SessionEvent::ConnectionLost {
            cause: LostCause::Reset,
            close_code: None,
            reason: "reset".to_owned(),
        },
        SessionEvent::Cancelled,
        SessionEvent::Closed { close_code: 1000 },
    ]
}

/// Applies `event` to every live state and checks the result with `expected(state)`.
fn assert_from_live_states(event: SessionEvent, expected: impl Fn(&SessionState) -> SessionState) {
    for state in live_states() {
        assert_eq!(
            state.apply(&event),
            expected(&state),
            "{state:?} + {event:?}"
        );
    }
}

// ---- Live states ----

#[test]
fn connected_from_connecting() {
    let next = SessionState::Connecting.apply(&SessionEvent::Connected);
    assert_eq!(next, SessionState::WaitingForDoor);
}

#[test]
fn connected_elsewhere_keeps_state() {
    for state in [
        SessionState::WaitingForDoor,
        SessionState::DoorOpen {
            since_ms: OPENED_AT,
        },
    ] {
        assert_eq!(state.apply(&SessionEvent::Connected), state, "{state:?}");
    }
}

#[test]
fn door_opened_sets_time() {
    let event = SessionEvent::DoorOpened {
        message: None,
        at_ms: OPENED_AT,
    };
    for state in [SessionState::Connecting, SessionState::WaitingForDoor] {
        let expected = SessionState::DoorOpen {
            since_ms: OPENED_AT,
        };
        assert_eq!(state.apply(&event), expected, "{state:?}");
    }
}

#[test]
fn door_opened_again_keeps_first_time() {
    let open = SessionState::DoorOpen {
        since_ms: OPENED_AT,
    };
    let repeat = SessionEvent::DoorOpened {
        message: Some("开门成功,请补货".to_owned()),
        at_ms: LATER,
    };
    assert_eq!(open.apply(&repeat), open);
}

#[test]
fn door_failed_fails() {
    let event = SessionEvent::DoorFailed {
        message: Some("网络不畅,请稍后再试".to_owned()),
        code: Some(1001),
    };
    assert_from_live_states(event, |_| {
        SessionState::Failed(FailureReason::DoorFailed {
            message: Some("网络不畅,请稍后再试".to_owned()),
            code: Some(1001),
        })
    });
}

#[test]
fn final_list_finishes() {
    assert_from_live_states(SessionEvent::FinalList(three_line_list()), |_| {
        SessionState::Finished
    });
}

#[test]
fn empty_final_list_finishes() {
    let empty = FinalList {
        record_id: None,
        lines: Vec::new(),
    };
    assert_from_live_states(SessionEvent::FinalList(empty), |_| SessionState::Finished);
}

#[test]
fn failure_is_refused() {
    let event = SessionEvent::Failure {
        message: Some("该设备已处于补货状态".to_owned()),
        code: None,
    };
    assert_from_live_states(event, |_| {
        SessionState::Failed(FailureReason::Refused {
            message: Some("该设备已处于补货状态".to_owned()),
            code: None,
        })
    });
}

#[test]
fn connect_failed_fails() {
    let event = SessionEvent::ConnectFailed {
        kind: ConnectErrorKind::Other,
        reason: "timed out after 10 s".to_owned(),
    };
    assert_from_live_states(event, |_| {
        SessionState::Failed(FailureReason::ConnectFailed {
            kind: ConnectErrorKind::Other,
            reason: "timed out after 10 s".to_owned(),
        })
    });
}

#[test]
fn handshake_rejected_fails() {
    let event = SessionEvent::HandshakeRejected {
        status: 401,
        body_excerpt: "invalid token".to_owned(),
    };
    assert_from_live_states(event, |_| {
        SessionState::Failed(FailureReason::HandshakeRejected {
            status: 401,
            body_excerpt: "invalid token".to_owned(),
        })
    });
}

#[test]
fn door_timed_out_while_waiting() {
    let event = SessionEvent::DoorTimedOut { waited_secs: 90 };
    for state in [SessionState::Connecting, SessionState::WaitingForDoor] {
        let expected = SessionState::Failed(FailureReason::DoorTimedOut { waited_secs: 90 });
        assert_eq!(state.apply(&event), expected, "{state:?}");
    }
}

#[test]
fn door_timed_out_ignored_when_open() {
    let open = SessionState::DoorOpen {
        since_ms: OPENED_AT,
    };
    let next = open.apply(&SessionEvent::DoorTimedOut { waited_secs: 90 });
    assert_eq!(next, open);
}

#[test]
fn connection_lost_ends() {
    let event = SessionEvent::ConnectionLost {
        cause: LostCause::Reset,
        close_code: Some(1011),
        reason: "server error".to_owned(),
    };
    assert_from_live_states(event, |_| SessionState::ConnectionLost {
        cause: LostCause::Reset,
        close_code: Some(1011),
        reason: "server error".to_owned(),
    });
}

#[test]
fn cancelled_ends() {
    assert_from_live_states(SessionEvent::Cancelled, |_| SessionState::Cancelled);
}

#[test]
fn notices_keep_state() {
    let events = [
        SessionEvent::ProtocolError {
            kind: ProtocolErrorKind::NotJson,
            reason: "the frame has no `type` field".to_owned(),
            excerpt: "{}".to_owned(),
        },
        SessionEvent::UnknownType {
            type_name: "heartbeat".to_owned(),
        },
        SessionEvent::Closed { close_code: 1000 },
    ];
    for event in events {
        assert_from_live_states(event, SessionState::clone);
    }
}

// ---- Ended states ----

#[test]
fn ended_states_absorb_every_event() {
    for state in ended_states() {
        for event in every_event() {
            assert_eq!(state.apply(&event), state, "{state:?} + {event:?}");
        }
    }
}

#[test]
fn finished_ignores_late_failure() {
    let late = SessionEvent::Failure {
        message: Some("操作失败".to_owned()),
        code: None,
    };
    assert_eq!(SessionState::Finished.apply(&late), SessionState::Finished);
}

#[test]
fn full_session_path() {
    let events = [
        SessionEvent::Connected,
        SessionEvent::UnknownType {
            type_name: "heartbeat".to_owned(),
        },
        SessionEvent::DoorOpened {
            message: None,
            at_ms: OPENED_AT,
        },
        SessionEvent::DoorTimedOut { waited_secs: 1 },
        SessionEvent::DoorOpened {
            message: None,
            at_ms: LATER,
        },
        SessionEvent::FinalList(three_line_list()),
        SessionEvent::Closed { close_code: 1000 },
    ];
    let phases: Vec<&str> = events
        .iter()
        .scan(SessionState::Connecting, |state, event| {
            *state = state.apply(event);
            Some(state.phase())
        })
        .collect();

    assert_eq!(
        phases,
        vec![
            "waiting_for_door",
            "waiting_for_door",
            "door_open",
            "door_open",
            "door_open",
            "finished",
            "finished",
        ]
    );
}

// ---- Queries ----

#[test]
fn phase_of_each_state() {
    let failed = |reason: FailureReason| SessionState::Failed(reason);
    let cases = [
        (SessionState::Connecting, "connecting"),
        (SessionState::WaitingForDoor, "waiting_for_door"),
        (SessionState::DoorOpen { since_ms: 1 }, "door_open"),
        (SessionState::Finished, "finished"),
        (
            failed(FailureReason::DoorFailed {
                message: None,
                code: None,
            }),
            "door_failed",
        ),
        (
            failed(FailureReason::Refused {
                message: None,
                code: None,
            }),
            "failed",
        ),
        (
            failed(FailureReason::ConnectFailed {
                kind: ConnectErrorKind::Other,
                reason: String::new(),
            }),
            "failed",
        ),
        (
            failed(FailureReason::HandshakeRejected {
                status: 500,
                body_excerpt: String::new(),
            }),
            "failed",
        ),
        (
            failed(FailureReason::DoorTimedOut { waited_secs: 1 }),
            "failed",
        ),
        (SessionState::Cancelled, "cancelled"),
        (
            SessionState::ConnectionLost {
                cause: LostCause::Reset,
                close_code: None,
                reason: String::new(),
            },
            "connection_lost",
        ),
    ];
    for (state, phase) in cases {
        assert_eq!(state.phase(), phase, "{state:?}");
    }
}

#[test]
fn closes_connection_of_each_state() {
    let failed = |reason: FailureReason| SessionState::Failed(reason);
    let cases = [
        (SessionState::Connecting, false),
        (SessionState::WaitingForDoor, false),
        (SessionState::DoorOpen { since_ms: 1 }, false),
        (SessionState::Finished, true),
        (
            failed(FailureReason::DoorFailed {
                message: None,
                code: None,
            }),
            true,
        ),
        (
            failed(FailureReason::Refused {
                message: None,
                code: None,
            }),
            true,
        ),
        // A failed connect or a rejected handshake leaves no connection to close.
        (
            failed(FailureReason::ConnectFailed {
                kind: ConnectErrorKind::Other,
                reason: String::new(),
            }),
            false,
        ),
        (
            failed(FailureReason::HandshakeRejected {
                status: 401,
                body_excerpt: String::new(),
            }),
            false,
        ),
        (failed(FailureReason::DoorTimedOut { waited_secs: 1 }), true),
        (SessionState::Cancelled, true),
        // The server already closed a lost connection.
        (
            SessionState::ConnectionLost {
                cause: LostCause::Reset,
                close_code: Some(1001),
                reason: String::new(),
            },
            false,
        ),
    ];
    for (state, closes) in cases {
        assert_eq!(state.closes_connection(), closes, "{state:?}");
    }
}

#[test]
fn is_ended_of_each_state() {
    for state in live_states() {
        assert!(!state.is_ended(), "{state:?}");
    }
    for state in ended_states() {
        assert!(state.is_ended(), "{state:?}");
    }
}
