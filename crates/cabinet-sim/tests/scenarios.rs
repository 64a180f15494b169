//! Frame sequence of every scenario, read by a real WebSocket client over loopback.

mod common;

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use cabinet_sim::{FaultImage, Scenario, DEFAULT_DEVICE_NO};
use common::*;
use futures_util::{SinkExt as _, StreamExt as _};
use serde_json::Value;
use tokio_tungstenite::tungstenite::Message;

/// Returns every `"key":value` literal of a number field in a raw frame.
fn number_literals<'a>(frame: &'a str, key: &str) -> Vec<&'a str> {
    let needle = format!("\"{key}\":");
    frame
        .match_indices(&needle)
        .map(|(start, _)| {
            let rest = &frame[start + needle.len()..];
            let end = rest.find([',', '}']).expect("number is followed by , or }");
            &rest[..end]
        })
        .collect()
}

fn has_five_decimals(literal: &str) -> bool {
    match literal.split_once('.') {
        Some((whole, fraction)) => {
            !whole.is_empty()
                && whole.bytes().all(|b| b.is_ascii_digit())
                && fraction.len() == 5
                && fraction.bytes().all(|b| b.is_ascii_digit())
        }
        None => false,
    }
}

#[tokio::test]
async fn three_drinks_matches_contract() {
    let sim = start_short(Scenario::ThreeDrinks).await;
    let mut client = connect(&sim).await;

    let door = next_text(&mut client).await;
    let final_text = next_text(&mut client).await;
    let final_frame: Value = serde_json::from_str(&final_text).unwrap();
    close_with(&mut client, 1000, "").await;
    let report = sim.wait_for_client_close(0, FRAME_TIMEOUT).await.unwrap();

    assert_eq!(door, DOOR_OPENED);
    assert_eq!(final_frame, expected_three_drinks(&sim));
    assert_eq!(
        number_literals(&final_text, "costPrice"),
        ["3.10000", "2.20000", "2.90000"]
    );
    assert_eq!(
        number_literals(&final_text, "salePrice"),
        ["6.50000", "5.00000", "6.00000"]
    );
    assert_eq!(number_literals(&final_text, "recordId"), ["33116"]);
    assert_eq!(report.frames_sent, 2);
    assert_eq!(report.device_no, DEFAULT_DEVICE_NO);
}

#[tokio::test]
async fn three_drinks_respects_pauses() {
    let config = short_config(Scenario::ThreeDrinks)
        .with_door_delay(Duration::from_millis(200))
        .with_door_open_for(Duration::from_millis(400));
    let sim = cabinet_sim::start(config).await.unwrap();
    let started = Instant::now();
    let mut client = connect(&sim).await;

    next_text(&mut client).await;
    let door_at = started.elapsed();
    next_text(&mut client).await;
    let final_at = started.elapsed();

    assert!(door_at >= Duration::from_millis(200), "{door_at:?}");
    assert!(
        final_at - door_at >= Duration::from_millis(400),
        "{final_at:?}"
    );
}

#[tokio::test]
async fn door_failed_sends_only_door_frame() {
    let sim = start_short(Scenario::DoorFailed).await;
    let mut client = connect(&sim).await;

    let door = next_text(&mut client).await;
    let more = tokio::time::timeout(Duration::from_millis(500), client.next()).await;
    close_with(&mut client, 1000, "").await;
    let report = sim.wait_for_client_close(0, FRAME_TIMEOUT).await.unwrap();

    assert_eq!(door, DOOR_FAILED);
    assert!(
        more.is_err(),
        "unexpected frame after door failure: {more:?}"
    );
    assert_eq!(report.frames_sent, 1);
}

#[tokio::test]
async fn empty_sends_empty_list_without_record_id() {
    let sim = start_short(Scenario::Empty).await;
    let mut client = connect(&sim).await;

    let door = next_text(&mut client).await;
    let final_text = next_text(&mut client).await;

    assert_eq!(door, DOOR_OPENED);
    assert_eq!(final_text, FINAL_EMPTY);
}

#[tokio::test]
async fn failures_come_first_without_door() {
    let cases = [
        (
            Scenario::FailureOperationFailed,
            r#"{"msg":"操作失败","success":"false","type":"failure"}"#,
        ),
        (
            Scenario::FailureSomeoneShopping,
            r#"{"msg":"有人正在购物","success":"false","type":"failure"}"#,
        ),
        (
            Scenario::FailureAlreadyReplenishing,
            r#"{"msg":"该设备已处于补货状态","success":"false","type":"failure"}"#,
        ),
    ];

    for (scenario, expected) in cases {
        let sim = start_short(scenario).await;
        let mut client = connect(&sim).await;

        let first = next_text(&mut client).await;
        close_with(&mut client, 1000, "").await;
        let report = sim.wait_for_client_close(0, FRAME_TIMEOUT).await.unwrap();

        assert_eq!(first, expected, "{scenario}");
        assert_eq!(report.frames_sent, 1, "{scenario}");
        assert_eq!(report.client_close_code, Some(1000), "{scenario}");
    }
}

