//! `replenish watch` killed with SIGKILL at several points of a session, then
//! `replenish records list --json` on the same data folder, whose opening runs recovery. Whatever
//! the killed process received must be in the store, and a final list exactly once.
//!
//! SIGKILL is sent with kill(2), so these tests run on Unix only.

#![cfg(unix)]

mod common;

use std::path::Path;
use std::time::Duration;

use cabinet_sim::{RunningSim, Scenario};
use common::*;
use serde_json::Value;
use tokio::io::{AsyncBufReadExt as _, BufReader};
use tokio::process::Child;

/// Longer than any test runs, so the simulator never gets past the pause it is in.
const LONG: Duration = Duration::from_secs(60);

/// The record id of the simulator's three-drinks list.
const RECORD_ID: i64 = 33116;

/// Spawns `watch --json` into `data_dir` and reads its stdout until a line with event `event`.
async fn spawn_until(sim: &RunningSim, data_dir: &Path, event: &str) -> Child {
    let mut child = spawn(&watch_json_into(sim, data_dir));
    let mut stdout = BufReader::new(child.stdout.take().unwrap()).lines();
    let marker = format!(r#""event":"{event}""#);

    let seen = tokio::time::timeout(RUN_TIMEOUT, async {
        while let Some(line) = stdout.next_line().await.unwrap() {
            if line.contains(&marker) {
                return true;
            }
        }
        false
    })
    .await
    .unwrap_or_else(|_| panic!("no {event} event in time"));
    assert!(seen, "watch ended before the {event} event");
    child
}

/// Sends SIGKILL to `child` and waits for it.
async fn kill(child: &mut Child) {
    let pid = child.id().expect("replenish is running") as libc::pid_t;
    // SAFETY: kill has no memory effects; the pid is our own child, which has not been waited for.
    let sent = unsafe { libc::kill(pid, libc::SIGKILL) };
    assert_eq!(sent, 0, "SIGKILL was sent");

    let status = tokio::time::timeout(RUN_TIMEOUT, child.wait())
        .await
        .expect("replenish ends in time")
        .unwrap();
    use std::os::unix::process::ExitStatusExt as _;
    assert_eq!(status.signal(), Some(libc::SIGKILL), "{status:?}");
}

fn journal_file(data_dir: &Path, session: i64) -> std::path::PathBuf {
    data_dir
        .join("records")
        .join("journal")
        .join(format!("session-{session}.jsonl"))
}

/// Returns the only session of the document.
fn only_session(document: &Value) -> Value {
    let sessions = document["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 1, "{document}");
    sessions[0].clone()
}

/// Checks that session 1 contains the three drinks, and that no other session has their record.
fn assert_final_stored_once(document: &Value) {
    let first = session(document, 1);
    assert_eq!(first["outcome"], "final", "{document}");
    assert_eq!(first["record_id"], RECORD_ID);
    assert_eq!(first["totals"]["line_count"], 3);
    assert_eq!(first["totals"]["added"], 30);
    assert_eq!(first["totals"]["sale_value"], "178.50");
    assert_eq!(first["totals"]["cost_value"], "84.00");

    let holders = document["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|session| session["record_id"] == RECORD_ID)
        .count();
    assert_eq!(holders, 1, "{document}");
    assert_eq!(document["totals"]["line_count"], 3, "{document}");
}

#[tokio::test]
async fn killed_while_waiting_for_door() {
    let sim = start_sim(short_config(Scenario::ThreeDrinks).with_door_delay(LONG)).await;
    let dir = tempfile::tempdir().unwrap();

    let mut child = spawn_until(&sim, dir.path(), "connected").await;
    kill(&mut child).await;
    assert!(
        !journal_file(dir.path(), 1).exists(),
        "no frame arrived, so nothing was journaled"
    );

    let document = list_json::<&str>(&[], dir.path()).await;

    let killed = only_session(&document);
    assert_eq!(killed["session_id"], 1);
    assert_eq!(killed["outcome"], "interrupted");
    assert_eq!(killed["final_at_ms"], Value::Null);
    assert_eq!(killed["totals"], Value::Null);
    let detail = killed["detail"].as_str().unwrap();
    assert!(detail.contains("before any frame"), "{detail}");

    // Recovery ran once: listing again changes nothing.
    assert_eq!(list_json::<&str>(&[], dir.path()).await, document);
    sim.shutdown().await;
}

#[tokio::test]
async fn killed_with_door_open() {
    let sim = start_sim(short_config(Scenario::DoorHeld).with_door_open_for(LONG)).await;
    let dir = tempfile::tempdir().unwrap();

    let mut child = spawn_until(&sim, dir.path(), "door_opened").await;
    kill(&mut child).await;
    let journal = std::fs::read_to_string(journal_file(dir.path(), 1)).unwrap();
    assert!(journal.contains(r#"\"type\":\"door\""#), "{journal}");

    let document = list_json::<&str>(&[], dir.path()).await;

    let killed = only_session(&document);
    assert_eq!(killed["outcome"], "interrupted");
    assert_eq!(killed["totals"], Value::Null);
    // The door frame the process received was replayed from its journal.
    let detail = killed["detail"].as_str().unwrap();
    assert!(detail.contains("after 1 journaled frames"), "{detail}");
    assert!(
        !journal_file(dir.path(), 1).exists(),
        "recovery removes the journal"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn killed_after_final_stored() {
    let sim = start_short(Scenario::DoorHeld).await;
    let dir = tempfile::tempdir().unwrap();

    // The final event is printed only after the list is committed.
    let mut child = spawn_until(&sim, dir.path(), "final").await;
    kill(&mut child).await;

    let document = list_json::<&str>(&[], dir.path()).await;

    only_session(&document);
    assert_final_stored_once(&document);
    assert!(
        !journal_file(dir.path(), 1).exists(),
        "recovery removes the journal"
    );

    // The same list from the same server again is recognised as stored.
    let again = record_session(&sim, dir.path(), 0).await;
    assert_eq!(again.event("already_stored")["existing_session"], 1);
    let document = list_json::<&str>(&[], dir.path()).await;
    assert_eq!(session(&document, 2)["duplicate_of"], 1);
    assert_final_stored_once(&document);
    sim.shutdown().await;
}

/// Kills the process as soon as the simulator has sent the final frame, so the kill lands before
/// the frame is read, between journaling and committing, or after the commit. Every case must
/// end with the list stored once or, when the frame was not journaled, with no list.
#[tokio::test]
async fn killed_as_final_arrives() {
    let sim = start_short(Scenario::ThreeDrinks).await;
    let dir = tempfile::tempdir().unwrap();
    let mut child = spawn(&watch_json_into(&sim, dir.path()));

    // The door frame and the final frame.
    let sent = tokio::time::timeout(RUN_TIMEOUT, async {
        loop {
            if sim
                .connections()
                .first()
                .is_some_and(|report| report.frames_sent >= 2)
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    })
    .await;
    assert!(sent.is_ok(), "the simulator sent the final frame in time");
    // SAFETY: as in `kill`. The child may have exited already, which leaves a zombie that
    // kill(2) still accepts.
    let pid = child.id().expect("replenish has not been waited for") as libc::pid_t;
    assert_eq!(unsafe { libc::kill(pid, libc::SIGKILL) }, 0);
    child.wait().await.unwrap();

    let journal = std::fs::read_to_string(journal_file(dir.path(), 1)).unwrap_or_default();
    let final_journaled = journal.contains(r#"\"type\":\"final\""#);

    let document = list_json::<&str>(&[], dir.path()).await;

    let killed = only_session(&document);
    match killed["outcome"].as_str() {
        Some("final") => assert_final_stored_once(&document),
        Some("interrupted") => {
            assert!(
                !final_journaled,
                "a journaled final list was lost: {document}"
            );
            assert_eq!(killed["totals"], Value::Null);
        }
        other => panic!("unexpected outcome {other:?}: {document}"),
    }
    sim.shutdown().await;
}
