//! Crash safety: a child process writes sessions the way the app does and is killed with SIGKILL
//! (`Child::kill`) at chosen points. The parent then recovers the store and checks that every
//! journaled final list is stored exactly once.
//!
//! The child is this test binary itself, running the ignored test `child_writer` with its
//! settings in environment variables. Unit tests, unlike integration tests, see the crash points
//! compiled into the library under `cfg(test)`, e.g. the one inside `record_final`'s transaction.
//!
//! A killed process loses nothing the kernel has accepted, so these tests cover crashes, not power
//! loss. `synchronous=FULL` and the journal's fsync are there for power loss, which no test here
//! simulates.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use replenish_core::frame::{decode, Frame};
use replenish_core::model::FinalList;

use crate::crash_point::{self, PAUSE_AT_ENV};
use crate::{Ending, Filter, FinalOutcome, Journal, NewSession, Outcome, RecordStore, SessionId};

const DIR_ENV: &str = "RECORD_STORE_CRASH_DIR";
const FIRST_ROUND_ENV: &str = "RECORD_STORE_CRASH_FIRST_ROUND";
const ROUNDS_ENV: &str = "RECORD_STORE_CRASH_ROUNDS";
const PAUSE_ROUND_ENV: &str = "RECORD_STORE_CRASH_PAUSE_ROUND";
const PAUSE_POINT_ENV: &str = "RECORD_STORE_CRASH_PAUSE_POINT";

/// Product lines per final list: enough to make the transaction take a while.
const LINES_PER_LIST: usize = 40;

/// How long the parent waits for one line of the child's output.
const LINE_TIMEOUT: Duration = Duration::from_secs(60);

const HOST: &str = "127.0.0.1:9";

/// Builds the final frame of round `round`. Its record id is the round number, and its prices have
/// trailing zeros and many digits, so a lossy store would show.
fn final_frame(round: u64) -> String {
    let lines: Vec<String> = (0..LINES_PER_LIST)
        .map(|index| {
            format!(
                r#"{{"id":{id},"name":"商品{index}","aisleNo":"{aisle:03}","cabinetNo":{cabinet},"isBulk":"0","storage":{index},"addQuantity":{added},"addQuantityRevise":{added},"removeQuantity":1,"removeQuantityRevise":1,"salePrice":{index}.12345678900,"costPrice":"0.10000"}}"#,
                id = 1000 + index,
                aisle = 101 + index,
                cabinet = 1 + index / 10,
                added = index + round as usize,
            )
        })
        .collect();
    format!(
        r#"{{"type":"final","data":{{"recordId":{round},"list":[{}]}}}}"#,
        lines.join(",")
    )
}

fn decode_final(frame: &str) -> FinalList {
    match decode(frame).unwrap().frame {
        Frame::Final(list) => list,
        other => panic!("not a final frame: {other:?}"),
    }
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
}

/// Runs the writer loop, only as a child of the tests below.
#[test]
#[ignore = "runs only as the child process of the crash tests"]
fn child_writer() {
    let Ok(dir) = std::env::var(DIR_ENV) else {
        return;
    };
    let dir = Path::new(&dir);
    let first_round = env_number(FIRST_ROUND_ENV).unwrap();
    let rounds = env_number(ROUNDS_ENV).unwrap();
    let pause_round = env_number(PAUSE_ROUND_ENV);

    let store = RecordStore::open(dir).unwrap();
    let journal = Journal::open(dir).unwrap();
    store.recover(&journal).unwrap();

    // libtest prints "test NAME ... " without a line end, so start on a fresh line.
    println!();
    println!("started");

    for round in first_round..first_round + rounds {
        if Some(round) == pause_round {
            let point = std::env::var(PAUSE_POINT_ENV).unwrap();
            std::env::set_var(PAUSE_AT_ENV, point);
        }

        let session = store
            .begin_session(&NewSession {
                device_no: "181200005".to_owned(),
                device_name: None,
                endpoint_host: HOST.to_owned(),
                started_at_ms: now_ms(),
            })
            .unwrap();
        journal
            .append(
                session,
                r#"{"type":"door","success":"true","msg":"开门成功,请补货"}"#,
            )
            .unwrap();

        let frame = final_frame(round);
        journal.append(session, &frame).unwrap();
        println!("journaled {round}");
        crash_point::reach("child.after_journal");

        store
            .record_final(session, &decode_final(&frame), now_ms())
            .unwrap();
        println!("committed {round}");
        crash_point::reach("child.after_commit");

        store
            .end_session(
                session,
                &Ending {
                    outcome: Outcome::Final,
                    server_message: None,
                    code: None,
                    close_code: Some(1000),
                    detail: None,
                    at_ms: now_ms(),
                },
            )
            .unwrap();
        journal.remove(session).unwrap();
        println!("ended {round}");
    }
    println!("done");
}

