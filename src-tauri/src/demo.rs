//! Demo mode: the cabinet simulator runs inside the app, on loopback, and the real session path
//! connects to it over a real socket.

use std::time::Duration;

use cabinet_sim::{RunningSim, Scenario, SimConfig};
use replenish_core::endpoint::SessionRequest;
use tauri::Manager;
use tracing::info;

/// How long the simulated door stays open, long enough to watch the banner change.
const DEMO_DOOR_OPEN: Duration = Duration::from_secs(3);

/// Keeps the simulator running for the life of the app.
struct DemoSimulator(#[allow(dead_code)] RunningSim);

/// Starts the simulator with `scenario` and returns the session request that connects to it.
pub fn start(app: &mut tauri::App, scenario: Scenario) -> anyhow::Result<SessionRequest> {
    let config = SimConfig {
        scenario,
        door_open_for: DEMO_DOOR_OPEN,
        ..SimConfig::default()
    };
    let device_no = config.device_no.to_string();
    let token = config.token.clone();

    let sim = tauri::async_runtime::block_on(cabinet_sim::start(config))?;
    info!(scenario = scenario.name(), endpoint = %sim.ws_endpoint(), "demo simulator started");
    let request = SessionRequest {
        endpoint: sim.ws_endpoint(),
        device_no,
        token,
        device_name: Some("演示货柜 Demo".to_owned()),
    };
    app.manage(DemoSimulator(sim));
    Ok(request)
}
