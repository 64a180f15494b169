//! Turns SIGTERM and SIGINT into a normal exit, so a logout, a shutdown or Ctrl-C in a terminal
//! runs the same exit path as closing the window: the running session is closed with 1000 and
//! its ending stored, instead of the process dying mid-session.

use tauri::AppHandle;
use tokio::signal::unix::{signal, SignalKind};
use tracing::{info, warn};

/// Listens for the signals on the async runtime and exits the app on the first one.
pub fn exit_on_signals(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        let (mut terminate, mut interrupt) = match (
            signal(SignalKind::terminate()),
            signal(SignalKind::interrupt()),
        ) {
            (Ok(terminate), Ok(interrupt)) => (terminate, interrupt),
            (Err(error), _) | (_, Err(error)) => {
                warn!(%error, "signal handlers not installed, a signal ends the app at once");
                return;
            }
        };

        let name = tokio::select! {
            _ = terminate.recv() => "SIGTERM",
            _ = interrupt.recv() => "SIGINT",
        };
        info!(signal = name, "signal received, exiting");
        app.exit(0);
    });
}
