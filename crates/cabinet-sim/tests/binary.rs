//! The `cabinet-sim` binary: its stdout lines, its scenario list and its stop on SIGTERM.

mod common;

use std::io::{BufRead as _, BufReader};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use cabinet_sim::Scenario;
use common::*;

const BINARY: &str = env!("CARGO_BIN_EXE_cabinet-sim");

/// Kills the child process if a test fails before stopping it.
struct ChildGuard(Child);

impl Drop for ChildGuard {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

fn spawn(args: &[&str]) -> (ChildGuard, BufReader<ChildStdout>) {
    let mut child = Command::new(BINARY)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the cabinet-sim binary starts");
    let stdout = BufReader::new(child.stdout.take().unwrap());
    (ChildGuard(child), stdout)
}

fn read_line(stdout: &mut BufReader<ChildStdout>) -> String {
    let mut line = String::new();
    stdout.read_line(&mut line).expect("stdout is readable");
    line.trim_end().to_owned()
}

#[tokio::test]
async fn prints_endpoint_and_serves_scenario() {
    let (mut child, mut stdout) = spawn(&[
        "--scenario",
        "empty",
        "--port",
        "0",
        "--device",
        "42",
        "--token",
        "bin-token",
        "--door-open-secs",
        "0.1",
        "--door-delay-ms",
        "10",
    ]);

    let endpoint = read_line(&mut stdout);
    let credentials = read_line(&mut stdout);
    let url = format!("{endpoint}?deviceNo=42&token=bin-token");
    let (mut client, _) = tokio_tungstenite::connect_async(&url).await.unwrap();
    let door = next_text(&mut client).await;
    let final_text = next_text(&mut client).await;
    close_with(&mut client, 1000, "").await;
    child.0.kill().unwrap();

    assert!(endpoint.starts_with("ws://127.0.0.1:"), "{endpoint}");
    assert!(
        endpoint.ends_with("/websocket/ssib/replenish"),
        "{endpoint}"
    );
    assert_eq!(credentials, "deviceNo=42 token=bin-token");
    assert_eq!(door, DOOR_OPENED);
    assert_eq!(final_text, FINAL_EMPTY);
}

#[cfg(unix)]
#[test]
fn stops_on_sigterm() {
    let (mut child, mut stdout) = spawn(&["--port", "0"]);
    read_line(&mut stdout);
    let pid = child.0.id().to_string();

    let sent = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.0.try_wait().unwrap() {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "no exit after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(20));
    };

    assert!(sent.success());
    assert!(status.success(), "{status}");
}

#[test]
fn lists_scenarios() {
    let output = Command::new(BINARY)
        .arg("--list-scenarios")
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let names: Vec<&str> = stdout
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .collect();
    let expected: Vec<&str> = Scenario::all().iter().map(Scenario::name).collect();

    assert!(output.status.success());
    assert_eq!(names, expected);
}

#[test]
fn unknown_scenario_lists_valid_names() {
    let output = Command::new(BINARY)
        .args(["--scenario", "three_drinks"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();

    assert!(!output.status.success());
    assert!(stderr.contains("three_drinks"), "{stderr}");
    for scenario in Scenario::all() {
        assert!(stderr.contains(scenario.name()), "{stderr}");
    }
}

#[test]
fn help_names_units() {
    let output = Command::new(BINARY).arg("--help").output().unwrap();
    let help = String::from_utf8(output.stdout).unwrap();

    assert!(output.status.success());
    assert!(help.contains("Seconds between the door frame"), "{help}");
    assert!(help.contains("Milliseconds between"), "{help}");
    assert!(help.contains("[default: 127.0.0.1]"), "{help}");
}
