//! Soak benchmark: 500 sessions back to back through `run_session` against one in-process
//! cabinet simulator playing three-drinks with no door pauses.
//!
//! It prints resident memory (VmRSS from /proc/self/status) and open file descriptors (entries
//! of /proc/self/fd) at the start, after the warm-up and at the end, and exits with status 1 when
//! either grows past its bound after the warm-up. Linux only, because it reads /proc.
//!
//! Run it with `cargo bench -p replenish-core --bench soak`. `SOAK_SESSIONS=N` runs N sessions
//! in place of 500 (at least 101), to see whether memory keeps growing over a longer run.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use cabinet_sim::{Scenario, SimConfig, DEFAULT_DEVICE_NO, DEFAULT_TOKEN};
use replenish_core::endpoint::{SessionRequest, SessionTarget};
use replenish_core::session::{run_session, SessionConfig};
use replenish_core::state::SessionState;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

const DEFAULT_SESSIONS: usize = 500;

/// Sessions run before the baseline is taken, so allocator pools, the runtime's worker threads
/// and the simulator's pictures are all in place.
const WARM_UP_SESSIONS: usize = 100;

/// Descriptors that may be open at the end beyond the baseline: a socket or two still closing
/// in the simulator when the last session returns.
const MAX_FD_GROWTH: i64 = 4;

/// Resident memory that may be added after the warm-up, in KiB. A leak of a few KiB per session
/// stays within it over 400 sessions, so it catches larger leaks only, such as the buffers of a
/// whole connection kept per session.
const MAX_RSS_GROWTH_KIB: i64 = 8 * 1024;

/// Resource figures of this process at one moment.
#[derive(Debug, Clone, Copy)]
struct Sample {
    sessions: usize,
    rss_kib: i64,
    open_fds: i64,
}

fn sample(sessions: usize) -> Sample {
    Sample {
        sessions,
        rss_kib: resident_kib(),
        open_fds: open_descriptors(),
    }
}

/// Reads VmRSS, in KiB, from /proc/self/status.
fn resident_kib() -> i64 {
    let status =
        std::fs::read_to_string("/proc/self/status").expect("/proc/self/status is readable");
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("/proc/self/status has a VmRSS line in kB")
}

/// Counts the entries of /proc/self/fd. The directory handle used to list it counts as one.
fn open_descriptors() -> i64 {
    std::fs::read_dir("/proc/self/fd")
        .expect("/proc/self/fd is readable")
        .count() as i64
}

/// Reads the session count from `SOAK_SESSIONS`, or returns the default of 500.
fn session_count() -> Result<usize, String> {
    let Ok(text) = std::env::var("SOAK_SESSIONS") else {
        return Ok(DEFAULT_SESSIONS);
    };
    match text.trim().parse::<usize>() {
        Ok(count) if count > WARM_UP_SESSIONS => Ok(count),
        _ => Err(format!(
            "invalid SOAK_SESSIONS {text:?}: expected a whole number above {WARM_UP_SESSIONS}"
        )),
    }
}

fn quick_config() -> SessionConfig {
    SessionConfig {
        connect_timeout: Duration::from_secs(5),
        door_wait_timeout: Duration::from_secs(5),
        close_timeout: Duration::from_secs(1),
        ..SessionConfig::default()
    }
}

async fn run_one(target: SessionTarget) -> SessionState {
    let (sender, mut receiver) = mpsc::channel(16);
    let session = tokio::spawn(run_session(
        target,
        quick_config(),
        CancellationToken::new(),
        sender,
    ));
    while receiver.recv().await.is_some() {}
    session.await.expect("the session task did not panic")
}

fn print_table(samples: &[Sample]) {
    println!("{:>10} {:>12} {:>10}", "sessions", "VmRSS KiB", "open fds");
    for sample in samples {
        println!(
            "{:>10} {:>12} {:>10}",
            sample.sessions, sample.rss_kib, sample.open_fds
        );
    }
}

fn main() -> ExitCode {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing and expects a quick run.
    if !std::env::args().any(|argument| argument == "--bench") {
        println!("soak: skipped, run it with `cargo bench -p replenish-core --bench soak`");
        return ExitCode::SUCCESS;
    }

    let sessions = match session_count() {
        Ok(sessions) => sessions,
        Err(message) => {
            eprintln!("soak: {message}");
            return ExitCode::FAILURE;
        }
    };

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("the runtime starts");

    runtime.block_on(async {
        let sim_config = SimConfig::new(Scenario::ThreeDrinks)
            .with_door_delay(Duration::ZERO)
            .with_door_open_for(Duration::ZERO);
        let sim = cabinet_sim::start(sim_config)
            .await
            .expect("the simulator starts");
        let request = SessionRequest {
            endpoint: sim.ws_endpoint(),
            device_no: DEFAULT_DEVICE_NO.to_string(),
            token: DEFAULT_TOKEN.to_owned(),
            device_name: None,
        };
        let target = SessionTarget::parse(&request).expect("the simulator's endpoint is valid");

        let mut samples = vec![sample(0)];
        let started = Instant::now();
        for index in 1..=sessions {
            let end = run_one(target.clone()).await;
            if end != SessionState::Finished {
                eprintln!("soak: session {index} ended as {end:?}, expected finished");
                return ExitCode::FAILURE;
            }
            if index == WARM_UP_SESSIONS {
                samples.push(sample(index));
            }
        }
        let elapsed = started.elapsed();
        // Give the simulator's side of the last connection time to close.
        tokio::time::sleep(Duration::from_millis(200)).await;
        samples.push(sample(sessions));
        sim.shutdown().await;

        print_table(&samples);
        println!(
            "{sessions} sessions in {:.1} s ({:.1} ms each)",
            elapsed.as_secs_f64(),
            elapsed.as_secs_f64() * 1000.0 / sessions as f64
        );

        let baseline = samples[1];
        let last = samples[2];
        let fd_growth = last.open_fds - baseline.open_fds;
        let rss_growth = last.rss_kib - baseline.rss_kib;
        println!(
            "after warm-up: descriptors {fd_growth:+} (bound {MAX_FD_GROWTH}), \
             VmRSS {rss_growth:+} KiB (bound {MAX_RSS_GROWTH_KIB} KiB)"
        );

        if fd_growth > MAX_FD_GROWTH || rss_growth > MAX_RSS_GROWTH_KIB {
            eprintln!("soak: resources grew past their bounds after the warm-up");
            return ExitCode::FAILURE;
        }
        ExitCode::SUCCESS
    })
}
