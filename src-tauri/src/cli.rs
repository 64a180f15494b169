//! Command-line arguments of the app.

use std::path::PathBuf;

use clap::Parser;

/// Replenish Desk (补货助手): watch a smart cabinet's replenishment session live.
#[derive(Debug, Parser)]
#[command(version, about)]
pub struct Args {
    /// Start the built-in cabinet simulator on loopback and run a session against it.
    #[arg(long, conflicts_with = "endpoint")]
    pub demo: bool,

    /// Simulator scenario for --demo, e.g. three-drinks, door-failed, empty, large.
    #[arg(
        long,
        value_name = "NAME",
        default_value = "three-drinks",
        requires = "demo"
    )]
    pub demo_scenario: String,

    /// WebSocket endpoint (ws:// or wss://) of a session to start at once.
    #[arg(long, value_name = "URL", requires_all = ["device", "token"])]
    pub endpoint: Option<String>,

    /// Cabinet device number of the session to start at once.
    #[arg(long, value_name = "N", requires_all = ["endpoint", "token"])]
    pub device: Option<String>,

    /// Replenishment token of the session to start at once. It is never logged or stored.
    #[arg(long, value_name = "TOKEN", requires_all = ["endpoint", "device"])]
    pub token: Option<String>,

    /// Folder for settings, logs and the picture cache, instead of the platform's app folders.
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Language of the window: zh-CN or en. Defaults to the saved choice, then to zh-CN.
    #[arg(long, value_name = "TAG")]
    pub language: Option<String>,
}
