//! Reconnecting after a dropped connection, against the simulator over real loopback sockets.
//!
//! The reconnect waits are 50 ms here, so each test runs in well under a second or two.

use std::time::Duration;

use cabinet_sim::{Scenario, SimConfig};
use replenish_core::event::{LostCause, SessionEvent};
use replenish_core::reconnect::ReconnectPolicy;
use replenish_core::session::SessionConfig;
use replenish_core::state::SessionState;
use tokio_util::sync::CancellationToken;

mod support;
use support::*;

/// The events of one connection that drops after the door opened, and the reconnect after it.
fn dropped_then_reconnecting(cause: &str, close_code: &str, attempt: u32) -> Vec<String> {
    vec![
        format!("Interrupted({cause}, {close_code}, next {attempt})"),
        format!("Reconnecting {{ attempt: {attempt}, max_attempts: 3 }}"),
        "Connected".to_owned(),
    ]
}

#[tokio::test]
async fn close_1011_reconnects_and_finishes() {
    let sim = quick_sim(Scenario::DropOnce1011).await;
    let outcome = run_quick(sim_target(&sim)).await;

    let mut expected = vec!["Connected".to_owned(), DOOR_OPENED.to_owned()];
    expected.extend(dropped_then_reconnecting("ServerClosed", "Some(1011)", 1));
    expected.extend([
        DOOR_OPENED.to_owned(),
        "FinalList(record Some(33116), 3 lines)".to_owned(),
        "Closed { close_code: 1000 }".to_owned(),
    ]);
    assert_eq!(outcome.described(), expected);
    assert_eq!(outcome.end, SessionState::Finished);
    assert_eq!(sim.connection_count(), 2);
    sim.shutdown().await;
}

#[tokio::test]
async fn tcp_reset_reconnects_and_finishes() {
    let sim = quick_sim(Scenario::ResetOnce).await;
    let outcome = run_quick(sim_target(&sim)).await;

    assert_eq!(outcome.end, SessionState::Finished, "{:#?}", outcome.events);
    let interrupted: Vec<&SessionEvent> = outcome
        .events
        .iter()
        .filter(|event| matches!(event, SessionEvent::Interrupted { .. }))
        .collect();
    assert_eq!(interrupted.len(), 1, "{:#?}", outcome.events);
    assert!(matches!(
        interrupted[0],
        SessionEvent::Interrupted {
            cause: LostCause::Reset,
            close_code: None,
            next_attempt: 1,
            ..
        }
    ));
    assert_eq!(sim.connection_count(), 2);
    sim.shutdown().await;
}

