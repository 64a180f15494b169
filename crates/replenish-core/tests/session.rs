//! The session client over real loopback sockets, against the cabinet simulator and against
//! hand-made servers that misbehave.
//!
//! Timeouts and intervals are far shorter than the defaults so the whole file runs in seconds.

use std::time::{Duration, Instant};

use cabinet_sim::{RunningSim, Scenario, SimConfig, DEFAULT_TOKEN};
use replenish_core::event::{ConnectErrorKind, SessionEvent};
use replenish_core::model::PricingUnit;
use replenish_core::reconnect::ReconnectPolicy;
use replenish_core::session::{run_session, SessionConfig};
use replenish_core::state::{FailureReason, SessionState};
use replenish_core::summary::summarize;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tokio::time::timeout;
use tokio_util::sync::CancellationToken;

mod support;
use support::*;

// ---- Scenarios of the simulator ----

#[tokio::test]
async fn three_drinks_sequence() {
    let sim = quick_sim(Scenario::ThreeDrinks).await;
    let outcome = run_quick(sim_target(&sim)).await;

    assert_eq!(
        outcome.described(),
        vec![
            "Connected",
            DOOR_OPENED,
            "FinalList(record Some(33116), 3 lines)",
            "Closed { close_code: 1000 }",
        ]
    );
    assert_eq!(outcome.end, SessionState::Finished);
    assert_eq!(client_close_code(&sim, 0).await, Some(1000));
    sim.shutdown().await;
}

#[tokio::test]
async fn three_drinks_list_content() {
    let sim = quick_sim(Scenario::ThreeDrinks).await;
    let outcome = run_quick(sim_target(&sim)).await;

    let list = outcome
        .events
        .iter()
        .find_map(|event| match event {
            SessionEvent::FinalList(list) => Some(list.clone()),
            _ => None,
        })
        .expect("a final list");
    let names: Vec<&str> = list.lines.iter().map(|line| line.name.as_str()).collect();
    assert_eq!(names, vec!["阿莎姆奶茶", "可口可乐", "脉动"]);
    assert_eq!(list.lines[0].cost_price.unwrap().to_string(), "3.10000");
    assert_eq!(list.lines[0].add_quantity_revise, Some(13));
    let thumb = list.lines[0].thumb_image.as_deref().unwrap_or_default();
    assert!(thumb.starts_with(&sim.http_base()), "{thumb}");
    sim.shutdown().await;
}

#[tokio::test]
async fn door_opened_time_is_now() {
    let sim = quick_sim(Scenario::Empty).await;
    let before = now_ms();
    let outcome = run_quick(sim_target(&sim)).await;
    let after = now_ms();

    let at_ms = outcome
        .events
        .iter()
        .find_map(|event| match event {
            SessionEvent::DoorOpened { at_ms, .. } => Some(*at_ms),
            _ => None,
        })
        .expect("a DoorOpened event");
    assert!(at_ms >= before, "{at_ms} < {before}");
    assert!(at_ms <= after, "{at_ms} > {after}");
    sim.shutdown().await;
}

fn now_ms() -> u64 {
    let since_epoch = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap();
    u64::try_from(since_epoch.as_millis()).unwrap()
}

#[tokio::test]
async fn door_failed_sequence() {
    let sim = quick_sim(Scenario::DoorFailed).await;
    let outcome = run_quick(sim_target(&sim)).await;

    assert_eq!(
        outcome.described(),
        vec![
            "Connected",
            r#"DoorFailed { message: Some("网络不畅,请稍后再试"), code: None }"#,
            "Closed { close_code: 1000 }",
        ]
    );
    let expected = SessionState::Failed(FailureReason::DoorFailed {
        message: Some("网络不畅,请稍后再试".to_owned()),
        code: None,
    });
    assert_eq!(outcome.end, expected);
    assert_eq!(client_close_code(&sim, 0).await, Some(1000));
    sim.shutdown().await;
}

#[tokio::test]
async fn empty_sequence() {
    let sim = quick_sim(Scenario::Empty).await;
    let outcome = run_quick(sim_target(&sim)).await;

    assert_eq!(
        outcome.described(),
        vec![
            "Connected",
            DOOR_OPENED,
            "FinalList(record None, 0 lines)",
            "Closed { close_code: 1000 }",
        ]
    );
    assert_eq!(outcome.end, SessionState::Finished);
    assert_eq!(client_close_code(&sim, 0).await, Some(1000));
    sim.shutdown().await;
}