/// A running child writer, killed when dropped.
struct ChildWriter {
    process: std::process::Child,
    lines: Receiver<String>,
}

impl ChildWriter {
    fn spawn(dir: &Path, first_round: u64, rounds: u64, pause: Option<(u64, &str)>) -> Self {
        let mut command = Command::new(std::env::current_exe().unwrap());
        command
            .args([
                "crash_tests::child_writer",
                "--exact",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(DIR_ENV, dir)
            .env(FIRST_ROUND_ENV, first_round.to_string())
            .env(ROUNDS_ENV, rounds.to_string())
            .env_remove(PAUSE_AT_ENV)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        if let Some((round, point)) = pause {
            command
                .env(PAUSE_ROUND_ENV, round.to_string())
                .env(PAUSE_POINT_ENV, point);
        }

        let mut process = command.spawn().unwrap();
        let stdout = process.stdout.take().unwrap();
        let (sender, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        ChildWriter { process, lines }
    }

    /// Reads output lines until one equals `expected`, returning every line read.
    fn wait_for(&self, expected: &str) -> Vec<String> {
        let deadline = Instant::now() + LINE_TIMEOUT;
        let mut seen = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    let done = line == expected;
                    seen.push(line);
                    if done {
                        return seen;
                    }
                }
                Err(error) => {
                    let last_lines = &seen[seen.len().saturating_sub(10)..];
                    panic!(
                        "no {expected:?} from the child ({error}); its last lines: {last_lines:?}"
                    )
                }
            }
        }
    }

    /// Kills the child with SIGKILL and returns the output lines it printed before dying.
    fn kill(mut self) -> Vec<String> {
        self.process.kill().unwrap();
        self.process.wait().unwrap();
        self.lines.try_iter().collect()
    }
}

