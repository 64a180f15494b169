//! Close codes, dropped connections, pings and shutdown, as recorded by the simulator.

mod common;

use std::time::{Duration, Instant};

use cabinet_sim::{Scenario, CLIENT_CLOSE_GRACE};
use common::*;
use futures_util::{SinkExt as _, StreamExt as _};
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::Message;

#[tokio::test]
async fn normal_close_after_final_is_recorded() {
    let sim = start_short(Scenario::ThreeDrinks).await;
    let mut client = connect(&sim).await;

    next_text(&mut client).await;
    next_text(&mut client).await;
    close_with(&mut client, 1000, "done").await;
    let report = sim.wait_for_client_close(0, FRAME_TIMEOUT).await.unwrap();

    assert!(report.ended);
    assert_eq!(report.client_close_code, Some(1000));
    assert_eq!(report.client_close_reason.as_deref(), Some("done"));
    assert_eq!(report.frames_sent, 2);
    assert_eq!(sim.connections(), vec![report]);
}

#[tokio::test]
async fn close_before_final_stops_session() {
    let config = short_config(Scenario::ThreeDrinks).with_door_open_for(Duration::from_secs(30));
    let sim = cabinet_sim::start(config).await.unwrap();
    let mut client = connect(&sim).await;

    next_text(&mut client).await;
    close_with(&mut client, 4001, "user cancelled").await;
    let report = sim.wait_for_client_close(0, FRAME_TIMEOUT).await.unwrap();

    assert_eq!(report.client_close_code, Some(4001));
    assert_eq!(
        report.client_close_reason.as_deref(),
        Some("user cancelled")
    );
    assert_eq!(report.frames_sent, 1);
}

#[tokio::test]
async fn close_without_code_is_1005() {
    let sim = start_short(Scenario::Empty).await;
    let mut client = connect(&sim).await;

    next_text(&mut client).await;
    next_text(&mut client).await;
    client.send(Message::Close(None)).await.unwrap();
    while let Some(Ok(_)) = client.next().await {}
    let report = sim.wait_for_client_close(0, FRAME_TIMEOUT).await.unwrap();

    assert_eq!(report.client_close_code, Some(1005));
}

#[tokio::test]
async fn client_tcp_drop_records_no_code() {
    let sim = start_short(Scenario::ThreeDrinks).await;
    let mut client = connect(&sim).await;

    next_text(&mut client).await;
    drop(client);
    let report = sim.wait_for_client_close(0, FRAME_TIMEOUT).await.unwrap();

    assert!(report.ended);
    assert_eq!(report.client_close_code, None);
    assert_eq!(report.client_close_reason, None);
}

#[tokio::test]
async fn silent_client_is_closed_after_grace() {
    let sim = start_short(Scenario::Empty).await;
    let mut client = connect(&sim).await;

    next_text(&mut client).await;
    next_text(&mut client).await;
    let final_at = Instant::now();
    let closing = tokio::time::timeout(CLIENT_CLOSE_GRACE * 2, client.next())
        .await
        .expect("the simulator closes in time");
    let waited = final_at.elapsed();
    let report = sim.wait_for_client_close(0, FRAME_TIMEOUT).await.unwrap();

    match closing {
        Some(Ok(Message::Close(Some(frame)))) => assert_eq!(frame.code, CloseCode::Normal),
        other => panic!("expected Close(1000) from the simulator, got {other:?}"),
    }
    assert!(
        waited >= CLIENT_CLOSE_GRACE - Duration::from_millis(100),
        "{waited:?}"
    );
    assert_eq!(
        report.client_close_code, None,
        "the client's reply is not recorded"
    );
}

#[tokio::test]
async fn wait_for_close_times_out() {
    let config = short_config(Scenario::DoorHeld).with_door_open_for(Duration::from_secs(30));
    let sim = cabinet_sim::start(config).await.unwrap();
    let mut client = connect(&sim).await;

    next_text(&mut client).await;
    let open = sim
        .wait_for_client_close(0, Duration::from_millis(200))
        .await;
    let never_opened = sim
        .wait_for_client_close(5, Duration::from_millis(50))
        .await;
    let live = sim.connections();

    assert_eq!(open, None);
    assert_eq!(never_opened, None);
    assert_eq!(live.len(), 1);
    assert!(!live[0].ended);
    assert_eq!(live[0].frames_sent, 1);
}

#[tokio::test]
async fn pings_are_counted() {
    let config = short_config(Scenario::DoorHeld).with_door_open_for(Duration::from_secs(30));
    let sim = cabinet_sim::start(config).await.unwrap();
    let mut client = connect(&sim).await;

    next_text(&mut client).await;
    for _ in 0..4 {
        client.send(Message::Ping(Vec::new().into())).await.unwrap();
        assert!(matches!(next_message(&mut client).await, Message::Pong(_)));
    }
    close_with(&mut client, 1000, "").await;
    let report = sim.wait_for_client_close(0, FRAME_TIMEOUT).await.unwrap();

    assert_eq!(report.pings_received, 4);
}

#[tokio::test]
async fn shutdown_closes_open_sessions() {
    let config = short_config(Scenario::DoorHeld).with_door_open_for(Duration::from_secs(60));
    let sim = cabinet_sim::start(config).await.unwrap();
    let url = session_url(&sim);
    let mut client = connect(&sim).await;
    next_text(&mut client).await;

    let started = Instant::now();
    let client_side = tokio::spawn(async move {
        let mut close_code = None;
        while let Some(Ok(message)) = client.next().await {
            if let Message::Close(frame) = message {
                close_code = frame.map(|frame| u16::from(frame.code));
            }
        }
        close_code
    });
    sim.shutdown().await;
    let shutdown_took = started.elapsed();
    let close_code = client_side.await.unwrap();
    let reconnect = tokio_tungstenite::connect_async(&url).await;

    assert!(shutdown_took < Duration::from_secs(3), "{shutdown_took:?}");
    assert_eq!(close_code, Some(1001));
    assert!(
        reconnect.is_err(),
        "the simulator still accepts connections"
    );
}
