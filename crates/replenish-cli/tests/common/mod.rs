//! Helpers shared by the tests of the `replenish` binary: a simulator with short pauses, a way to
//! run the built binary against it, and readers for its JSON lines.

#![allow(dead_code)]

pub mod history;

use std::process::Stdio;
use std::time::Duration;

use cabinet_sim::{RunningSim, Scenario, SimConfig, DEFAULT_DEVICE_NO, DEFAULT_TOKEN};
use serde_json::Value;
use tokio::io::AsyncWriteExt as _;
use tokio::process::{Child, Command};

pub const BINARY: &str = env!("CARGO_BIN_EXE_replenish");

pub const DOOR_DELAY: Duration = Duration::from_millis(50);
pub const DOOR_OPEN_FOR: Duration = Duration::from_millis(200);

/// Maximum time one run of the binary may take in a test. Every scenario ends far sooner.
pub const RUN_TIMEOUT: Duration = Duration::from_secs(30);

/// Maximum wait for the simulator to record the client's close.
pub const CLOSE_TIMEOUT: Duration = Duration::from_secs(10);

/// Environment variables that would change the binary's language, token or logging.
const CLEARED_ENV: [&str; 5] = [
    "LANG",
    "LC_ALL",
    "LC_MESSAGES",
    "REPLENISH_TOKEN",
    "RUST_LOG",
];

pub fn short_config(scenario: Scenario) -> SimConfig {
    SimConfig::new(scenario)
        .with_door_delay(DOOR_DELAY)
        .with_door_open_for(DOOR_OPEN_FOR)
}

pub async fn start_sim(config: SimConfig) -> RunningSim {
    cabinet_sim::start(config)
        .await
        .expect("simulator starts on loopback")
}

pub async fn start_short(scenario: Scenario) -> RunningSim {
    start_sim(short_config(scenario)).await
}

/// `watch --endpoint … --device …` for the simulator, without a token.
pub fn watch_args(sim: &RunningSim) -> Vec<String> {
    vec![
        "watch".to_owned(),
        "--endpoint".to_owned(),
        sim.ws_endpoint(),
        "--device".to_owned(),
        sim.config().device_no.to_string(),
    ]
}

/// `watch` for the simulator with the default token on the command line.
pub fn watch_with_token(sim: &RunningSim) -> Vec<String> {
    let mut args = watch_args(sim);
    args.extend(["--token".to_owned(), DEFAULT_TOKEN.to_owned()]);
    args
}

/// `watch --json` for the simulator with the default token.
pub fn watch_json(sim: &RunningSim) -> Vec<String> {
    let mut args = watch_with_token(sim);
    args.push("--json".to_owned());
    args
}

/// What one run of the binary did.
#[derive(Debug)]
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Parses stdout as JSON lines, failing the test on any line that is not an object with a
    /// string `event` field.
    pub fn events(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .map(|line| {
                let value: Value = serde_json::from_str(line)
                    .unwrap_or_else(|error| panic!("stdout line is not JSON ({error}): {line}"));
                assert!(value.is_object(), "stdout line is not an object: {line}");
                assert!(
                    value["event"].is_string(),
                    "stdout line has no event field: {line}"
                );
                value
            })
            .collect()
    }

    /// Returns the `event` field of each JSON line.
    pub fn event_names(&self) -> Vec<String> {
        self.events()
            .iter()
            .map(|event| event["event"].as_str().unwrap_or_default().to_owned())
            .collect()
    }

    /// Returns the first JSON line whose `event` is `name`.
    pub fn event(&self, name: &str) -> Value {
        self.events()
            .into_iter()
            .find(|event| event["event"] == name)
            .unwrap_or_else(|| panic!("no {name} event in:\n{}", self.stdout))
    }
}

/// Builds a command for the binary with the language, token and log variables removed, then
/// `env` set.
pub fn command<S: AsRef<str>>(args: &[S], env: &[(&str, &str)]) -> Command {
    let mut command = Command::new(BINARY);
    command.args(args.iter().map(AsRef::as_ref));
    for name in CLEARED_ENV {
        command.env_remove(name);
    }
    // Records go to a folder of this test run, never to the user's own.
    let records = std::env::temp_dir().join(format!("replenish-cli-tests-{}", std::process::id()));
    command.env("REPLENISH_DATA_DIR", records);
    command.envs(env.iter().copied());
    command.kill_on_drop(true);
    command
}