impl Drop for ChildWriter {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

/// Returns the rounds named by lines like "journaled 3".
fn rounds_with(lines: &[String], prefix: &str) -> Vec<u64> {
    lines
        .iter()
        .filter_map(|line| line.strip_prefix(prefix)?.parse().ok())
        .collect()
}

/// Recovers the store in `dir` and checks that every round in `journaled` is stored exactly once,
/// with its list as sent, that no session is left in progress and that no journal is left.
/// Returns the store for further checks.
fn recover_and_check(dir: &Path, journaled: &[u64]) -> RecordStore {
    let store = RecordStore::open(dir).unwrap();
    let journal = Journal::open(dir).unwrap();
    store.recover(&journal).unwrap();

    let sessions = store.load_sessions(&Filter::default()).unwrap();
    let mut stored: BTreeMap<i64, usize> = BTreeMap::new();
    for session in &sessions {
        let summary = &session.summary;
        assert_ne!(
            summary.outcome,
            Outcome::InProgress,
            "session {} left in progress",
            summary.id
        );

        if let Some(record_id) = summary.record_id {
            *stored.entry(record_id).or_default() += 1;
            let list = session.final_list.as_ref().unwrap();
            assert_eq!(
                list,
                &decode_final(&final_frame(record_id as u64)),
                "record {record_id} differs from what was sent"
            );
        }
        if summary.duplicate_of.is_some() {
            assert_eq!(summary.totals.line_count, 0, "a duplicate stores no lines");
        }
    }

    for round in journaled {
        assert_eq!(
            stored.get(&(*round as i64)),
            Some(&1),
            "journaled record {round} must be stored exactly once; stored: {stored:?}"
        );
    }
    let line_count: usize = sessions.iter().map(|s| s.summary.totals.line_count).sum();
    assert_eq!(
        line_count,
        stored.len() * LINES_PER_LIST,
        "no line is stored twice"
    );
    assert!(
        journal.sessions().unwrap().is_empty(),
        "journals left behind"
    );
    store
}

fn session_of_record(store: &RecordStore, record_id: i64) -> SessionId {
    store
        .list_sessions(&Filter::default())
        .unwrap()
        .into_iter()
        .find(|summary| summary.record_id == Some(record_id))
        .map(|summary| summary.id)
        .unwrap()
}

#[test]
fn kill_after_journal_recovers_list() {
    let dir = tempfile::tempdir().unwrap();
    let child = ChildWriter::spawn(dir.path(), 1, 5, Some((3, "child.after_journal")));

    let lines = child.wait_for("paused at child.after_journal");
    child.kill();

    let journaled = rounds_with(&lines, "journaled ");
    assert_eq!(journaled, vec![1, 2, 3]);
    assert_eq!(rounds_with(&lines, "committed "), vec![1, 2]);
    let store = recover_and_check(dir.path(), &journaled);
    let session = session_of_record(&store, 3);
    assert_eq!(
        store
            .load_session(session)
            .unwrap()
            .unwrap()
            .summary
            .outcome,
        Outcome::Final
    );
}

#[test]
fn kill_mid_transaction_rolls_back() {
    let dir = tempfile::tempdir().unwrap();
    let child = ChildWriter::spawn(dir.path(), 1, 5, Some((3, "record_final.before_commit")));

    let lines = child.wait_for("paused at record_final.before_commit");
    child.kill();

    // Before recovery the half-written transaction must be gone without a trace.
    {
        let store = RecordStore::open(dir.path()).unwrap();
        let sessions = store.list_sessions(&Filter::default()).unwrap();
        let in_progress: Vec<_> = sessions
            .iter()
            .filter(|summary| summary.outcome == Outcome::InProgress)
            .collect();
        assert_eq!(in_progress.len(), 1);
        assert_eq!(in_progress[0].totals.line_count, 0);
        assert_eq!(in_progress[0].record_id, None);
    }

    let journaled = rounds_with(&lines, "journaled ");
    assert_eq!(journaled, vec![1, 2, 3]);
    recover_and_check(dir.path(), &journaled);
}

#[test]
fn kill_after_commit_keeps_one_copy() {
    let dir = tempfile::tempdir().unwrap();
    let child = ChildWriter::spawn(dir.path(), 1, 5, Some((3, "child.after_commit")));

    let lines = child.wait_for("paused at child.after_commit");
    child.kill();

    let journal = Journal::open(dir.path()).unwrap();
    assert_eq!(
        journal.sessions().unwrap().len(),
        1,
        "the journal of round 3 is left"
    );
    let journaled = rounds_with(&lines, "journaled ");
    let store = recover_and_check(dir.path(), &journaled);
    let session = session_of_record(&store, 3);
    let summary = store.load_session(session).unwrap().unwrap().summary;
    assert_eq!(summary.outcome, Outcome::Final);
    assert_eq!(summary.totals.line_count, LINES_PER_LIST);
}

/// Kills children at points that depend on timing, restarting each on the same store with the
/// last journaled round, as a server resending its last list would. The kill points vary with
/// the wait after a round's "journaled" line.
#[test]
fn kill_at_varied_points_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut journaled = Vec::new();
    let mut next_round = 1;

    let plan: [(u64, u64); 6] = [(1, 0), (2, 300), (1, 1_500), (3, 50), (2, 4_000), (1, 800)];
    for (rounds_to_see, extra_wait_micros) in plan {
        let child = ChildWriter::spawn(dir.path(), next_round, 10_000, None);
        child.wait_for("started");
        let target = next_round + rounds_to_see - 1;
        let mut lines = child.wait_for(&format!("journaled {target}"));

        std::thread::sleep(Duration::from_micros(extra_wait_micros));
        lines.extend(child.kill());

        let seen = rounds_with(&lines, "journaled ");
        journaled.extend(&seen);
        next_round = *seen.last().unwrap();
    }

    journaled.sort_unstable();
    journaled.dedup();
    let store = recover_and_check(dir.path(), &journaled);

    // The first round of each restart repeats the last one seen, so some sessions received a
    // record that was already stored and must point at it.
    let duplicates = store
        .list_sessions(&Filter::default())
        .unwrap()
        .into_iter()
        .filter(|summary| summary.duplicate_of.is_some())
        .count();
    assert!(duplicates >= 1, "no restart resent a stored record");
}

#[test]
fn child_runs_to_completion() {
    let dir = tempfile::tempdir().unwrap();
    let child = ChildWriter::spawn(dir.path(), 1, 3, None);

    let lines = child.wait_for("done");

    assert_eq!(rounds_with(&lines, "ended "), vec![1, 2, 3]);
    let store = recover_and_check(dir.path(), &[1, 2, 3]);
    let session = session_of_record(&store, 2);
    let again = store.record_final(session, &decode_final(&final_frame(2)), now_ms());
    assert_eq!(
        again.unwrap(),
        FinalOutcome::Duplicate { existing: session }
    );
}
