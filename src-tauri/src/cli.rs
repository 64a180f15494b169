//! Command-line arguments of the app.

use std::path::PathBuf;

use cabinet_sim::Scenario;
use clap::{CommandFactory, FromArgMatches, Parser};
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
    #[arg(long, value_name = "DIR", value_parser = parse_data_dir)]
    pub data_dir: Option<PathBuf>,

    /// Language of the window: zh-CN or en. Defaults to the saved choice, then to zh-CN.
    #[arg(long, value_name = "TAG", value_parser = parse_language)]
    pub language: Option<Language>,

    /// Launch link of a session to start at once:
    /// replenish-desk://session?endpoint=URL&deviceNo=N&token=TOKEN. The desktop passes it when a
    /// link is opened; it is checked like the start form.
    #[arg(value_name = "LINK", conflicts_with_all = ["demo", "endpoint", "device"])]
    pub link: Option<String>,

    /// URL of the static JSON file that announces updates (https, or http on loopback), instead
    /// of the one in the settings.
    #[arg(long, value_name = "URL")]
    pub update_endpoint: Option<String>,

    /// Public key that update signatures are checked against, instead of the compiled-in one.
    /// Debug builds only, for tests that sign an update with a key made at test time.
    #[cfg(debug_assertions)]
    #[arg(long, value_name = "KEY", hide = true)]
    pub update_pubkey: Option<String>,
}

/// Parses the command line of a second launch, which the running app receives in place of a
/// second window. The definition is the same as for the first launch, without the
/// REPLENISH_TOKEN fallback, because the second launch's environment is not forwarded and this
/// process's own variable contains the first launch's token, which must not be used again.
pub fn parse_forwarded(argv: Vec<String>) -> Result<Args, clap::Error> {
    let command = Args::command().mut_arg("token", |token| token.env(None));
    let matches = command.try_get_matches_from(argv)?;
    Args::from_arg_matches(&matches)
}

fn parse_scenario(name: &str) -> Result<Scenario, String> {
    name.parse::<Scenario>().map_err(|error| error.to_string())
}

/// Accepts a folder, or a path where one can be created. A file there would fail every write
/// later, deep in the start-up, so it is refused here with the path named.
fn parse_data_dir(path: &str) -> Result<PathBuf, String> {
    let path = PathBuf::from(path);
    match std::fs::metadata(&path) {
        Ok(metadata) if !metadata.is_dir() => Err(format!(
            "{} is a file, not a folder: give a folder, or a path where one can be created",
            path.display()
        )),
        _ => Ok(path),
    }
}

fn parse_language(tag: &str) -> Result<Language, String> {
    Language::parse(tag).ok_or_else(|| format!("unknown language {tag:?}: use zh-CN or en"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(args: &[&str]) -> Vec<String> {
        std::iter::once("replenish-desk")
            .chain(args.iter().copied())
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn forwarded_ignores_token_variable() {
        // Only this test sets the variable, and it reads it back through both parsers.
        std::env::set_var("REPLENISH_TOKEN", "first-launch-token");
        let arguments = argv(&["--endpoint", "ws://127.0.0.1:9/x", "--device", "7"]);
        let own = Args::try_parse_from(arguments.clone()).unwrap();
        let forwarded = parse_forwarded(arguments).unwrap();
        std::env::remove_var("REPLENISH_TOKEN");

        assert_eq!(own.token.as_deref(), Some("first-launch-token"));
        assert_eq!(forwarded.token, None);
        assert_eq!(forwarded.device.as_deref(), Some("7"));
    }

    #[test]
    fn forwarded_reads_link_and_token() {
        let link = parse_forwarded(argv(&["replenish-desk://session?deviceNo=7"])).unwrap();
        assert_eq!(
            link.link.as_deref(),
            Some("replenish-desk://session?deviceNo=7")
        );

        let token = parse_forwarded(argv(&[
            "--endpoint",
            "ws://127.0.0.1:9/x",
            "--device",
            "7",
            "--token",
            "tok",
        ]))
        .unwrap();
        assert_eq!(token.token.as_deref(), Some("tok"));
    }

    #[test]
    fn link_conflicts_with_endpoint() {
        let error = parse_forwarded(argv(&[
            "--endpoint",
            "ws://127.0.0.1:9/x",
            "--device",
            "7",
            "replenish-desk://session",
        ]))
        .unwrap_err();
        assert_eq!(error.kind(), clap::error::ErrorKind::ArgumentConflict);
    }

    #[test]
    fn data_dir_that_is_a_file_is_rejected() {
        let file = tempfile::NamedTempFile::new().unwrap();
        let path = file.path().display().to_string();

        let error = Args::try_parse_from(argv(&["--data-dir", &path])).unwrap_err();

        assert!(
            error.to_string().contains("is a file, not a folder"),
            "{error}"
        );
        let folder = tempfile::tempdir().unwrap();
        let folder_path = folder.path().display().to_string();
        assert!(Args::try_parse_from(argv(&["--data-dir", &folder_path])).is_ok());
    }
}
