//! Helpers shared by the integration tests: a simulator with short pauses and a
//! tokio-tungstenite client.

#![allow(dead_code)]

use std::time::Duration;

use cabinet_sim::{RunningSim, Scenario, SimConfig, DEFAULT_DEVICE_NO, DEFAULT_TOKEN};
use futures_util::{SinkExt as _, StreamExt as _};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

pub type Client = WebSocketStream<MaybeTlsStream<TcpStream>>;

pub const DOOR_DELAY: Duration = Duration::from_millis(20);
pub const DOOR_OPEN_FOR: Duration = Duration::from_millis(150);

/// Maximum wait for one frame in the tests.
pub const FRAME_TIMEOUT: Duration = Duration::from_secs(5);

pub const DOOR_OPENED: &str = r#"{"msg":"开门成功,请补货","success":"true","type":"door"}"#;
pub const DOOR_FAILED: &str = r#"{"msg":"网络不畅,请稍后再试","success":"false","type":"door"}"#;
pub const FINAL_EMPTY: &str = r#"{"data":{"list":[]},"type":"final"}"#;

/// The contract's example final list, with thumbImage on the vendor's host.
pub const FINAL_THREE_DRINKS: &str = include_str!("../fixtures/final-three-drinks.json");
pub const VENDOR_IMAGE_HOST: &str = "http://ssib.gzncloud.com:10053";

pub fn short_config(scenario: Scenario) -> SimConfig {
    SimConfig::new(scenario)
        .with_door_delay(DOOR_DELAY)
        .with_door_open_for(DOOR_OPEN_FOR)
}

pub async fn start_short(scenario: Scenario) -> RunningSim {
    cabinet_sim::start(short_config(scenario))
        .await
        .expect("simulator starts on loopback")
}

/// Endpoint URL with the default device and token.
pub fn session_url(sim: &RunningSim) -> String {
    format!(
        "{}?deviceNo={DEFAULT_DEVICE_NO}&token={DEFAULT_TOKEN}",
        sim.ws_endpoint()
    )
}

pub async fn connect(sim: &RunningSim) -> Client {
    let (client, _response) = tokio_tungstenite::connect_async(session_url(sim))
        .await
        .expect("handshake with valid deviceNo and token succeeds");
    client
}

/// Reads the next message, failing the test after `FRAME_TIMEOUT`.
pub async fn next_message(client: &mut Client) -> Message {
    tokio::time::timeout(FRAME_TIMEOUT, client.next())
        .await
        .expect("a frame arrives in time")
        .expect("the connection is still open")
        .expect("the frame is read without error")
}

pub async fn next_text(client: &mut Client) -> String {
    match next_message(client).await {
        Message::Text(text) => text.as_str().to_owned(),
        other => panic!("expected a text frame, got {other:?}"),
    }
}

pub async fn next_json(client: &mut Client) -> serde_json::Value {
    let text = next_text(client).await;
    serde_json::from_str(&text).unwrap_or_else(|error| panic!("{error}: {text}"))
}

/// Sends Close with `code` and reads until the simulator's reply ends the connection.
pub async fn close_with(client: &mut Client, code: u16, reason: &str) {
    let frame = CloseFrame {
        code: CloseCode::from(code),
        reason: reason.into(),
    };
    client
        .send(Message::Close(Some(frame)))
        .await
        .expect("Close frame is sent");

    let drain = async { while let Some(Ok(_)) = client.next().await {} };
    tokio::time::timeout(FRAME_TIMEOUT, drain)
        .await
        .expect("the simulator completes the closing handshake");
}

/// Returns the three-drinks example as the simulator sends it, with thumbImage on the
/// simulator.
pub fn expected_three_drinks(sim: &RunningSim) -> serde_json::Value {
    let text = FINAL_THREE_DRINKS.replace(VENDOR_IMAGE_HOST, &sim.http_base());
    serde_json::from_str(&text).expect("fixture is valid JSON")
}
