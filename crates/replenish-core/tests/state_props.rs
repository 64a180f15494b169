//! Properties of the session state machine over generated event sequences, and of the real
//! session client against simulator scenarios chosen at random.
//!
//! The properties: a session reaches exactly one ended state, an ended state never changes, and
//! whether the connection gets closed is decided once, when the session ends.

use std::collections::BTreeSet;
use std::time::Duration;

use cabinet_sim::{Scenario, SimConfig, DEFAULT_DEVICE_NO, DEFAULT_TOKEN};
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use replenish_core::endpoint::{SessionRequest, SessionTarget};
use replenish_core::event::{ConnectErrorKind, LostCause, ProtocolErrorKind, SessionEvent};
use replenish_core::model::FinalList;
use replenish_core::reconnect::ReconnectPolicy;
use replenish_core::session::{run_session, SessionConfig};
use replenish_core::state::SessionState;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

// ---- Strategies ----

/// Names each variant of [`SessionEvent`]. The match has no wildcard arm, so a new variant stops
/// this file from compiling until it is named here, added to [`EVENT_VARIANTS`] and given a line
/// in [`any_event`].
fn variant_name(event: &SessionEvent) -> &'static str {
    match event {
        SessionEvent::Connected => "Connected",
        SessionEvent::DoorOpened { .. } => "DoorOpened",
        SessionEvent::DoorFailed { .. } => "DoorFailed",
        SessionEvent::FinalList(_) => "FinalList",
        SessionEvent::Failure { .. } => "Failure",
        SessionEvent::ProtocolError { .. } => "ProtocolError",
        SessionEvent::UnknownType { .. } => "UnknownType",
        SessionEvent::ConnectFailed { .. } => "ConnectFailed",
        SessionEvent::HandshakeRejected { .. } => "HandshakeRejected",
        SessionEvent::DoorTimedOut { .. } => "DoorTimedOut",
        SessionEvent::ConnectionLost { .. } => "ConnectionLost",
        SessionEvent::Interrupted { .. } => "Interrupted",
        SessionEvent::Reconnecting { .. } => "Reconnecting",
        SessionEvent::Cancelled => "Cancelled",
        SessionEvent::Closed { .. } => "Closed",
    }
}

const EVENT_VARIANTS: [&str; 15] = [
    "Connected",
    "DoorOpened",
    "DoorFailed",
    "FinalList",
    "Failure",
    "ProtocolError",
    "UnknownType",
    "ConnectFailed",
    "HandshakeRejected",
    "DoorTimedOut",
    "ConnectionLost",
    "Interrupted",
    "Reconnecting",
    "Cancelled",
    "Closed",
];

/// Generates every variant of [`SessionEvent`], one line each.
fn any_event() -> impl Strategy<Value = SessionEvent> {
    prop_oneof![
        Just(SessionEvent::Connected),
        (option::of(text()), any::<u64>())
            .prop_map(|(message, at_ms)| SessionEvent::DoorOpened { message, at_ms }),
        (option::of(text()), option::of(any::<i64>()))
            .prop_map(|(message, code)| SessionEvent::DoorFailed { message, code }),
        final_list().prop_map(SessionEvent::FinalList),
        (option::of(text()), option::of(any::<i64>()))
            .prop_map(|(message, code)| SessionEvent::Failure { message, code }),
        (protocol_error_kind(), text(), text()).prop_map(|(kind, reason, excerpt)| {
            SessionEvent::ProtocolError {
                kind,
                reason,
                excerpt,
            }
        }),
        text().prop_map(|type_name| SessionEvent::UnknownType { type_name }),
        (connect_error_kind(), text())
            .prop_map(|(kind, reason)| SessionEvent::ConnectFailed { kind, reason }),
        (any::<u16>(), text()).prop_map(|(status, body_excerpt)| {
            SessionEvent::HandshakeRejected {
                status,
                body_excerpt,
            }
        }),
        any::<u64>().prop_map(|waited_secs| SessionEvent::DoorTimedOut { waited_secs }),
        (lost_cause(), option::of(any::<u16>()), text()).prop_map(|(cause, close_code, reason)| {
            SessionEvent::ConnectionLost {
                cause,
                close_code,
                reason,
            }
        }),
        (
            lost_cause(),
            option::of(any::<u16>()),
            text(),
            any::<u32>(),
            any::<u32>(),
            any::<u64>(),
            any::<u64>()
        )
            .prop_map(
                |(cause, close_code, reason, next_attempt, max_attempts, delay_ms, retry_at_ms)| {
                    SessionEvent::Interrupted {
                        cause,
                        close_code,
                        reason,
                        next_attempt,
                        max_attempts,
                        delay_ms,
                        retry_at_ms,
                    }
                }
            ),
        (any::<u32>(), any::<u32>()).prop_map(|(attempt, max_attempts)| {
            SessionEvent::Reconnecting {
                attempt,
                max_attempts,
            }
        }),
        Just(SessionEvent::Cancelled),
        any::<u16>().prop_map(|close_code| SessionEvent::Closed { close_code }),
    ]
}