#[tokio::test]
async fn large_list_has_600_lines() {
    let sim = start_short(Scenario::Large).await;
    let mut client = connect(&sim).await;

    assert_eq!(next_text(&mut client).await, DOOR_OPENED);
    let final_text = next_text(&mut client).await;
    let frame: Value = serde_json::from_str(&final_text).unwrap();
    let lines = frame["data"]["list"].as_array().unwrap();

    let mut per_cabinet: HashMap<u64, usize> = HashMap::new();
    for line in lines {
        *per_cabinet
            .entry(line["cabinetNo"].as_u64().unwrap())
            .or_default() += 1;
    }
    let thumbs: HashSet<&str> = lines
        .iter()
        .map(|line| line["thumbImage"].as_str().unwrap())
        .collect();
    let aisles: HashSet<u64> = lines
        .iter()
        .map(|line| line["aisleNo"].as_u64().unwrap())
        .collect();

    assert_eq!(frame["type"], "final");
    assert_eq!(
        number_literals(&final_text, "recordId"),
        ["900000000000000001"]
    );
    assert_eq!(
        frame["data"]["recordId"].as_u64(),
        Some(900_000_000_000_000_001)
    );
    assert_eq!(lines.len(), 600);
    assert_eq!(aisles.len(), 600);
    assert_eq!(per_cabinet.len(), 6);
    assert!(
        per_cabinet.values().all(|count| *count == 100),
        "{per_cabinet:?}"
    );
    assert_eq!(thumbs.len(), 60);
    assert!(thumbs.iter().all(|url| url.starts_with(&sim.http_base())));
    for line in lines {
        let cabinet = line["cabinetNo"].as_u64().unwrap();
        let aisle = line["aisleNo"].as_u64().unwrap();
        assert_eq!(aisle / 100, cabinet, "aisle {aisle} in cabinet {cabinet}");
    }
}

#[tokio::test]
async fn large_list_mixes_edge_cases() {
    let sim = start_short(Scenario::Large).await;
    let mut client = connect(&sim).await;

    next_text(&mut client).await;
    let final_text = next_text(&mut client).await;
    let frame: Value = serde_json::from_str(&final_text).unwrap();
    let lines = frame["data"]["list"].as_array().unwrap();
    let prices: Vec<&str> = number_literals(&final_text, "costPrice")
        .into_iter()
        .chain(number_literals(&final_text, "salePrice"))
        .collect();
    let cabinets_in_order: Vec<u64> = lines
        .iter()
        .map(|line| line["cabinetNo"].as_u64().unwrap())
        .collect();

    assert!(lines.iter().any(|line| line["isBulk"] == "1"));
    assert!(lines.iter().any(|line| line["isBulk"] == "0"));
    assert!(lines
        .iter()
        .any(|line| line["addQuantityRevise"] != line["addQuantity"]));
    assert_eq!(prices.len(), 1200);
    assert!(
        prices.iter().all(|price| has_five_decimals(price)),
        "{prices:?}"
    );
    assert!(prices.iter().any(|price| !price.ends_with('0')));
    assert!(prices.iter().any(|price| price.ends_with("0000")));
    assert!(
        cabinets_in_order.windows(2).any(|pair| pair[0] > pair[1]),
        "lines are shuffled so that clients must group them"
    );
}

#[tokio::test]
async fn large_list_is_deterministic() {
    let first = start_short(Scenario::Large).await;
    let second = start_short(Scenario::Large).await;
    let mut first_client = connect(&first).await;
    let mut second_client = connect(&second).await;

    next_text(&mut first_client).await;
    next_text(&mut second_client).await;
    let first_text = next_text(&mut first_client).await;
    let second_text = next_text(&mut second_client).await;

    // The two simulators listen on different ports, which appear in thumbImage.
    let first_text = first_text.replace(&first.http_base(), "BASE");
    let second_text = second_text.replace(&second.http_base(), "BASE");
    assert_eq!(first_text, second_text);
}

