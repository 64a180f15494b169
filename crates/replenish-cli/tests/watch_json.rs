//! `replenish watch --json` against every simulator scenario over real sockets: the exit status,
//! the exact event sequence, exact decimals and ids, and the close code the simulator recorded.

mod common;

use std::str::FromStr;

use cabinet_sim::{Scenario, SimConfig, DEFAULT_TOKEN};
use common::*;
use rust_decimal::Decimal;
use serde_json::Value;

const FINISHED: [&str; 5] = ["connecting", "connected", "door_opened", "final", "closed"];

fn dec(value: &Value) -> Decimal {
    let text = value
        .as_str()
        .unwrap_or_else(|| panic!("{value} is not a decimal string"));
    Decimal::from_str(text).unwrap_or_else(|error| panic!("{text}: {error}"))
}

#[tokio::test]
async fn three_drinks_final_list() {
    let sim = start_short(Scenario::ThreeDrinks).await;

    let run = run(&watch_json(&sim)).await;

    assert_eq!(run.code, Some(0), "{run:?}");
    assert_eq!(run.event_names(), FINISHED);
    assert_eq!(run.stderr, "");
    assert_eq!(client_close_code(&sim, 0).await, Some(1000));

    let connecting = run.event("connecting");
    assert_eq!(connecting["device_no"], device_no());
    let endpoint = connecting["endpoint"].as_str().unwrap();
    assert!(endpoint.starts_with(&sim.ws_endpoint()), "{endpoint}");
    assert!(endpoint.contains("token=sim-…7e81"), "{endpoint}");

    assert_eq!(run.event("door_opened")["message"], "开门成功,请补货");
    assert_eq!(run.event("closed")["close_code"], 1000);

    let list = run.event("final");
    assert_eq!(list["record_id"], 33116);
    let milk_tea = &list["lines"][0];
    assert_eq!(milk_tea["id"], 3297);
    assert_eq!(milk_tea["name"], "阿莎姆奶茶");
    assert_eq!(milk_tea["aisle_no"], "101");
    assert_eq!(milk_tea["cabinet_no"], 1);
    assert_eq!(milk_tea["is_bulk"], false);
    assert_eq!(milk_tea["type_name"], "饮料");
    assert!(milk_tea["thumb_image"]
        .as_str()
        .unwrap()
        .starts_with(&sim.http_base()));
    assert_eq!(milk_tea["storage"], 41);
    assert_eq!(milk_tea["add_quantity"], 13);
    assert_eq!(milk_tea["add_quantity_revise"], 13);
    assert_eq!(milk_tea["remove_quantity"], 0);
    assert_eq!(milk_tea["remove_quantity_revise"], 0);
    assert_eq!(milk_tea["sale_price"], "6.50000");
    assert_eq!(milk_tea["cost_price"], "3.10000");
    assert_eq!(milk_tea["net"], 13);
    assert_eq!(milk_tea["sale_value"], "84.50");
    assert_eq!(milk_tea["cost_value"], "40.30");
    assert_eq!(milk_tea["incomplete"], false);
    assert_eq!(milk_tea["problems"], serde_json::json!([]));

    let aisles: Vec<&str> = list["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|line| line["aisle_no"].as_str().unwrap())
        .collect();
    assert_eq!(aisles, ["101", "102", "202"]);

    assert_eq!(list["cabinets"][0]["cabinet_no"], 1);
    assert_eq!(list["cabinets"][0]["line_count"], 2);
    assert_eq!(list["cabinets"][0]["sale_value"], "124.50");
    assert_eq!(list["cabinets"][0]["cost_value"], "57.90");
    assert_eq!(list["cabinets"][1]["cabinet_no"], 2);
    assert_eq!(list["cabinets"][1]["sale_value"], "54.00");
    assert_eq!(list["totals"]["line_count"], 3);
    assert_eq!(list["totals"]["added"], 30);
    assert_eq!(list["totals"]["net"], 30);
    assert_eq!(list["totals"]["sale_value"], "178.50");
    assert_eq!(list["totals"]["cost_value"], "84.00");
    assert_eq!(list["totals"]["incomplete"], false);

    // The decimals are JSON strings in the raw text too, not numbers.
    assert!(
        run.stdout.contains(r#""sale_price":"6.50000""#),
        "{}",
        run.stdout
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn door_failed_exits_3() {
    let sim = start_short(Scenario::DoorFailed).await;

    let run = run(&watch_json(&sim)).await;

    assert_eq!(run.code, Some(3), "{run:?}");
    assert_eq!(
        run.event_names(),
        ["connecting", "connected", "door_failed", "closed"]
    );
    let door = run.event("door_failed");
    assert_eq!(door["message"], "网络不畅,请稍后再试");
    assert_eq!(door["code"], Value::Null);
    assert_eq!(client_close_code(&sim, 0).await, Some(1000));
    sim.shutdown().await;
}

#[tokio::test]
async fn empty_list_exits_0() {
    let sim = start_short(Scenario::Empty).await;

    let run = run(&watch_json(&sim)).await;

    assert_eq!(run.code, Some(0), "{run:?}");
    assert_eq!(run.event_names(), FINISHED);
    let list = run.event("final");
    assert_eq!(list["record_id"], Value::Null);
    assert_eq!(list["lines"], serde_json::json!([]));
    assert_eq!(list["cabinets"], serde_json::json!([]));
    assert_eq!(list["totals"]["line_count"], 0);
    assert_eq!(list["totals"]["sale_value"], "0");
    assert_eq!(client_close_code(&sim, 0).await, Some(1000));
    sim.shutdown().await;
}

#[tokio::test]
async fn failures_exit_2() {
    let cases = [
        (Scenario::FailureOperationFailed, "操作失败"),
        (Scenario::FailureSomeoneShopping, "有人正在购物"),
        (Scenario::FailureAlreadyReplenishing, "该设备已处于补货状态"),
    ];

    for (scenario, message) in cases {
        let sim = start_short(scenario).await;

        let run = run(&watch_json(&sim)).await;

        assert_eq!(run.code, Some(2), "{scenario}: {run:?}");
        assert_eq!(
            run.event_names(),
            ["connecting", "connected", "failure", "closed"],
            "{scenario}"
        );
        assert_eq!(run.event("failure")["message"], message, "{scenario}");
        assert_eq!(run.event("failure")["code"], Value::Null, "{scenario}");
        assert_eq!(client_close_code(&sim, 0).await, Some(1000), "{scenario}");
        sim.shutdown().await;
    }
}

#[tokio::test]
async fn large_list_is_exact() {
    let sim = start_short(Scenario::Large).await;

    let run = run(&watch_json(&sim)).await;

    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.event_names(), FINISHED);
    assert!(
        run.stdout.contains(r#""record_id":900000000000000001"#),
        "record id is not exact"
    );
    assert_eq!(client_close_code(&sim, 0).await, Some(1000));

    let list = run.event("final");
    assert_eq!(list["record_id"].as_u64(), Some(900_000_000_000_000_001));
    let lines = list["lines"].as_array().unwrap();
    assert_eq!(lines.len(), 600);
    assert_eq!(list["cabinets"].as_array().unwrap().len(), 6);
    assert!(lines.iter().any(|line| line["is_bulk"] == true));
    assert!(lines
        .iter()
        .any(|line| line["add_quantity"] != line["add_quantity_revise"]));

    // Every price keeps the five decimals the simulator sends.
    for line in lines {
        let price = line["cost_price"].as_str().unwrap();
        assert_eq!(price.split_once('.').unwrap().1.len(), 5, "{price}");
    }

    // The record totals are the exact sums of the line values.
    let sum = |field: &str| lines.iter().map(|line| dec(&line[field])).sum::<Decimal>();
    assert_eq!(dec(&list["totals"]["cost_value"]), sum("cost_value"));
    assert_eq!(dec(&list["totals"]["sale_value"]), sum("sale_value"));
    let cabinet_sum = |field: &str| {
        list["cabinets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|cabinet| dec(&cabinet[field]))
            .sum::<Decimal>()
    };
    assert_eq!(cabinet_sum("sale_value"), sum("sale_value"));
    sim.shutdown().await;
}

#[tokio::test]
async fn door_held_then_final() {
    let config =
        short_config(Scenario::DoorHeld).with_door_open_for(std::time::Duration::from_millis(1500));
    let sim = start_sim(config).await;

    let run = run(&watch_json(&sim)).await;

    assert_eq!(run.code, Some(0), "{run:?}");
    assert_eq!(run.event_names(), FINISHED);
    assert_eq!(run.event("final")["record_id"], 33116);
    assert_eq!(client_close_code(&sim, 0).await, Some(1000));
    sim.shutdown().await;
}

#[tokio::test]
async fn drop_before_final_exits_4() {
    let sim = start_short(Scenario::DropBeforeFinal).await;
    let mut args = watch_json(&sim);
    args.extend(["--retries".to_owned(), "0".to_owned()]);

    let run = run(&args).await;

    assert_eq!(run.code, Some(4), "{run:?}");
    assert_eq!(
        run.event_names(),
        ["connecting", "connected", "door_opened", "connection_lost"]
    );
    let lost = run.event("connection_lost");
    assert_eq!(lost["close_code"], Value::Null);
    assert!(!lost["reason"].as_str().unwrap().is_empty(), "{lost}");
    // The connection was gone, so the client had nothing to close.
    assert_eq!(client_close_code(&sim, 0).await, None);
    sim.shutdown().await;
}

#[tokio::test]
async fn malformed_frames_are_reported() {
    let sim = start_short(Scenario::MalformedFrames).await;

    let run = run(&watch_json(&sim)).await;

    assert_eq!(run.code, Some(0), "{run:?}");
    assert_eq!(
        run.event_names(),
        [
            "connecting",
            "connected",
            "door_opened",
            "protocol_error",
            "protocol_error",
            "protocol_error",
            "unknown_type",
            "final",
            "closed"
        ]
    );
    let errors: Vec<Value> = run
        .events()
        .into_iter()
        .filter(|event| event["event"] == "protocol_error")
        .collect();
    for error in &errors {
        assert!(!error["reason"].as_str().unwrap().is_empty(), "{error}");
        assert!(error["excerpt"].is_string(), "{error}");
    }
    assert!(errors[0]["excerpt"].as_str().unwrap().contains("开门成功"));
    assert_eq!(run.event("unknown_type")["type_name"], "heartbeat");
    assert_eq!(client_close_code(&sim, 0).await, Some(1000));
    sim.shutdown().await;
}

#[tokio::test]
async fn html_name_stays_text() {
    let sim = start_short(Scenario::HtmlName).await;

    let run = run(&watch_json(&sim)).await;

    assert_eq!(run.code, Some(0), "{run:?}");
    assert_eq!(run.event_names(), FINISHED);
    let line = &run.event("final")["lines"][0];
    assert_eq!(line["name"], "<img src=x onerror=alert(1)><b>奶茶</b>");
    assert_eq!(line["type_name"], "<script>x</script>");
    assert_eq!(client_close_code(&sim, 0).await, Some(1000));
    sim.shutdown().await;
}

#[tokio::test]
async fn broken_images_keep_lines() {
    let sim = start_short(Scenario::BrokenImages).await;

    let run = run(&watch_json(&sim)).await;

    assert_eq!(run.code, Some(0), "{run:?}");
    assert_eq!(run.event_names(), FINISHED);
    let list = run.event("final");
    let lines = list["lines"].as_array().unwrap();
    assert_eq!(lines.len(), 8);
    let without_picture = lines
        .iter()
        .filter(|line| line["thumb_image"].is_null())
        .count();
    assert_eq!(without_picture, 2);
    assert!(lines.iter().all(|line| line["incomplete"] == false));
    assert_eq!(list["record_id"], 33117);
    assert_eq!(client_close_code(&sim, 0).await, Some(1000));
    sim.shutdown().await;
}

#[tokio::test]
async fn wrong_token_is_rejected() {
    let sim = start_short(Scenario::ThreeDrinks).await;
    let mut args = watch_args(&sim);
    args.extend([
        "--token".into(),
        "not-the-sim-token".into(),
        "--json".into(),
    ]);

    let run = run(&args).await;

    assert_eq!(run.code, Some(4), "{run:?}");
    assert_eq!(run.event_names(), ["connecting", "handshake_rejected"]);
    let rejected = run.event("handshake_rejected");
    assert_eq!(rejected["status"], 401);
    assert_eq!(rejected["body"], "invalid token");
    assert!(sim.connections().is_empty());
    sim.shutdown().await;
}

#[tokio::test]
async fn unknown_device_is_rejected() {
    let sim = start_sim(short_config(Scenario::ThreeDrinks).with_device_no(42)).await;
    let args = [
        "watch",
        "--endpoint",
        &sim.ws_endpoint(),
        "--device",
        "43",
        "--token",
        DEFAULT_TOKEN,
        "--json",
    ];

    let run = run(&args).await;

    assert_eq!(run.code, Some(4), "{run:?}");
    assert_eq!(run.event("handshake_rejected")["status"], 404);
    sim.shutdown().await;
}

#[tokio::test]
async fn refused_connection_exits_4() {
    // A port that was just free and is now closed refuses connections.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let endpoint = format!("ws://127.0.0.1:{port}/websocket/ssib/replenish");
    let args = [
        "watch",
        "--endpoint",
        &endpoint,
        "--device",
        "181200005",
        "--token",
        DEFAULT_TOKEN,
        "--json",
    ];

    let run = run(&args).await;

    assert_eq!(run.code, Some(4), "{run:?}");
    assert_eq!(run.event_names(), ["connecting", "connect_failed"]);
    assert!(!run.event("connect_failed")["reason"]
        .as_str()
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn door_wait_elapses_exits_3() {
    let config = SimConfig::new(Scenario::ThreeDrinks)
        .with_door_delay(std::time::Duration::from_secs(20))
        .with_door_open_for(DOOR_OPEN_FOR);
    let sim = start_sim(config).await;
    let mut args = watch_json(&sim);
    args.extend(["--door-wait".into(), "1".into()]);

    let run = run(&args).await;

    assert_eq!(run.code, Some(3), "{run:?}");
    assert_eq!(
        run.event_names(),
        ["connecting", "connected", "door_timed_out", "closed"]
    );
    assert_eq!(run.event("door_timed_out")["seconds"], 1);
    assert_eq!(client_close_code(&sim, 0).await, Some(1000));
    sim.shutdown().await;
}

#[tokio::test]
async fn final_list_stored_in_data_dir() {
    let sim = start_short(Scenario::ThreeDrinks).await;
    let data_dir =
        std::env::temp_dir().join(format!("replenish-cli-records-{}", std::process::id()));
    let mut args = watch_json(&sim);
    args.extend(["--data-dir".to_owned(), data_dir.display().to_string()]);

    let run = run(&args).await;

    assert_eq!(run.code, Some(0), "{run:?}");
    let records = data_dir.join("records");
    let store = record_store::RecordStore::open(&records).unwrap();
    let sessions = store
        .list_sessions(&record_store::Filter::default())
        .unwrap();
    assert_eq!(sessions.len(), 1, "{sessions:?}");
    assert_eq!(sessions[0].outcome, record_store::Outcome::Final);
    assert_eq!(sessions[0].record_id, Some(33116));
    assert_eq!(sessions[0].close_code, Some(1000));
    assert_eq!(sessions[0].totals.sale_value.to_string(), "178.50");
    let journal = record_store::Journal::open(&records).unwrap();
    assert_eq!(
        journal.sessions().unwrap(),
        Vec::new(),
        "journal left behind"
    );
    std::fs::remove_dir_all(data_dir).unwrap();
}
