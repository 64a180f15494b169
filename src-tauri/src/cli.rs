//! Command-line arguments of the app.

use std::path::PathBuf;

use cabinet_sim::Scenario;
use clap::Parser;
use i18n::Language;

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
        requires = "demo",
        value_parser = parse_scenario
    )]
    pub demo_scenario: Scenario,

    /// WebSocket endpoint (ws:// or wss://) of a session to start at once.
    #[arg(long, value_name = "URL", requires = "device")]
    pub endpoint: Option<String>,

    /// Cabinet device number of the session to start at once.
    #[arg(long, value_name = "N", requires = "endpoint")]
    pub device: Option<String>,

    /// Replenishment token of the session to start at once. Other users of the PC can see it in
    /// the process list, so prefer the REPLENISH_TOKEN environment variable. It is never logged
    /// or stored.
    #[arg(
        long,
        value_name = "TOKEN",
        env = "REPLENISH_TOKEN",
        hide_env_values = true
    )]
    pub token: Option<String>,

    /// Folder for settings, logs and the picture cache, instead of the platform's app folders.
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Language of the window: zh-CN or en. Defaults to the saved choice, then to zh-CN.
    #[arg(long, value_name = "TAG", value_parser = parse_language)]
    pub language: Option<Language>,
}

fn parse_scenario(name: &str) -> Result<Scenario, String> {
    name.parse::<Scenario>().map_err(|error| error.to_string())
}

fn parse_language(tag: &str) -> Result<Language, String> {
    Language::parse(tag).ok_or_else(|| format!("unknown language {tag:?}: use zh-CN or en"))
}