#[tokio::test]
async fn failure_sequences() {
    let cases = [
        (Scenario::FailureOperationFailed, "操作失败"),
        (Scenario::FailureSomeoneShopping, "有人正在购物"),
        (Scenario::FailureAlreadyReplenishing, "该设备已处于补货状态"),
    ];
    for (scenario, message) in cases {
        let sim = quick_sim(scenario).await;
        let outcome = run_quick(sim_target(&sim)).await;

        let failure = format!("Failure {{ message: Some({message:?}), code: None }}");
        assert_eq!(
            outcome.described(),
            vec!["Connected", failure.as_str(), "Closed { close_code: 1000 }"],
            "{scenario}"
        );
        let expected = SessionState::Failed(FailureReason::Refused {
            message: Some(message.to_owned()),
            code: None,
        });
        assert_eq!(outcome.end, expected, "{scenario}");
        assert_eq!(client_close_code(&sim, 0).await, Some(1000), "{scenario}");
        sim.shutdown().await;
    }
}

#[tokio::test]
async fn large_list() {
    let sim = quick_sim(Scenario::Large).await;
    let outcome = run_quick(sim_target(&sim)).await;

    assert_eq!(
        outcome.described(),
        vec![
            "Connected",
            DOOR_OPENED,
            "FinalList(record Some(900000000000000001), 600 lines)",
            "Closed { close_code: 1000 }",
        ]
    );
    let SessionEvent::FinalList(list) = &outcome.events[2] else {
        panic!("expected a final list, got {:?}", outcome.events[2]);
    };
    let summary = summarize(list);
    let cabinets: Vec<Option<i64>> = summary.cabinets.iter().map(|c| c.cabinet_no).collect();
    assert_eq!(cabinets, (1..=6).map(Some).collect::<Vec<_>>());
    assert!(summary.cabinets.iter().all(|c| c.lines.len() == 100));
    assert!(list.lines.iter().any(|line| line.unit == PricingUnit::Jin));
    assert!(list.lines.iter().all(|line| line.problems.is_empty()));
    assert!(!summary.totals.incomplete);
    assert_eq!(client_close_code(&sim, 0).await, Some(1000));
    sim.shutdown().await;
}

#[tokio::test]
async fn oversized_list_loses_connection() {
    let sim = quick_sim(Scenario::Large).await;
    let config = SessionConfig {
        max_message_bytes: 64 * 1024,
        ..quick_config()
    };
    let outcome = run(sim_target(&sim), config, CancellationToken::new()).await;

    // The list of about 300 KiB is over the limit, so the client gives up on the connection,
    // tells the server why with 1009 (message too big), and does not reconnect: the same list
    // would only arrive again.
    assert_eq!(
        outcome.described(),
        vec![
            "Connected",
            DOOR_OPENED,
            "ConnectionLost(None)",
            "Closed { close_code: 1009 }"
        ]
    );
    assert_eq!(outcome.end.phase(), "connection_lost");
    assert_eq!(client_close_code(&sim, 0).await, Some(1009));
    assert_eq!(sim.connection_count(), 1);
    sim.shutdown().await;
}

#[tokio::test]
async fn door_held_stays_alive() {
    let sim = start_sim(
        SimConfig::new(Scenario::DoorHeld)
            .with_door_delay(ms(50))
            .with_door_open_for(ms(2_000)),
    )
    .await;
    // The server sends no data frame for 2 s, which is ten ping periods and over three dead-peer
    // timeouts, but it replies to every ping with a pong.
    let config = SessionConfig {
        ping_interval: ms(200),
        dead_peer_timeout: ms(600),
        ..quick_config()
    };
    let outcome = run(sim_target(&sim), config, CancellationToken::new()).await;

    assert_eq!(
        outcome.described(),
        vec![
            "Connected",
            DOOR_OPENED,
            "FinalList(record Some(33116), 3 lines)",
            "Closed { close_code: 1000 }",
        ]
    );
    assert_eq!(outcome.end, SessionState::Finished);
    let report = sim.wait_for_client_close(0, CLOSE_WAIT).await.unwrap();
    assert!(report.pings_received >= 5, "{report:?}");
    assert_eq!(report.client_close_code, Some(1000));
    sim.shutdown().await;
}

