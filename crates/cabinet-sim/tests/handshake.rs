//! Handshake checks of `deviceNo` and `token`, over real sockets.

mod common;

use cabinet_sim::{Scenario, DEFAULT_DEVICE_NO, DEFAULT_TOKEN};
use common::*;
use tokio_tungstenite::tungstenite::Error as WsError;

/// Attempts a WebSocket handshake and returns the rejection's status and body.
async fn rejected(url: String) -> (u16, String) {
    match tokio_tungstenite::connect_async(&url).await {
        Err(WsError::Http(response)) => {
            let body = response.body().clone().unwrap_or_default();
            (
                response.status().as_u16(),
                String::from_utf8(body).expect("body is UTF-8"),
            )
        }
        Err(other) => panic!("expected an HTTP rejection for {url}, got {other}"),
        Ok(_) => panic!("expected {url} to be rejected"),
    }
}

#[tokio::test]
async fn bad_device_no_is_400() {
    let sim = start_short(Scenario::ThreeDrinks).await;
    let endpoint = sim.ws_endpoint();
    let queries = [
        format!("token={DEFAULT_TOKEN}"),
        format!("deviceNo=&token={DEFAULT_TOKEN}"),
        format!("deviceNo=abc&token={DEFAULT_TOKEN}"),
        format!("deviceNo=-1&token={DEFAULT_TOKEN}"),
        format!("deviceNo=1.5&token={DEFAULT_TOKEN}"),
    ];

    for query in queries {
        let (status, body) = rejected(format!("{endpoint}?{query}")).await;

        assert_eq!(status, 400, "{query}");
        assert!(body.contains("deviceNo"), "{query}: {body}");
        assert!(!body.contains(DEFAULT_TOKEN), "{query}: {body}");
    }
    assert!(sim.connections().is_empty());
}

#[tokio::test]
async fn missing_query_is_400() {
    let sim = start_short(Scenario::ThreeDrinks).await;

    let (status, _body) = rejected(sim.ws_endpoint()).await;

    assert_eq!(status, 400);
}

#[tokio::test]
async fn other_device_is_404() {
    let sim = start_short(Scenario::ThreeDrinks).await;
    let url = format!(
        "{}?deviceNo={}&token={DEFAULT_TOKEN}",
        sim.ws_endpoint(),
        DEFAULT_DEVICE_NO + 1
    );

    let (status, body) = rejected(url).await;

    assert_eq!(status, 404);
    assert_eq!(body, "unknown device");
}

#[tokio::test]
async fn wrong_or_missing_token_is_401() {
    let sim = start_short(Scenario::ThreeDrinks).await;
    let endpoint = sim.ws_endpoint();
    let wrong_token = "guessed-token-0000";
    let queries = [
        format!("deviceNo={DEFAULT_DEVICE_NO}"),
        format!("deviceNo={DEFAULT_DEVICE_NO}&token="),
        format!("deviceNo={DEFAULT_DEVICE_NO}&token={wrong_token}"),
        format!("deviceNo={DEFAULT_DEVICE_NO}&token={}", &DEFAULT_TOKEN[1..]),
    ];

    for query in queries {
        let (status, body) = rejected(format!("{endpoint}?{query}")).await;

        assert_eq!(status, 401, "{query}");
        assert!(body.contains("token"), "{query}: {body}");
        assert!(!body.contains(wrong_token), "{query}: {body}");
        assert!(!body.contains(&DEFAULT_TOKEN[1..]), "{query}: {body}");
    }
    assert!(sim.connections().is_empty());
}

#[tokio::test]
async fn percent_encoded_token_is_accepted() {
    let token = "a b&c=d/é+";
    let config = short_config(Scenario::Empty)
        .with_token(token)
        .with_device_no(7);
    let sim = cabinet_sim::start(config).await.unwrap();
    let encoded = "a%20b%26c%3Dd%2F%C3%A9%2B";
    let url = format!("{}?deviceNo=7&token={encoded}", sim.ws_endpoint());

    let (mut client, response) = tokio_tungstenite::connect_async(&url).await.unwrap();
    let door = next_text(&mut client).await;
    let report = sim.connections().pop().unwrap();

    assert_eq!(response.status().as_u16(), 101);
    assert_eq!(door, DOOR_OPENED);
    assert_eq!(report.device_no, 7);
}

#[tokio::test]
async fn plain_get_without_upgrade_is_rejected() {
    let sim = start_short(Scenario::ThreeDrinks).await;
    let url = format!(
        "{}/websocket/ssib/replenish?deviceNo={DEFAULT_DEVICE_NO}&token={DEFAULT_TOKEN}",
        sim.http_base()
    );

    let response = reqwest::get(&url).await.unwrap();

    assert!(response.status().is_client_error(), "{}", response.status());
    assert!(sim.connections().is_empty());
}

#[tokio::test]
async fn endpoint_urls_use_bound_port() {
    let sim = start_short(Scenario::ThreeDrinks).await;
    let port = sim.addr().port();

    assert_ne!(port, 0);
    assert!(sim.addr().ip().is_loopback());
    assert_eq!(
        sim.ws_endpoint(),
        format!("ws://127.0.0.1:{port}/websocket/ssib/replenish")
    );
    assert_eq!(sim.http_base(), format!("http://127.0.0.1:{port}"));
}
