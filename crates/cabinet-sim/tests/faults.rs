//! Mid-session drops, silent servers and the redirect, read by a real client over loopback.

mod common;

use std::time::Duration;

use cabinet_sim::{Scenario, REDIRECT_LOCATION};
use common::*;
use futures_util::{SinkExt as _, StreamExt as _};
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};

/// Reads until the server ends the connection and returns the code of its Close frame, or
/// `None` when the connection ended without one.
async fn server_close_code(client: &mut Client) -> Option<CloseCode> {
    let next = tokio::time::timeout(FRAME_TIMEOUT, client.next())
        .await
        .expect("the server ends the connection in time");

    match next {
        Some(Ok(Message::Close(frame))) => frame.map(|frame| frame.code),
        Some(Ok(message)) => panic!("expected the connection to end, got {message:?}"),
        Some(Err(_)) | None => None,
    }
}

#[tokio::test]
async fn drop_once_1011_then_normal() {
    let sim = start_short(Scenario::DropOnce1011).await;

    let mut first = connect(&sim).await;
    let first_door = next_text(&mut first).await;
    let close_code = server_close_code(&mut first).await;
    let mut second = connect(&sim).await;
    let second_door = next_text(&mut second).await;
    let final_frame = next_json(&mut second).await;
    close_with(&mut second, 1000, "").await;

    assert_eq!(first_door, DOOR_OPENED);
    assert_eq!(close_code, Some(CloseCode::Error));
    assert_eq!(second_door, DOOR_OPENED);
    assert_eq!(final_frame, expected_three_drinks(&sim));
    assert_eq!(sim.connection_count(), 2);
}

#[tokio::test]
async fn reset_once_sends_rst_then_normal() {
    let sim = start_short(Scenario::ResetOnce).await;

    let mut first = connect(&sim).await;
    let first_door = next_text(&mut first).await;
    let after_door = tokio::time::timeout(FRAME_TIMEOUT, first.next())
        .await
        .expect("the connection ends in time");
    let mut second = connect(&sim).await;
    let second_door = next_text(&mut second).await;
    let final_frame = next_json(&mut second).await;
    let report = sim.wait_for_client_close(0, FRAME_TIMEOUT).await.unwrap();

    assert_eq!(first_door, DOOR_OPENED);
    match after_door {
        Some(Err(WsError::Io(error))) => {
            assert_eq!(error.kind(), std::io::ErrorKind::ConnectionReset, "{error}")
        }
        other => panic!("expected a connection reset, got {other:?}"),
    }
    assert_eq!(report.client_close_code, None);
    assert_eq!(second_door, DOOR_OPENED);
    assert_eq!(final_frame, expected_three_drinks(&sim));
    assert_eq!(sim.connection_count(), 2);
}

#[tokio::test]
async fn close_1008_on_every_connection() {
    let sim = start_short(Scenario::Close1008Always).await;

    for attempt in 0..3 {
        let mut client = connect(&sim).await;
        let door = next_text(&mut client).await;
        let close_code = server_close_code(&mut client).await;

        assert_eq!(door, DOOR_OPENED, "attempt {attempt}");
        assert_eq!(close_code, Some(CloseCode::Policy), "attempt {attempt}");
    }
    assert!(sim.wait_for_connections(3, FRAME_TIMEOUT).await);
    assert_eq!(sim.connection_count(), 3);
}

#[tokio::test]
async fn wait_for_connections_times_out() {
    let sim = start_short(Scenario::ThreeDrinks).await;
    let _client = connect(&sim).await;

    assert!(sim.wait_for_connections(1, FRAME_TIMEOUT).await);
    assert!(
        !sim.wait_for_connections(2, Duration::from_millis(200))
            .await
    );
}

#[tokio::test]
async fn silent_sends_nothing_but_answers_pings() {
    let sim = start_short(Scenario::Silent).await;
    let mut client = connect(&sim).await;

    let early = tokio::time::timeout(Duration::from_millis(600), client.next()).await;
    client
        .send(Message::Ping(b"alive".to_vec().into()))
        .await
        .unwrap();
    let reply = next_message(&mut client).await;
    close_with(&mut client, 1000, "").await;
    let report = sim.wait_for_client_close(0, FRAME_TIMEOUT).await.unwrap();

    assert!(early.is_err(), "unexpected frame: {early:?}");
    assert_eq!(reply, Message::Pong(b"alive".to_vec().into()));
    assert_eq!(report.frames_sent, 0);
    assert_eq!(report.pings_received, 1);
    assert_eq!(report.client_close_code, Some(1000));
}

#[tokio::test]
async fn silent_no_pong_leaves_pings_unanswered() {
    let sim = start_short(Scenario::SilentNoPong).await;
    let mut client = connect(&sim).await;

    let door = next_text(&mut client).await;
    for round in 0u8..3 {
        client
            .send(Message::Ping(vec![round].into()))
            .await
            .unwrap();
    }
    let reply = tokio::time::timeout(Duration::from_secs(2), client.next()).await;
    let report = sim.connections().pop().unwrap();

    assert_eq!(door, DOOR_OPENED);
    assert!(reply.is_err(), "expected no pong, got {reply:?}");
    assert_eq!(report.pings_received, 0);
    assert!(!report.ended);
}

#[tokio::test]
async fn silent_no_pong_closes_on_shutdown() {
    let sim = start_short(Scenario::SilentNoPong).await;
    let mut client = connect(&sim).await;
    next_text(&mut client).await;

    let reader = tokio::spawn(async move { server_close_code(&mut client).await });
    tokio::time::sleep(Duration::from_millis(100)).await;
    sim.shutdown().await;
    let close_code = reader.await.unwrap();

    assert_eq!(close_code, Some(CloseCode::Away));
}

#[tokio::test]
async fn redirect_answers_302_with_location() {
    let sim = start_short(Scenario::Redirect).await;

    let result = tokio_tungstenite::connect_async(session_url(&sim)).await;

    match result {
        Err(WsError::Http(response)) => {
            assert_eq!(response.status().as_u16(), 302);
            assert_eq!(
                response.headers().get("location").unwrap(),
                REDIRECT_LOCATION
            );
        }
        Err(other) => panic!("expected an HTTP 302, got {other}"),
        Ok(_) => panic!("expected the handshake to be redirected"),
    }
    assert_eq!(sim.connection_count(), 0);
}

#[tokio::test]
async fn every_scenario_name_parses() {
    let names = [
        "drop-once-1011",
        "reset-once",
        "close-1008-always",
        "silent",
        "silent-no-pong",
        "redirect",
        "invalid-utf8",
        "binary-frames",
        "huge-frame",
        "deep-nesting",
        "flood",
        "long-names",
        "control-chars",
        "absurd-numbers",
    ];

    for name in names {
        let scenario: Scenario = name.parse().unwrap();
        assert_eq!(scenario.name(), name);
    }
}