#[tokio::test]
async fn drop_before_final_is_lost() {
    let sim = quick_sim(Scenario::DropBeforeFinal).await;
    let config = SessionConfig {
        reconnect: ReconnectPolicy::disabled(),
        ..quick_config()
    };
    let outcome = run(sim_target(&sim), config, CancellationToken::new()).await;

    assert_eq!(
        outcome.described(),
        vec!["Connected", DOOR_OPENED, "ConnectionLost(None)"]
    );
    assert!(
        matches!(
            outcome.end,
            SessionState::ConnectionLost {
                close_code: None,
                ..
            }
        ),
        "{:?}",
        outcome.end
    );
    // The connection is gone, so the client has nothing to close.
    assert_eq!(client_close_code(&sim, 0).await, None);
    sim.shutdown().await;
}

#[tokio::test]
async fn malformed_frames_sequence() {
    let sim = quick_sim(Scenario::MalformedFrames).await;
    let outcome = run_quick(sim_target(&sim)).await;

    let described = outcome.described();
    assert_eq!(described.len(), 8, "{described:#?}");
    assert_eq!(described[0], "Connected");
    assert_eq!(described[1], DOOR_OPENED);
    assert!(
        described[2].starts_with("ProtocolError(the frame is not valid JSON"),
        "{}",
        described[2]
    );
    assert_eq!(
        described[3],
        "ProtocolError(unexpected binary frame of 6 bytes)"
    );
    assert_eq!(described[4], "ProtocolError(the frame has no `type` field)");
    assert_eq!(described[5], r#"UnknownType { type_name: "heartbeat" }"#);
    assert_eq!(described[6], "FinalList(record Some(33116), 3 lines)");
    assert_eq!(described[7], "Closed { close_code: 1000 }");
    assert_eq!(outcome.end, SessionState::Finished);
    assert_eq!(client_close_code(&sim, 0).await, Some(1000));
    sim.shutdown().await;
}

#[tokio::test]
async fn malformed_frame_excerpt() {
    let sim = quick_sim(Scenario::MalformedFrames).await;
    let outcome = run_quick(sim_target(&sim)).await;

    let excerpts: Vec<&str> = outcome
        .events
        .iter()
        .filter_map(|event| match event {
            SessionEvent::ProtocolError { excerpt, .. } => Some(excerpt.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(excerpts.len(), 3);
    assert_eq!(
        excerpts[0],
        r#"{"msg":"开门成功,请补货","success":"true","ty"#
    );
    assert_eq!(excerpts[2], r#"{"msg":"开门成功,请补货","success":"true"}"#);
    sim.shutdown().await;
}

#[tokio::test]
async fn html_name_kept_as_text() {
    let sim = quick_sim(Scenario::HtmlName).await;
    let outcome = run_quick(sim_target(&sim)).await;

    assert_eq!(
        outcome.described(),
        vec![
            "Connected",
            DOOR_OPENED,
            "FinalList(record Some(33116), 3 lines)",
            "Closed { close_code: 1000 }",
        ]
    );
    let SessionEvent::FinalList(list) = &outcome.events[2] else {
        panic!("expected a final list, got {:?}", outcome.events[2]);
    };
    assert_eq!(
        list.lines[0].name,
        "<img src=x onerror=alert(1)><b>奶茶</b>"
    );
    assert_eq!(
        list.lines[0].type_name.as_deref(),
        Some("<script>x</script>")
    );
    assert_eq!(client_close_code(&sim, 0).await, Some(1000));
    sim.shutdown().await;
}

// ---- Handshake and connect failures ----

#[tokio::test]
async fn wrong_token_rejected() {
    let sim = quick_sim(Scenario::ThreeDrinks).await;
    let wrong_token = "wrong-token-1f2e3d4c5b6a";
    let outcome = run_quick(target_with(&sim.ws_endpoint(), wrong_token)).await;

    let expected = SessionEvent::HandshakeRejected {
        status: 401,
        body_excerpt: "invalid token".to_owned(),
    };
    assert_eq!(outcome.events, vec![expected]);
    let expected_end = SessionState::Failed(FailureReason::HandshakeRejected {
        status: 401,
        body_excerpt: "invalid token".to_owned(),
    });
    assert_eq!(outcome.end, expected_end);
    assert!(!format!("{:?}", outcome.events).contains(wrong_token));
    assert!(sim.connections().is_empty());
    sim.shutdown().await;
}

/// Starts a server that rejects every request with `status` and a body that echoes the request
/// line, as some servers do in their error pages.
async fn start_echo_rejecter(status: &'static str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let mut request = vec![0_u8; 8192];
            let read = stream.read(&mut request).await.unwrap_or(0);
            let text = String::from_utf8_lossy(&request[..read]).into_owned();
            let request_line = text.lines().next().unwrap_or_default().to_owned();
            let body = format!("rejected {request_line}");
            let response = format!(
                "HTTP/1.1 {status}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(response.as_bytes()).await;
        }
    });
    format!("ws://{addr}/websocket/ssib/replenish")
}

#[tokio::test]
async fn rejection_body_excerpt() {
    let endpoint = start_echo_rejecter("403 Forbidden").await;
    let outcome = run_quick(target_with(&endpoint, "plainTokenValue123456")).await;

    let [SessionEvent::HandshakeRejected {
        status,
        body_excerpt,
    }] = outcome.events.as_slice()
    else {
        panic!("expected one HandshakeRejected, got {:?}", outcome.events);
    };
    assert_eq!(*status, 403);
    assert!(
        body_excerpt
            .starts_with("rejected GET /websocket/ssib/replenish?deviceNo=181200005&token="),
        "{body_excerpt}"
    );
    assert!(
        !body_excerpt.contains("plainTokenValue123456"),
        "{body_excerpt}"
    );
    assert!(body_excerpt.contains("plai…3456"), "{body_excerpt}");
}

#[tokio::test]
async fn refused_connect_fails() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);

    let outcome = run_quick(target_with(&format!("ws://{addr}/x"), DEFAULT_TOKEN)).await;

    assert_eq!(outcome.described(), vec!["ConnectFailed"]);
    assert!(
        matches!(
            &outcome.end,
            SessionState::Failed(FailureReason::ConnectFailed {
                kind: ConnectErrorKind::Refused,
                ..
            })
        ),
        "{:?}",
        outcome.end
    );
}

#[tokio::test]
async fn silent_handshake_times_out() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    // Accepts connections and keeps them open without sending a byte.
    let holder = tokio::spawn(async move {
        let mut open_streams = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            open_streams.push(stream);
        }
    });
    let config = SessionConfig {
        connect_timeout: ms(500),
        ..quick_config()
    };

    let started = Instant::now();
    let outcome = run(
        target_with(&format!("ws://{addr}/x"), DEFAULT_TOKEN),
        config,
        CancellationToken::new(),
    )
    .await;
    let elapsed = started.elapsed();

    assert_eq!(outcome.described(), vec!["ConnectFailed"]);
    let SessionEvent::ConnectFailed { kind, reason } = &outcome.events[0] else {
        unreachable!();
    };
    assert_eq!(*kind, ConnectErrorKind::TimedOut);
    assert!(reason.starts_with("timed out"), "{reason}");
    assert!(elapsed >= ms(500), "{elapsed:?}");
    assert!(elapsed < ms(3_000), "{elapsed:?}");
    holder.abort();
}

