//! Stopping a running session: `--timeout`, SIGINT and SIGTERM each close the connection normally
//! (1000) before the process exits with its own status.

mod common;

use std::time::Duration;

use cabinet_sim::{RunningSim, Scenario};
use common::*;

/// Longer than any test runs, so door-held never sends its final list here.
const LONG_DOOR: Duration = Duration::from_secs(60);

async fn door_held_long() -> RunningSim {
    start_sim(short_config(Scenario::DoorHeld).with_door_open_for(LONG_DOOR)).await
}

#[tokio::test]
async fn timeout_closes_and_exits_5() {
    let sim = door_held_long().await;
    let mut args = watch_json(&sim);
    args.extend(["--timeout".into(), "1".into()]);

    let run = run(&args).await;

    assert_eq!(run.code, Some(5), "{run:?}");
    assert_eq!(
        run.event_names(),
        [
            "connecting",
            "connected",
            "door_opened",
            "timeout",
            "cancelled",
            "closed"
        ]
    );
    assert_eq!(run.event("timeout")["seconds"], 1);
    assert_eq!(run.event("closed")["close_code"], 1000);
    assert_eq!(client_close_code(&sim, 0).await, Some(1000));
    sim.shutdown().await;
}

#[tokio::test]
async fn timeout_in_text_output() {
    let sim = door_held_long().await;
    let mut args = watch_with_token(&sim);
    args.extend([
        "--timeout".into(),
        "1".into(),
        "--language".into(),
        "en".into(),
    ]);

    let run = run(&args).await;

    assert_eq!(run.code, Some(5), "{run:?}");
    assert!(
        run.stdout.contains("The --timeout of 1 s elapsed"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("Stopped watching this session"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("Connection closed with close code 1000."),
        "{}",
        run.stdout
    );
    assert_eq!(client_close_code(&sim, 0).await, Some(1000));
    sim.shutdown().await;
}

#[tokio::test]
async fn closed_stdout_cancels_and_exits_74() {
    use tokio::io::{AsyncBufReadExt as _, BufReader};

    // The door frame comes late, so the reader is gone before the command writes it.
    let config = short_config(Scenario::DoorHeld)
        .with_door_delay(Duration::from_millis(500))
        .with_door_open_for(LONG_DOOR);
    let sim = start_sim(config).await;
    let mut child = spawn(&watch_json(&sim));
    let mut stdout = BufReader::new(child.stdout.take().unwrap()).lines();

    let first = stdout.next_line().await.unwrap().unwrap_or_default();
    assert!(first.contains(r#""event":"connecting""#), "{first}");
    drop(stdout);

    let status = tokio::time::timeout(RUN_TIMEOUT, child.wait())
        .await
        .expect("replenish exits in time")
        .unwrap();
    assert_eq!(status.code(), Some(74));
    assert_eq!(client_close_code(&sim, 0).await, Some(1000));
    sim.shutdown().await;
}

#[tokio::test]
async fn closed_stdout_and_stderr_still_exit_74() {
    use tokio::io::{AsyncBufReadExt as _, BufReader};

    // As in `replenish watch … 2>&1 | head -1`: both outputs go away after the first line, so
    // even the error line about stdout cannot be written.
    let config = short_config(Scenario::DoorHeld)
        .with_door_delay(Duration::from_millis(500))
        .with_door_open_for(LONG_DOOR);
    let sim = start_sim(config).await;
    let mut child = spawn(&watch_json(&sim));
    let mut stdout = BufReader::new(child.stdout.take().unwrap()).lines();
    drop(child.stderr.take());

    let first = stdout.next_line().await.unwrap().unwrap_or_default();
    assert!(first.contains(r#""event":"connecting""#), "{first}");
    drop(stdout);

    let status = tokio::time::timeout(RUN_TIMEOUT, child.wait())
        .await
        .expect("replenish exits in time")
        .unwrap();
    assert_eq!(status.code(), Some(74), "a panic exits with 101");
    sim.shutdown().await;
}

/// SIGINT and SIGTERM are sent with kill(2), so these tests run on Unix only.
#[cfg(unix)]
mod signals {
    use tokio::io::{AsyncBufReadExt as _, AsyncReadExt as _, BufReader};

    use super::*;

    /// Runs `watch --json` against door-held, sends `signal` once the door is open, and returns the
    /// exit code and every stdout line.
    async fn signal_during_door_held(
        signal: libc::c_int,
    ) -> (Option<i32>, Vec<String>, RunningSim) {
        let sim = door_held_long().await;
        let mut child = spawn(&watch_json(&sim));
        let mut stdout = BufReader::new(child.stdout.take().unwrap()).lines();

        let mut lines = Vec::new();
        let door_opened = tokio::time::timeout(RUN_TIMEOUT, async {
            while let Some(line) = stdout.next_line().await.unwrap() {
                let opened = line.contains(r#""event":"door_opened""#);
                lines.push(line);
                if opened {
                    return true;
                }
            }
            false
        })
        .await
        .expect("the door opens in time");
        assert!(door_opened, "{lines:?}");

        let pid = child.id().expect("replenish is running") as libc::pid_t;
        // SAFETY: kill has no memory effects; the pid is our own child, which has not been waited for.
        let sent = unsafe { libc::kill(pid, signal) };
        assert_eq!(sent, 0, "the signal was sent");

        let status = tokio::time::timeout(RUN_TIMEOUT, child.wait())
            .await
            .expect("replenish exits in time")
            .unwrap();
        while let Some(line) = stdout.next_line().await.unwrap() {
            lines.push(line);
        }
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr)
            .await
            .unwrap();
        assert!(
            !stderr.is_empty(),
            "a note on stderr gives the reason the session stops"
        );
        (status.code(), lines, sim)
    }

    fn names(lines: &[String]) -> Vec<String> {
        lines
            .iter()
            .map(|line| {
                let value: serde_json::Value = serde_json::from_str(line).unwrap();
                value["event"].as_str().unwrap().to_owned()
            })
            .collect()
    }

    #[tokio::test]
    async fn sigint_closes_and_exits_130() {
        let (code, lines, sim) = signal_during_door_held(libc::SIGINT).await;

        assert_eq!(code, Some(130), "{lines:?}");
        assert_eq!(
            names(&lines),
            [
                "connecting",
                "connected",
                "door_opened",
                "cancelled",
                "closed"
            ]
        );
        assert_eq!(client_close_code(&sim, 0).await, Some(1000));
        sim.shutdown().await;
    }

    #[tokio::test]
    async fn sigterm_closes_and_exits_143() {
        let (code, lines, sim) = signal_during_door_held(libc::SIGTERM).await;

        assert_eq!(code, Some(143), "{lines:?}");
        assert_eq!(
            names(&lines),
            [
                "connecting",
                "connected",
                "door_opened",
                "cancelled",
                "closed"
            ]
        );
        assert_eq!(client_close_code(&sim, 0).await, Some(1000));
        sim.shutdown().await;
    }
}