/// Runs the binary to its end with `stdin` as its standard input (empty when `None`).
pub async fn run_with<S: AsRef<str>>(args: &[S], env: &[(&str, &str)], stdin: Option<&str>) -> Run {
    let mut command = command(args, env);
    command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().expect("the replenish binary starts");

    let mut pipe = child.stdin.take().expect("stdin is piped");
    if let Some(text) = stdin {
        pipe.write_all(text.as_bytes())
            .await
            .expect("stdin accepts the text");
    }
    drop(pipe);

    let output = tokio::time::timeout(RUN_TIMEOUT, child.wait_with_output())
        .await
        .expect("replenish ends in time")
        .expect("replenish output is readable");
    Run {
        code: output.status.code(),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

pub async fn run<S: AsRef<str>>(args: &[S]) -> Run {
    run_with(args, &[], None).await
}

/// Spawns the binary with stdout piped, for tests that act while it runs.
pub fn spawn<S: AsRef<str>>(args: &[S]) -> Child {
    let mut command = command(args, &[]);
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command.spawn().expect("the replenish binary starts")
}

/// Waits for connection `index` to end and returns the close code the client sent on it.
pub async fn client_close_code(sim: &RunningSim, index: usize) -> Option<u16> {
    sim.wait_for_client_close(index, CLOSE_TIMEOUT)
        .await
        .unwrap_or_else(|| panic!("connection {index} did not end in time"))
        .client_close_code
}

/// Returns the default device number as text.
pub fn device_no() -> String {
    DEFAULT_DEVICE_NO.to_string()
}

/// `watch --json` for the simulator with the default token, recording into `data_dir`.
pub fn watch_json_into(sim: &RunningSim, data_dir: &std::path::Path) -> Vec<String> {
    let mut args = watch_json(sim);
    args.extend(["--data-dir".to_owned(), data_dir.display().to_string()]);
    args
}

/// Runs one `watch --json` session into `data_dir` to its end and checks that it exited with
/// `expected_code`.
pub async fn record_session(
    sim: &RunningSim,
    data_dir: &std::path::Path,
    expected_code: i32,
) -> Run {
    let run = run(&watch_json_into(sim, data_dir)).await;
    assert_eq!(run.code, Some(expected_code), "{run:?}");
    run
}

/// Runs `replenish records ARGS --data-dir DATA_DIR` to its end.
pub async fn records<S: AsRef<str>>(args: &[S], data_dir: &std::path::Path) -> Run {
    let mut full = vec!["records".to_owned()];
    full.extend(args.iter().map(|arg| arg.as_ref().to_owned()));
    full.extend(["--data-dir".to_owned(), data_dir.display().to_string()]);
    run(&full).await
}

/// Runs `records list --json` on `data_dir`, checks that it succeeded, and returns the document.
pub async fn list_json<S: AsRef<str>>(filters: &[S], data_dir: &std::path::Path) -> Value {
    let mut args = vec!["list".to_owned(), "--json".to_owned()];
    args.extend(filters.iter().map(|arg| arg.as_ref().to_owned()));
    let run = records(&args, data_dir).await;
    assert_eq!(run.code, Some(0), "{run:?}");
    serde_json::from_str(run.stdout.trim())
        .unwrap_or_else(|error| panic!("records list --json is not JSON ({error}): {}", run.stdout))
}

/// Returns the `session_id` of each session in a `records list --json` document, in order.
pub fn session_ids(document: &Value) -> Vec<i64> {
    document["sessions"]
        .as_array()
        .expect("sessions is an array")
        .iter()
        .map(|session| {
            session["session_id"]
                .as_i64()
                .expect("session_id is an integer")
        })
        .collect()
}

/// Returns the session with `session_id` from a `records list --json` document.
pub fn session(document: &Value, session_id: i64) -> Value {
    document["sessions"]
        .as_array()
        .expect("sessions is an array")
        .iter()
        .find(|session| session["session_id"] == session_id)
        .cloned()
        .unwrap_or_else(|| panic!("no session {session_id} in {document}"))
}