/// Generates the events that end every session that has not ended yet, whatever its state.
fn ending_event() -> impl Strategy<Value = SessionEvent> {
    any_event().prop_filter("an event that always ends a session", |event| {
        matches!(
            event,
            SessionEvent::DoorFailed { .. }
                | SessionEvent::FinalList(_)
                | SessionEvent::Failure { .. }
                | SessionEvent::ConnectFailed { .. }
                | SessionEvent::HandshakeRejected { .. }
                | SessionEvent::ConnectionLost { .. }
                | SessionEvent::Cancelled
        )
    })
}

/// Short text, sometimes empty, with CJK and control characters among the ASCII.
fn text() -> impl Strategy<Value = String> {
    "[a-z 开门成功\u{0}\u{202e}]{0,8}"
}

/// Lists decoded from real frames, so their lines are what the decoder produces.
fn final_list() -> impl Strategy<Value = FinalList> {
    let frames = [
        include_str!("frames/final-three-drinks.json"),
        include_str!("frames/final-empty.json"),
    ];
    let lists: Vec<FinalList> = frames
        .iter()
        .map(
            |text| match replenish_core::frame::decode(text).unwrap().frame {
                replenish_core::frame::Frame::Final(list) => list,
                other => panic!("expected a final list, got {other:?}"),
            },
        )
        .collect();
    select(lists)
}

fn protocol_error_kind() -> impl Strategy<Value = ProtocolErrorKind> {
    select(vec![
        ProtocolErrorKind::NotJson,
        ProtocolErrorKind::NotAnObject,
        ProtocolErrorKind::MissingType,
        ProtocolErrorKind::MissingField,
        ProtocolErrorKind::InvalidField,
        ProtocolErrorKind::Binary,
        ProtocolErrorKind::NotUtf8,
    ])
}

fn connect_error_kind() -> impl Strategy<Value = ConnectErrorKind> {
    select(vec![
        ConnectErrorKind::Refused,
        ConnectErrorKind::TimedOut,
        ConnectErrorKind::Dns,
        ConnectErrorKind::Tls,
        ConnectErrorKind::Reset,
        ConnectErrorKind::NotWebSocket,
        ConnectErrorKind::Other,
    ])
}

fn lost_cause() -> impl Strategy<Value = LostCause> {
    select(vec![
        LostCause::ServerClosed,
        LostCause::Reset,
        LostCause::DeadPeer,
        LostCause::TooLarge,
        LostCause::Unreachable,
        LostCause::InvalidText,
        LostCause::Other,
    ])
}

// ---- The state machine alone ----

#[test]
fn strategy_generates_every_event_variant() {
    let mut runner = TestRunner::deterministic();
    let strategy = any_event();
    let mut seen = BTreeSet::new();

    for _ in 0..2_000 {
        let event = strategy.new_tree(&mut runner).unwrap().current();
        seen.insert(variant_name(&event));
    }

    let expected: BTreeSet<&str> = EVENT_VARIANTS.into_iter().collect();
    assert_eq!(seen, expected);
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 512,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Along any sequence, the first ended state is the last one too, and a cancel ends
    /// whatever is still going.
    #[test]
    fn one_ended_state_per_sequence(events in vec(any_event(), 0..40)) {
        let mut state = SessionState::Connecting;
        let mut first_end: Option<SessionState> = None;

        for event in &events {
            state = state.apply(event);
            match &first_end {
                Some(end) => prop_assert_eq!(&state, end, "after {:?}", event),
                None if state.is_ended() => first_end = Some(state.clone()),
                None => {}
            }
        }

        let cancelled = state.apply(&SessionEvent::Cancelled);
        prop_assert!(cancelled.is_ended(), "{:?} is not ended", cancelled);
        if let Some(end) = first_end {
            prop_assert_eq!(cancelled, end);
        }
    }

    /// An ending event ends a session in any state, and nothing after it changes the state.
    #[test]
    fn ended_state_never_changes(
        before in vec(any_event(), 0..20),
        ending in ending_event(),
        after in vec(any_event(), 1..20),
    ) {
        let mut state = SessionState::Connecting;
        for event in &before {
            state = state.apply(event);
        }
        let ended = state.apply(&ending);
        prop_assert!(ended.is_ended(), "{:?} after {:?}", ended, ending);

        let mut state = ended.clone();
        for event in &after {
            state = state.apply(event);
            prop_assert_eq!(&state, &ended, "after {:?}", event);
            prop_assert_eq!(state.closes_connection(), ended.closes_connection());
            prop_assert_eq!(state.phase(), ended.phase());
        }
    }

    /// `closes_connection` is false while the session goes on and keeps its value once it has
    /// ended, so the client decides to close at most once.
    #[test]
    fn close_decided_once(events in vec(any_event(), 0..40)) {
        let mut state = SessionState::Connecting;
        let mut decided: Option<bool> = None;

        for event in &events {
            state = state.apply(event);
            let closes = state.closes_connection();
            match decided {
                Some(first) => prop_assert_eq!(closes, first, "after {:?}", event),
                None if state.is_ended() => decided = Some(closes),
                None => prop_assert!(!closes, "live state {:?} would close", state),
            }
        }
    }
}

