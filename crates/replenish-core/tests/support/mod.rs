//! Shared set-up of the session tests: short timeouts, simulator start-up, and a runner that
//! collects every event of a session.

#![allow(dead_code)] // Each test file uses its own share of these helpers.

use std::time::Duration;

use cabinet_sim::{RunningSim, Scenario, SimConfig, DEFAULT_DEVICE_NO, DEFAULT_TOKEN};
use replenish_core::endpoint::{SessionRequest, SessionTarget};
use replenish_core::event::SessionEvent;
use replenish_core::reconnect::ReconnectPolicy;
use replenish_core::session::{run_session, SessionConfig};
use replenish_core::state::SessionState;
use tokio::sync::mpsc;
use tokio::time::timeout;
use tokio_util::sync::CancellationToken;

/// Maximum time a single session of a test may take before the test fails.
pub const SESSION_LIMIT: Duration = Duration::from_secs(20);

/// How long to wait for the simulator to see the connection end.
pub const CLOSE_WAIT: Duration = Duration::from_secs(5);

pub fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

/// Returns a session configuration with every timeout short enough for tests.
pub fn quick_config() -> SessionConfig {
    SessionConfig {
        connect_timeout: Duration::from_secs(3),
        door_wait_timeout: Duration::from_secs(5),
        ping_interval: Duration::from_secs(1),
        dead_peer_timeout: Duration::from_secs(3),
        close_timeout: Duration::from_secs(1),
        reconnect: quick_reconnect(),
        ..SessionConfig::default()
    }
}

/// Returns a reconnect policy with three attempts, 50 ms apart, and no jitter.
pub fn quick_reconnect() -> ReconnectPolicy {
    ReconnectPolicy {
        max_attempts: 3,
        first_delay: Duration::from_millis(50),
        max_delay: Duration::from_millis(50),
        jitter: 0.0,
    }
}

pub fn target_with(endpoint: &str, token: &str) -> SessionTarget {
    let request = SessionRequest {
        endpoint: endpoint.to_owned(),
        device_no: DEFAULT_DEVICE_NO.to_string(),
        token: token.to_owned(),
        device_name: None,
    };
    SessionTarget::parse(&request).expect("the test target is valid")
}

pub fn sim_target(sim: &RunningSim) -> SessionTarget {
    target_with(&sim.ws_endpoint(), DEFAULT_TOKEN)
}

pub async fn start_sim(config: SimConfig) -> RunningSim {
    cabinet_sim::start(config)
        .await
        .expect("the simulator starts")
}

/// Starts a simulator with short pauses: the door frame after 50 ms, the final list 100 ms later.
pub async fn quick_sim(scenario: Scenario) -> RunningSim {
    start_sim(
        SimConfig::new(scenario)
            .with_door_delay(ms(50))
            .with_door_open_for(ms(100)),
    )
    .await
}

pub struct Outcome {
    pub events: Vec<SessionEvent>,
    pub end: SessionState,
}

impl Outcome {
    pub fn described(&self) -> Vec<String> {
        self.events.iter().map(describe).collect()
    }
}

/// Runs a session to its end and collects every event it sent.
pub async fn run(
    target: SessionTarget,
    config: SessionConfig,
    cancel: CancellationToken,
) -> Outcome {
    let (sender, mut receiver) = mpsc::channel(16);
    let session = tokio::spawn(run_session(target, config, cancel, sender));

    let collect = async {
        let mut events = Vec::new();
        while let Some(event) = receiver.recv().await {
            events.push(event);
        }
        events
    };
    let events = timeout(SESSION_LIMIT, collect)
        .await
        .expect("the session ended within the limit");
    let end = session.await.expect("the session task did not panic");
    Outcome { events, end }
}

pub async fn run_quick(target: SessionTarget) -> Outcome {
    run(target, quick_config(), CancellationToken::new()).await
}

/// Describes an event without its local timestamp or the full list, for exact sequence checks.
pub fn describe(event: &SessionEvent) -> String {
    match event {
        SessionEvent::DoorOpened { message, .. } => format!("DoorOpened({message:?})"),
        SessionEvent::FinalList(list) => format!(
            "FinalList(record {:?}, {} lines)",
            list.record_id,
            list.lines.len()
        ),
        SessionEvent::ProtocolError { reason, .. } => format!("ProtocolError({reason})"),
        SessionEvent::ConnectFailed { .. } => "ConnectFailed".to_owned(),
        SessionEvent::ConnectionLost { close_code, .. } => {
            format!("ConnectionLost({close_code:?})")
        }
        SessionEvent::Interrupted {
            cause,
            close_code,
            next_attempt,
            ..
        } => format!("Interrupted({cause:?}, {close_code:?}, next {next_attempt})"),
        other => format!("{other:?}"),
    }
}

pub const DOOR_OPENED: &str = r#"DoorOpened(Some("开门成功,请补货"))"#;

/// Returns the close code the simulator recorded from the client on connection `index`.
pub async fn client_close_code(sim: &RunningSim, index: usize) -> Option<u16> {
    let report = sim
        .wait_for_client_close(index, CLOSE_WAIT)
        .await
        .expect("the simulator saw the connection end");
    report.client_close_code
}
