//! The real app stopped in the middle of a session, then started again on the same data folder:
//! after SIGKILL the History screen shows what the journal and the store kept, and after SIGTERM
//! the app closed the session normally before it exited.

mod support;

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{bail, Result};
use cabinet_sim::{Scenario, SimConfig};
use support::{session_args, start_sim, start_sim_with, Window};

/// Waits until no process has `data_dir` on its command line, so the killed app has released
/// its session lock before the next start looks for sessions to recover.
async fn wait_for_exit(data_dir: &Path) -> Result<()> {
    let needle = data_dir.display().to_string();
    let started = Instant::now();
    loop {
        let running = std::fs::read_dir("/proc")?.flatten().any(|entry| {
            std::fs::read(entry.path().join("cmdline"))
                .map(|cmdline| String::from_utf8_lossy(&cmdline).contains(&needle))
                .unwrap_or(false)
        });
        if !running {
            return Ok(());
        }
        if started.elapsed() > Duration::from_secs(10) {
            bail!("the killed app still runs after 10 s");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Returns the id of the app process started on `data_dir`.
fn app_pid(data_dir: &Path) -> Result<u32> {
    let needle = format!("--data-dir\0{}", data_dir.display());
    for entry in std::fs::read_dir("/proc")?.flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) else {
            continue;
        };
        let cmdline = String::from_utf8_lossy(&cmdline);
        if cmdline.contains("replenish-desk") && cmdline.contains(&needle) {
            return Ok(pid);
        }
    }
    bail!("no app process runs on {}", data_dir.display())
}

/// Opens the History screen and returns the `data-outcome` of every row, top to bottom.
async fn history_outcomes(window: &Window) -> Result<Vec<String>> {
    window.click("#nav-history").await?;
    window
        .wait_for_element("#history-list .history-row")
        .await?;
    window.history_outcomes().await
}

#[tokio::test(flavor = "multi_thread")]
async fn killed_sessions_recovered_into_history() -> Result<()> {
    // Killed with the door open: the session is kept as interrupted.
    let held = start_sim_with(
        SimConfig::new(Scenario::DoorHeld)
            .with_door_delay(Duration::from_millis(200))
            .with_door_open_for(Duration::from_secs(120)),
    )
    .await;
    let window = Window::launch("killed-door-open", &session_args(&held)).await?;
    window.follow_phases_until("door_open").await?;
    let data_dir = window.data_dir_handle();
    // Dropping the window stops its process group with SIGKILL, the app included.
    drop(window);
    wait_for_exit(data_dir.path()).await?;
    held.shutdown().await;

    // Killed right after the final list was shown: it was committed before it was shown.
    let drinks = start_sim(Scenario::ThreeDrinks).await;
    let window = Window::relaunch(
        "killed-after-final",
        data_dir.clone(),
        &session_args(&drinks),
    )
    .await?;
    window.follow_phases_until("finished").await?;
    window.wait_for_element(".card").await?;
    drop(window);
    wait_for_exit(data_dir.path()).await?;
    drinks.shutdown().await;

    let window = Window::relaunch("killed-history", data_dir.clone(), &[]).await?;
    let outcomes = history_outcomes(&window).await?;
    window.screenshot("history").await?;
    assert_eq!(outcomes, ["final", "interrupted"]);

    window.close().await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn sigterm_closes_the_session_normally() -> Result<()> {
    let held = start_sim_with(
        SimConfig::new(Scenario::DoorHeld)
            .with_door_delay(Duration::from_millis(200))
            .with_door_open_for(Duration::from_secs(120)),
    )
    .await;
    let window = Window::launch("closed-door-open", &session_args(&held)).await?;
    window.follow_phases_until("door_open").await?;
    let data_dir = window.data_dir_handle();

    // SIGTERM, as at logout or shutdown, exits the app, which first closes the connection with
    // 1000 and stores the session as cancelled.
    let app = app_pid(data_dir.path())?;
    let status = std::process::Command::new("kill")
        .args(["-TERM", &app.to_string()])
        .status()?;
    assert!(status.success());
    let report = held
        .wait_for_client_close(0, Duration::from_secs(10))
        .await
        .expect("the simulator saw the connection end");
    assert_eq!(report.client_close_code, Some(1000));
    wait_for_exit(data_dir.path()).await?;
    held.shutdown().await;

    drop(window);
    let window = Window::relaunch("closed-history", data_dir, &[]).await?;
    assert_eq!(history_outcomes(&window).await?, ["cancelled"]);
    window.close().await?;
    Ok(())
}
