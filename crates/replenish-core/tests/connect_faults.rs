//! Connect-phase faults against real loopback servers: TLS certificates made at run time, a
//! name that cannot resolve, a redirect, handshakes that never complete, and a silent server.
//! Each must end with its own kind of failure, so the app can give its own message.

mod support;

use std::time::{Duration, Instant};

use cabinet_sim::tls::{EXPIRED_NOT_AFTER_UNIX, LOOPBACK_NAMES};
use cabinet_sim::{
    RunningSim, Scenario, SimConfig, TestCa, TlsIdentity, Validity, DEFAULT_TOKEN,
    REDIRECT_LOCATION,
};
use replenish_core::connector::{TrustedRoots, TrustedRootsError};
use replenish_core::event::{CertificateProblem, ConnectErrorKind, SessionEvent};
use replenish_core::session::SessionConfig;
use replenish_core::state::{FailureReason, SessionState};
use support::*;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

/// Starts the three-drinks simulator over TLS with `identity`.
async fn tls_sim(identity: TlsIdentity) -> RunningSim {
    start_sim(
        SimConfig::new(Scenario::ThreeDrinks)
            .with_door_delay(ms(50))
            .with_door_open_for(ms(100))
            .with_tls(identity),
    )
    .await
}

fn trusting(ca: &TestCa) -> SessionConfig {
    SessionConfig {
        trusted_roots: TrustedRoots::from_pem(&ca.cert_pem()).expect("the test CA is valid PEM"),
        ..quick_config()
    }
}

/// Runs one session and returns the kind of its connect failure, failing the test otherwise.
async fn connect_failure(target_url: &str, config: SessionConfig) -> (ConnectErrorKind, String) {
    let outcome = run(
        target_with(target_url, DEFAULT_TOKEN),
        config,
        CancellationToken::new(),
    )
    .await;

    assert_eq!(
        outcome.described(),
        ["ConnectFailed"],
        "{:?}",
        outcome.events
    );
    let SessionEvent::ConnectFailed { kind, reason } = &outcome.events[0] else {
        unreachable!("checked above");
    };
    assert_eq!(
        outcome.end,
        SessionState::Failed(FailureReason::ConnectFailed {
            kind: *kind,
            reason: reason.clone(),
        })
    );
    (*kind, reason.clone())
}

/// Accepts TCP connections and keeps them open without reading or writing a byte.
async fn start_black_hole() -> (std::net::SocketAddr, tokio::task::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let holder = tokio::spawn(async move {
        let mut open_streams = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            open_streams.push(stream);
        }
    });
    (addr, holder)
}

#[tokio::test]
async fn trusted_test_ca_completes_session() {
    let ca = TestCa::new().unwrap();
    let sim = tls_sim(ca.issue(&LOOPBACK_NAMES, Validity::Current).unwrap()).await;

    let outcome = run(sim_target(&sim), trusting(&ca), CancellationToken::new()).await;

    assert!(sim.ws_endpoint().starts_with("wss://"));
    assert_eq!(outcome.end, SessionState::Finished, "{:?}", outcome.events);
    assert_eq!(
        outcome.described()[..3],
        [
            "Connected",
            DOOR_OPENED,
            "FinalList(record Some(33116), 3 lines)"
        ]
    );
}

#[tokio::test]
async fn self_signed_is_unknown_issuer() {
    let ca = TestCa::new().unwrap();
    let sim = tls_sim(TlsIdentity::self_signed(&LOOPBACK_NAMES).unwrap()).await;

    let (kind, reason) = connect_failure(&sim.ws_endpoint(), trusting(&ca)).await;

    assert_eq!(
        kind,
        ConnectErrorKind::Certificate(CertificateProblem::UnknownIssuer),
        "{reason}"
    );
    assert!(!reason.contains(DEFAULT_TOKEN), "{reason}");
    assert_eq!(sim.connection_count(), 0);
}

#[tokio::test]
async fn expired_certificate_reports_date() {
    let ca = TestCa::new().unwrap();
    let sim = tls_sim(ca.issue(&LOOPBACK_NAMES, Validity::Expired).unwrap()).await;

    let (kind, _reason) = connect_failure(&sim.ws_endpoint(), trusting(&ca)).await;

    assert_eq!(
        kind,
        ConnectErrorKind::Certificate(CertificateProblem::Expired {
            not_after_unix: Some(EXPIRED_NOT_AFTER_UNIX),
        })
    );
}

#[tokio::test]
async fn expiry_is_checked_before_issuer() {
    let ca = TestCa::new().unwrap();
    let sim = tls_sim(ca.issue(&LOOPBACK_NAMES, Validity::Expired).unwrap()).await;

    // Without the test CA among the trusted roots: webpki checks the server certificate's own
    // validity period before it looks for an issuer, so the expiry is still reported.
    let (kind, _reason) = connect_failure(&sim.ws_endpoint(), quick_config()).await;

    assert_eq!(
        kind,
        ConnectErrorKind::Certificate(CertificateProblem::Expired {
            not_after_unix: Some(EXPIRED_NOT_AFTER_UNIX),
        })
    );
}

