//! `replenish watch` reconnecting after a dropped connection, against the simulator over real
//! sockets: the events it prints, its exit status and the connections the simulator saw.

mod common;

use cabinet_sim::Scenario;
use common::*;

const ZH: (&str, &str) = ("LANG", "zh_CN.UTF-8");
const EN: (&str, &str) = ("LANG", "en_US.UTF-8");

fn with_retries(mut args: Vec<String>, retries: &str) -> Vec<String> {
    args.extend(["--retries".to_owned(), retries.to_owned()]);
    args
}

#[tokio::test]
async fn dropped_connection_reconnects_and_finishes() {
    let sim = start_short(Scenario::DropOnce1011).await;

    let run = run(&watch_json(&sim)).await;

    assert_eq!(run.code, Some(0), "{run:?}");
    assert_eq!(
        run.event_names(),
        [
            "connecting",
            "connected",
            "door_opened",
            "interrupted",
            "reconnecting",
            "connected",
            "door_opened",
            "final",
            "closed"
        ]
    );
    let interrupted = run.event("interrupted");
    assert_eq!(interrupted["close_code"], 1011);
    assert_eq!(interrupted["next_attempt"], 1);
    assert_eq!(interrupted["max_attempts"], 5);
    assert_eq!(sim.connection_count(), 2);
    sim.shutdown().await;
}

#[tokio::test]
async fn retries_bound_then_exit_4() {
    let sim = start_short(Scenario::Close1008Always).await;

    let run = run(&with_retries(watch_json(&sim), "1")).await;

    assert_eq!(run.code, Some(4), "{run:?}");
    assert_eq!(
        run.event_names(),
        [
            "connecting",
            "connected",
            "door_opened",
            "interrupted",
            "reconnecting",
            "connected",
            "door_opened",
            "connection_lost"
        ]
    );
    assert_eq!(run.event("connection_lost")["close_code"], 1008);
    assert_eq!(sim.connection_count(), 2);
    sim.shutdown().await;
}

#[tokio::test]
async fn countdown_and_give_up_in_chinese() {
    let sim = start_short(Scenario::Close1008Always).await;

    let run = run_with(&with_retries(watch_with_token(&sim), "1"), &[ZH], None).await;

    assert_eq!(run.code, Some(4), "{run:?}");
    assert!(
        run.stdout.contains("秒后第 1 次重连（最多 1 次）"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("已自动重连 1 次，仍未连上。请检查网络，然后重新运行命令。"),
        "{}",
        run.stdout
    );
    // The server's door message shows with the open door, before and after the reconnect, but
    // not again under the countdown.
    assert_eq!(
        run.stdout.matches("开门成功,请补货").count(),
        2,
        "{}",
        run.stdout
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn retries_out_of_range_rejected() {
    let sim = start_short(Scenario::ThreeDrinks).await;

    for bad in ["11", "-1", "many"] {
        let run = run_with(&with_retries(watch_with_token(&sim), bad), &[EN], None).await;

        assert_eq!(run.code, Some(64), "{bad}: {run:?}");
        assert!(
            run.stderr.contains(&format!(
                "--retries must be a whole number from 0 to 10, not “{bad}”"
            )),
            "{bad}: {}",
            run.stderr
        );
    }
    assert_eq!(sim.connection_count(), 0);
    sim.shutdown().await;
}