#[tokio::test]
async fn door_time_kept_across_reconnect() {
    let sim = quick_sim(Scenario::DropOnce1011).await;
    let outcome = run_quick(sim_target(&sim)).await;

    // The state right after the reconnect, before the second door frame: still the first door
    // time, because the door never closed as far as the manager is concerned.
    let mut state = SessionState::Connecting;
    let mut first_door = None;
    let mut after_reconnect = None;
    for event in &outcome.events {
        state = state.apply(event);
        if first_door.is_none() {
            first_door = state.door_opened_at_ms();
        }
        if matches!(event, SessionEvent::Connected) && first_door.is_some() {
            after_reconnect = Some(state.clone());
        }
    }
    let first_door = first_door.expect("the door opened");
    assert_eq!(
        after_reconnect,
        Some(SessionState::DoorOpen {
            since_ms: first_door
        })
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn attempts_bounded_then_lost() {
    let sim = quick_sim(Scenario::Close1008Always).await;
    let outcome = run_quick(sim_target(&sim)).await;

    let mut expected = vec!["Connected".to_owned(), DOOR_OPENED.to_owned()];
    for attempt in 1..=3 {
        expected.extend(dropped_then_reconnecting(
            "ServerClosed",
            "Some(1008)",
            attempt,
        ));
        expected.push(DOOR_OPENED.to_owned());
    }
    expected.push("ConnectionLost(Some(1008))".to_owned());
    assert_eq!(outcome.described(), expected);
    assert_eq!(outcome.end.phase(), "connection_lost");
    // One first connection and three reconnects, then no more.
    assert_eq!(sim.connection_count(), 4);
    sim.shutdown().await;
}

#[tokio::test]
async fn vanished_server_uses_up_attempts() {
    let sim = quick_sim(Scenario::DropBeforeFinal).await;
    let target = sim_target(&sim);
    let config = SessionConfig {
        reconnect: ReconnectPolicy {
            first_delay: Duration::from_millis(300),
            max_delay: Duration::from_millis(300),
            ..quick_reconnect()
        },
        ..quick_config()
    };

    // The server stops while the client waits to reconnect, so every attempt is refused.
    let session = tokio::spawn(run(target, config, CancellationToken::new()));
    assert!(sim.wait_for_connections(1, Duration::from_secs(5)).await);
    sim.shutdown().await;
    let outcome = session.await.expect("the session task did not panic");

    let causes: Vec<LostCause> = outcome
        .events
        .iter()
        .filter_map(|event| match event {
            SessionEvent::Interrupted { cause, .. }
            | SessionEvent::ConnectionLost { cause, .. } => Some(*cause),
            _ => None,
        })
        .collect();
    // The first drop is the shutdown itself, a close frame or a reset depending on timing.
    assert_eq!(causes.len(), 4, "{:#?}", outcome.events);
    assert_eq!(
        causes[1..],
        [LostCause::Unreachable; 3],
        "{:#?}",
        outcome.events
    );
    assert_eq!(outcome.end.phase(), "connection_lost");
}

#[tokio::test]
async fn cancel_during_reconnect_wait() {
    let sim = quick_sim(Scenario::Close1008Always).await;
    let config = SessionConfig {
        reconnect: ReconnectPolicy {
            first_delay: Duration::from_secs(30),
            max_delay: Duration::from_secs(30),
            ..quick_reconnect()
        },
        ..quick_config()
    };
    let cancel = CancellationToken::new();
    let session = tokio::spawn(run(sim_target(&sim), config, cancel.clone()));

    // Wait until the first connection has dropped, then cancel during the 30 s wait.
    assert!(sim.wait_for_client_close(0, CLOSE_WAIT).await.is_some());
    tokio::time::sleep(Duration::from_millis(100)).await;
    cancel.cancel();
    let outcome = tokio::time::timeout(Duration::from_secs(5), session)
        .await
        .expect("the session ended long before the reconnect wait")
        .expect("the session task did not panic");

    assert_eq!(outcome.end, SessionState::Cancelled);
    assert_eq!(outcome.events.last(), Some(&SessionEvent::Cancelled));
    assert_eq!(sim.connection_count(), 1);
    sim.shutdown().await;
}

#[tokio::test]
async fn final_outcomes_never_retried() {
    for scenario in [
        Scenario::ThreeDrinks,
        Scenario::DoorFailed,
        Scenario::FailureOperationFailed,
    ] {
        let sim = quick_sim(scenario).await;
        let outcome = run_quick(sim_target(&sim)).await;

        assert!(outcome.end.is_ended(), "{scenario:?}: {:?}", outcome.end);
        assert!(
            !outcome
                .events
                .iter()
                .any(|event| matches!(event, SessionEvent::Interrupted { .. })),
            "{scenario:?} was retried: {:#?}",
            outcome.events
        );
        // Give a wrongly scheduled reconnect time to show up before counting connections.
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert_eq!(sim.connection_count(), 1, "{scenario:?}");
        sim.shutdown().await;
    }
}

#[tokio::test]
async fn zero_attempts_disable_reconnect() {
    let sim = start_sim(
        SimConfig::new(Scenario::DropOnce1011)
            .with_door_delay(ms(50))
            .with_door_open_for(ms(100)),
    )
    .await;
    let config = SessionConfig {
        reconnect: ReconnectPolicy::disabled(),
        ..quick_config()
    };
    let outcome = run(sim_target(&sim), config, CancellationToken::new()).await;

    assert_eq!(
        outcome.described(),
        vec!["Connected", DOOR_OPENED, "ConnectionLost(Some(1011))"]
    );
    assert_eq!(sim.connection_count(), 1);
    sim.shutdown().await;
}

#[tokio::test]
async fn silent_peer_detected_and_reconnected() {
    // The simulator opens the door and then stops reading, as a server behind a PC that slept
    // or lost its network interface looks from the client: no pong ever comes back.
    let sim = quick_sim(Scenario::SilentNoPong).await;
    let config = SessionConfig {
        ping_interval: ms(100),
        dead_peer_timeout: ms(500),
        reconnect: ReconnectPolicy {
            max_attempts: 1,
            ..quick_reconnect()
        },
        ..quick_config()
    };
    let started = std::time::Instant::now();
    let outcome = run(sim_target(&sim), config, CancellationToken::new()).await;

    assert_eq!(
        outcome.described(),
        vec![
            "Connected".to_owned(),
            DOOR_OPENED.to_owned(),
            "Interrupted(DeadPeer, None, next 1)".to_owned(),
            "Reconnecting { attempt: 1, max_attempts: 1 }".to_owned(),
            "Connected".to_owned(),
            DOOR_OPENED.to_owned(),
            "ConnectionLost(None)".to_owned(),
        ]
    );
    assert!(matches!(
        outcome.end,
        SessionState::ConnectionLost {
            cause: LostCause::DeadPeer,
            ..
        }
    ));
    // Two silent connections of 0.5 s each and a 50 ms wait: noticed within the timeout.
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
    sim.shutdown().await;
}