#[tokio::test]
async fn untrusted_ca_is_unknown_issuer() {
    let ca = TestCa::new().unwrap();
    let sim = tls_sim(ca.issue(&LOOPBACK_NAMES, Validity::Current).unwrap()).await;

    let (kind, reason) = connect_failure(&sim.ws_endpoint(), quick_config()).await;

    assert_eq!(
        kind,
        ConnectErrorKind::Certificate(CertificateProblem::UnknownIssuer),
        "{reason}"
    );
}

#[tokio::test]
async fn wrong_host_certificate() {
    let ca = TestCa::new().unwrap();
    let sim = tls_sim(
        ca.issue(&["cabinet.example.com"], Validity::Current)
            .unwrap(),
    )
    .await;

    let (kind, reason) = connect_failure(&sim.ws_endpoint(), trusting(&ca)).await;

    assert_eq!(
        kind,
        ConnectErrorKind::Certificate(CertificateProblem::WrongHost)
    );
    assert!(reason.contains("cabinet.example.com"), "{reason}");
}

#[tokio::test]
async fn plain_server_on_wss_is_tls_failure() {
    let sim = quick_sim(Scenario::ThreeDrinks).await;
    let url = sim.ws_endpoint().replacen("ws://", "wss://", 1);

    let (kind, _reason) = connect_failure(&url, quick_config()).await;

    assert_eq!(kind, ConnectErrorKind::Tls);
}

#[tokio::test]
async fn invalid_tld_is_dns_failure() {
    // RFC 6761 reserves `.invalid`: no resolver returns an address for it.
    let url = "wss://cabinet-sim.invalid/websocket/ssib/replenish";
    let config = SessionConfig {
        connect_timeout: Duration::from_secs(10),
        ..quick_config()
    };

    let (kind, reason) = connect_failure(url, config).await;

    assert_eq!(kind, ConnectErrorKind::Dns, "{reason}");
}

#[tokio::test]
async fn redirect_is_rejection_not_followed() {
    let sim = quick_sim(Scenario::Redirect).await;

    let outcome = run_quick(sim_target(&sim)).await;

    assert_eq!(
        outcome.events,
        [SessionEvent::HandshakeRejected {
            status: 302,
            body_excerpt: REDIRECT_LOCATION.to_owned(),
        }]
    );
    assert_eq!(
        outcome.end,
        SessionState::Failed(FailureReason::HandshakeRejected {
            status: 302,
            body_excerpt: REDIRECT_LOCATION.to_owned(),
        })
    );
    assert_eq!(sim.connection_count(), 0);
}

#[tokio::test]
async fn tcp_black_hole_times_out() {
    let (addr, holder) = start_black_hole().await;
    let config = SessionConfig {
        connect_timeout: ms(700),
        ..quick_config()
    };

    let started = Instant::now();
    let (kind, _reason) = connect_failure(&format!("ws://{addr}/x"), config).await;
    let elapsed = started.elapsed();

    assert_eq!(kind, ConnectErrorKind::TimedOut);
    assert!(elapsed >= ms(700), "{elapsed:?}");
    assert!(elapsed < ms(3_000), "{elapsed:?}");
    holder.abort();
}

#[tokio::test]
async fn unanswered_client_hello_times_out() {
    let (addr, holder) = start_black_hole().await;
    let config = SessionConfig {
        connect_timeout: ms(700),
        ..quick_config()
    };

    let started = Instant::now();
    let (kind, reason) = connect_failure(&format!("wss://{addr}/x"), config).await;
    let elapsed = started.elapsed();

    assert_eq!(kind, ConnectErrorKind::TimedOut);
    assert!(reason.starts_with("timed out"), "{reason}");
    assert!(elapsed >= ms(700), "{elapsed:?}");
    assert!(elapsed < ms(3_000), "{elapsed:?}");
    holder.abort();
}

#[tokio::test]
async fn silent_server_door_times_out() {
    let sim = quick_sim(Scenario::Silent).await;
    let config = SessionConfig {
        door_wait_timeout: Duration::from_secs(1),
        ping_interval: ms(200),
        dead_peer_timeout: Duration::from_secs(5),
        ..quick_config()
    };

    let started = Instant::now();
    let outcome = run(sim_target(&sim), config, CancellationToken::new()).await;
    let elapsed = started.elapsed();

    assert_eq!(
        outcome.end,
        SessionState::Failed(FailureReason::DoorTimedOut { waited_secs: 1 }),
        "{:?}",
        outcome.events
    );
    assert!(outcome
        .events
        .contains(&SessionEvent::DoorTimedOut { waited_secs: 1 }));
    assert!(elapsed >= Duration::from_secs(1), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(4), "{elapsed:?}");
    assert_eq!(sim.connection_count(), 1);
    let report = sim.wait_for_client_close(0, CLOSE_WAIT).await.unwrap();
    assert!(report.pings_received >= 2, "{report:?}");
}

#[tokio::test]
async fn trusted_roots_reject_bad_pem() {
    assert_eq!(
        TrustedRoots::from_pem("not a certificate"),
        Err(TrustedRootsError::Empty)
    );

    let ca = TestCa::new().unwrap();
    let two = format!("{}{}", ca.cert_pem(), TestCa::new().unwrap().cert_pem());
    assert_eq!(TrustedRoots::from_pem(&two).unwrap().len(), 2);
}