// ---- The real session client ----

/// Scenarios for the real client: every scenario of the simulator but the 100 MiB frame, which
/// alone would take longer than all the others together.
fn scenarios() -> Vec<Scenario> {
    Scenario::all()
        .iter()
        .copied()
        .filter(|scenario| *scenario != Scenario::HugeFrame)
        .collect()
}

/// Timeouts short enough that a silent or dead server ends the session in about two seconds,
/// and reconnects that start at once so scenarios that drop the connection are tried again.
fn quick_config() -> SessionConfig {
    SessionConfig {
        connect_timeout: Duration::from_secs(3),
        door_wait_timeout: Duration::from_secs(2),
        ping_interval: Duration::from_millis(300),
        dead_peer_timeout: Duration::from_secs(1),
        close_timeout: Duration::from_millis(500),
        reconnect: ReconnectPolicy {
            max_attempts: 2,
            first_delay: Duration::from_millis(20),
            max_delay: Duration::from_millis(40),
            jitter: 0.0,
        },
        ..SessionConfig::default()
    }
}

/// The events of one session and the state `run_session` returned.
struct RealSession {
    events: Vec<SessionEvent>,
    end: SessionState,
}

async fn run_against(scenario: Scenario, cancel_after: Option<Duration>) -> RealSession {
    let config = SimConfig::new(scenario)
        .with_door_delay(Duration::from_millis(20))
        .with_door_open_for(Duration::from_millis(50));
    let sim = cabinet_sim::start(config)
        .await
        .expect("the simulator starts");
    let target = SessionTarget::parse(&SessionRequest {
        endpoint: sim.ws_endpoint(),
        device_no: DEFAULT_DEVICE_NO.to_string(),
        token: DEFAULT_TOKEN.to_owned(),
        device_name: None,
    })
    .expect("the simulator's endpoint is valid");

    let cancel = CancellationToken::new();
    if let Some(delay) = cancel_after {
        let cancel = cancel.clone();
        tokio::spawn(async move {
            tokio::time::sleep(delay).await;
            cancel.cancel();
        });
    }

    let (sender, mut receiver) = mpsc::channel(64);
    let session = tokio::spawn(run_session(target, quick_config(), cancel, sender));
    let mut events = Vec::new();
    let collect = async {
        while let Some(event) = receiver.recv().await {
            events.push(event);
        }
    };
    tokio::time::timeout(Duration::from_secs(30), collect)
        .await
        .unwrap_or_else(|_| panic!("{} did not end within 30 s", scenario.name()));
    let end = session.await.expect("the session task did not panic");

    sim.shutdown().await;
    RealSession { events, end }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 8,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// The real client, against a scenario and an optional cancel chosen at random, reports
    /// exactly one move into an ended state, returns that state and closes at most once.
    #[test]
    fn real_session_ends_once(
        scenario in select(scenarios()),
        cancel_after_ms in option::of(0_u64..400),
    ) {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let cancel_after = cancel_after_ms.map(Duration::from_millis);
        let session = runtime.block_on(run_against(scenario, cancel_after));

        let mut state = SessionState::Connecting;
        let mut endings = 0;
        for event in &session.events {
            let next = state.apply(event);
            if next.is_ended() && !state.is_ended() {
                endings += 1;
            }
            state = next;
        }
        let closes = session
            .events
            .iter()
            .filter(|event| matches!(event, SessionEvent::Closed { .. }))
            .count();
        let names: Vec<&str> = session.events.iter().map(variant_name).collect();

        prop_assert_eq!(endings, 1, "{}: {:?}", scenario.name(), names);
        prop_assert_eq!(&state, &session.end, "{}: {:?}", scenario.name(), names);
        prop_assert!(closes <= 1, "{}: {:?}", scenario.name(), names);
        if closes == 1 {
            // A normal close follows a state that closes the connection; a message the client
            // rejects (too large, not UTF-8) gets its own close code after a lost connection.
            let rejected_message = matches!(
                session.end,
                SessionState::ConnectionLost {
                    cause: LostCause::TooLarge | LostCause::InvalidText,
                    ..
                }
            );
            prop_assert!(
                session.end.closes_connection() || rejected_message,
                "{}: {:?}", scenario.name(), names
            );
            prop_assert!(
                matches!(session.events.last(), Some(SessionEvent::Closed { .. })),
                "{}: {:?}", scenario.name(), names
            );
        }
    }
}