/// Starts a WebSocket server that completes the handshake and then never reads again, so it
/// sends no pong.
async fn start_deaf_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let mut open_streams = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            if let Ok(socket) = tokio_tungstenite::accept_async(stream).await {
                open_streams.push(socket);
            }
        }
    });
    format!("ws://{addr}/websocket/ssib/replenish")
}

#[tokio::test]
async fn deaf_server_is_lost() {
    let endpoint = start_deaf_server().await;
    let config = SessionConfig {
        ping_interval: ms(200),
        dead_peer_timeout: Duration::from_secs(1),
        reconnect: ReconnectPolicy::disabled(),
        ..quick_config()
    };

    let started = Instant::now();
    let outcome = run(
        target_with(&endpoint, DEFAULT_TOKEN),
        config,
        CancellationToken::new(),
    )
    .await;
    let elapsed = started.elapsed();

    assert_eq!(
        outcome.described(),
        vec!["Connected", "ConnectionLost(None)"]
    );
    let SessionEvent::ConnectionLost { reason, .. } = &outcome.events[1] else {
        unreachable!();
    };
    assert_eq!(reason, "no answer from the server for 1 s");
    assert!(elapsed >= Duration::from_secs(1), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(4), "{elapsed:?}");
}

// ---- Ending a session from the client ----