#[tokio::test]
async fn door_held_answers_pings() {
    let config = short_config(Scenario::DoorHeld).with_door_open_for(Duration::from_millis(1500));
    let sim = cabinet_sim::start(config).await.unwrap();
    let mut client = connect(&sim).await;

    assert_eq!(next_text(&mut client).await, DOOR_OPENED);
    let door_at = Instant::now();
    let mut pongs = 0;
    for round in 0u8..3 {
        client
            .send(Message::Ping(vec![round].into()))
            .await
            .unwrap();
        let reply = next_message(&mut client).await;
        assert_eq!(reply, Message::Pong(vec![round].into()));
        pongs += 1;
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let final_frame = next_json(&mut client).await;
    let held_for = door_at.elapsed();
    close_with(&mut client, 1000, "").await;
    let report = sim.wait_for_client_close(0, FRAME_TIMEOUT).await.unwrap();

    assert_eq!(pongs, 3);
    assert_eq!(final_frame, expected_three_drinks(&sim));
    assert!(held_for >= Duration::from_millis(1400), "{held_for:?}");
    assert_eq!(report.pings_received, 3);
}

#[tokio::test]
async fn drop_before_final_sends_no_close() {
    let sim = start_short(Scenario::DropBeforeFinal).await;
    let mut client = connect(&sim).await;

    assert_eq!(next_text(&mut client).await, DOOR_OPENED);
    let after_door = tokio::time::timeout(FRAME_TIMEOUT, client.next())
        .await
        .expect("the connection ends in time");
    let report = sim.wait_for_client_close(0, FRAME_TIMEOUT).await.unwrap();

    match after_door {
        None | Some(Err(_)) => {}
        Some(Ok(message)) => panic!("expected the TCP connection to drop, got {message:?}"),
    }
    assert!(report.ended);
    assert_eq!(report.client_close_code, None);
    assert_eq!(report.frames_sent, 1);
}

#[tokio::test]
async fn malformed_frames_then_final() {
    let sim = start_short(Scenario::MalformedFrames).await;
    let mut client = connect(&sim).await;

    let door = next_text(&mut client).await;
    let not_json = next_text(&mut client).await;
    let binary = next_message(&mut client).await;
    let missing_type = next_json(&mut client).await;
    let unknown_type = next_json(&mut client).await;
    let final_frame = next_json(&mut client).await;

    assert_eq!(door, DOOR_OPENED);
    assert!(
        serde_json::from_str::<Value>(&not_json).is_err(),
        "{not_json}"
    );
    assert!(matches!(binary, Message::Binary(_)), "{binary:?}");
    assert!(missing_type.is_object());
    assert!(missing_type.get("type").is_none(), "{missing_type}");
    assert_eq!(unknown_type, serde_json::json!({"type": "heartbeat"}));
    assert_eq!(final_frame, expected_three_drinks(&sim));
}

#[tokio::test]
async fn broken_images_list_points_at_faults() {
    let sim = start_short(Scenario::BrokenImages).await;
    let mut client = connect(&sim).await;

    assert_eq!(next_text(&mut client).await, DOOR_OPENED);
    let final_text = next_text(&mut client).await;
    let frame: Value = serde_json::from_str(&final_text).unwrap();
    let lines = frame["data"]["list"].as_array().unwrap();
    let urls: Vec<&str> = lines
        .iter()
        .filter_map(|line| line.get("thumbImage").and_then(Value::as_str))
        .collect();
    let expected_urls: Vec<String> = FaultImage::all()
        .iter()
        .map(|fault| format!("{}{}", sim.http_base(), fault.path()))
        .collect();

    assert_eq!(urls, expected_urls);
    assert_eq!(lines.len(), expected_urls.len() + 2);
    assert!(lines.iter().any(|line| line.get("thumbImage").is_none()));
    assert!(lines
        .iter()
        .any(|line| line.get("thumbImage") == Some(&Value::Null)));
    assert!(final_text.contains(r#""thumbImage":null"#));
}

#[tokio::test]
async fn html_name_is_sent_verbatim() {
    let sim = start_short(Scenario::HtmlName).await;
    let mut client = connect(&sim).await;

    assert_eq!(next_text(&mut client).await, DOOR_OPENED);
    let final_text = next_text(&mut client).await;
    let frame: Value = serde_json::from_str(&final_text).unwrap();
    let first = &frame["data"]["list"][0];
    let mut expected = expected_three_drinks(&sim);
    expected["data"]["list"][0]["name"] = "<img src=x onerror=alert(1)><b>奶茶</b>".into();
    expected["data"]["list"][0]["typeName"] = "<script>x</script>".into();

    assert_eq!(first["name"], "<img src=x onerror=alert(1)><b>奶茶</b>");
    assert_eq!(first["typeName"], "<script>x</script>");
    assert!(final_text.contains("<img src=x onerror=alert(1)><b>奶茶</b>"));
    assert_eq!(frame, expected);
}

#[tokio::test]
async fn concurrent_clients_get_own_sessions() {
    let sim = start_short(Scenario::ThreeDrinks).await;
    let mut first = connect(&sim).await;
    let mut second = connect(&sim).await;

    for client in [&mut first, &mut second] {
        assert_eq!(next_text(client).await, DOOR_OPENED);
        assert_eq!(next_json(client).await, expected_three_drinks(&sim));
    }
    close_with(&mut first, 1000, "first").await;
    close_with(&mut second, 4000, "second").await;
    let reports = [
        sim.wait_for_client_close(0, FRAME_TIMEOUT).await.unwrap(),
        sim.wait_for_client_close(1, FRAME_TIMEOUT).await.unwrap(),
    ];
    let mut codes: Vec<Option<u16>> = reports.iter().map(|r| r.client_close_code).collect();
    codes.sort();

    assert_eq!(sim.connections().len(), 2);
    assert_eq!(codes, [Some(1000), Some(4000)]);
    assert!(reports.iter().all(|report| report.frames_sent == 2));
}