/// Starts a session in the background and waits for its door to open.
async fn start_until_door_open(
    sim: &RunningSim,
    cancel: CancellationToken,
) -> (
    tokio::task::JoinHandle<SessionState>,
    mpsc::Receiver<SessionEvent>,
    Vec<SessionEvent>,
) {
    let (sender, mut receiver) = mpsc::channel(16);
    let session = tokio::spawn(run_session(sim_target(sim), quick_config(), cancel, sender));

    let mut seen = Vec::new();
    let wait_for_door = async {
        while let Some(event) = receiver.recv().await {
            let is_door = matches!(event, SessionEvent::DoorOpened { .. });
            seen.push(event);
            if is_door {
                return;
            }
        }
        panic!("the session ended before the door opened: {seen:?}");
    };
    timeout(SESSION_LIMIT, wait_for_door)
        .await
        .expect("the door opened within the limit");
    (session, receiver, seen)
}

async fn held_door_sim() -> RunningSim {
    start_sim(
        SimConfig::new(Scenario::DoorHeld)
            .with_door_delay(ms(50))
            .with_door_open_for(Duration::from_secs(30)),
    )
    .await
}

#[tokio::test]
async fn cancel_while_door_held() {
    let sim = held_door_sim().await;
    let cancel = CancellationToken::new();
    let (session, mut receiver, seen) = start_until_door_open(&sim, cancel.clone()).await;

    cancel.cancel();
    let mut rest = Vec::new();
    while let Some(event) = timeout(SESSION_LIMIT, receiver.recv()).await.unwrap() {
        rest.push(event);
    }
    let end = session.await.unwrap();

    assert_eq!(
        seen.iter().map(describe).collect::<Vec<_>>(),
        vec!["Connected", DOOR_OPENED]
    );
    assert_eq!(
        rest,
        vec![
            SessionEvent::Cancelled,
            SessionEvent::Closed { close_code: 1000 }
        ]
    );
    assert_eq!(end, SessionState::Cancelled);
    assert_eq!(client_close_code(&sim, 0).await, Some(1000));
    sim.shutdown().await;
}

#[tokio::test]
async fn cancel_before_connect() {
    let sim = held_door_sim().await;
    let cancel = CancellationToken::new();
    cancel.cancel();

    let outcome = run(sim_target(&sim), quick_config(), cancel).await;

    assert_eq!(outcome.events, vec![SessionEvent::Cancelled]);
    assert_eq!(outcome.end, SessionState::Cancelled);
    sim.shutdown().await;
}

#[tokio::test]
async fn dropped_receiver_ends_session() {
    let sim = held_door_sim().await;
    let (session, receiver, _) = start_until_door_open(&sim, CancellationToken::new()).await;

    drop(receiver);
    let end = timeout(SESSION_LIMIT, session)
        .await
        .expect("the session ended after its receiver was dropped")
        .unwrap();

    assert_eq!(end, SessionState::Cancelled);
    assert_eq!(client_close_code(&sim, 0).await, Some(1000));
    sim.shutdown().await;
}

#[tokio::test]
async fn door_wait_times_out() {
    let sim = start_sim(
        SimConfig::new(Scenario::ThreeDrinks)
            .with_door_delay(Duration::from_secs(30))
            .with_door_open_for(ms(100)),
    )
    .await;
    let config = SessionConfig {
        door_wait_timeout: Duration::from_secs(1),
        ..quick_config()
    };

    let started = Instant::now();
    let outcome = run(sim_target(&sim), config, CancellationToken::new()).await;
    let elapsed = started.elapsed();

    assert_eq!(
        outcome.described(),
        vec![
            "Connected",
            "DoorTimedOut { waited_secs: 1 }",
            "Closed { close_code: 1000 }",
        ]
    );
    let expected = SessionState::Failed(FailureReason::DoorTimedOut { waited_secs: 1 });
    assert_eq!(outcome.end, expected);
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
    assert_eq!(client_close_code(&sim, 0).await, Some(1000));
    sim.shutdown().await;
}
