//! The checked options of `replenish watch`.

use std::io::{self, IsTerminal};
use std::path::PathBuf;
use std::time::Duration;

use clap::ArgMatches;
use i18n::{Catalogue, Language};
use replenish_core::connection_settings::MAX_RECONNECT_ATTEMPTS;
use replenish_core::endpoint::{Field, FieldError, SessionRequest, SessionTarget};
use replenish_core::session::SessionConfig;

use crate::command::id;
use crate::data_dir::records_dir;
use crate::text::render;
use crate::token_input::{read_token, TokenError, TOKEN_ENV};
use crate::usage::UsageError;

/// The options of `replenish watch`, every value checked.
#[derive(Debug)]
pub struct WatchArgs {
    pub target: SessionTarget,
    pub json: bool,
    /// The whole session's time limit, in seconds.
    pub timeout_secs: Option<u64>,
    pub session_config: SessionConfig,
    pub verbose: bool,
    /// The folder of the record store: `--data-dir`, `REPLENISH_DATA_DIR`, or the app's own.
    pub records_dir: Option<PathBuf>,
}

/// Checks the options of `watch` and reads the token. Returns every problem found, not only the
/// first, each as a line in the catalogue's language.
pub fn from_matches(matches: &ArgMatches, catalogue: &Catalogue) -> Result<WatchArgs, UsageError> {
    let mut problems = Vec::new();

    if let Some(tag) = matches.get_one::<String>(id::LANGUAGE) {
        if Language::parse(tag).is_none() {
            problems.push(catalogue.format("cli.error.language_invalid", &[("value", tag)]));
        }
    }

    let timeout_secs = seconds(matches, id::TIMEOUT, catalogue, &mut problems);
    let door_wait_secs = seconds(matches, id::DOOR_WAIT, catalogue, &mut problems);
    let retries = retries(matches, catalogue, &mut problems);

    let token = read_token(
        matches.get_one::<String>(id::TOKEN).map(String::as_str),
        std::env::var(TOKEN_ENV),
        &mut io::stdin().lock(),
        &mut || prompt_for_token(catalogue),
    );
    let token_failed = token.is_err();
    if let Err(error) = &token {
        problems.push(token_problem(error, catalogue));
    }

    let request = SessionRequest {
        endpoint: string(matches, id::ENDPOINT),
        device_no: string(matches, id::DEVICE),
        token: token.unwrap_or_default(),
        device_name: None,
    };
    let target = match SessionTarget::parse(&request) {
        Ok(target) => Some(target),
        Err(errors) => {
            for error in errors {
                // A token that could not be read is already reported above.
                if !(token_failed && error.field() == Field::Token) {
                    problems.push(field_problem(&error, catalogue));
                }
            }
            None
        }
    };

    match target {
        Some(target) if problems.is_empty() => {
            let mut session_config = SessionConfig::default();
            if let Some(secs) = door_wait_secs {
                session_config.door_wait_timeout = Duration::from_secs(secs);
            }
            if let Some(retries) = retries {
                session_config.reconnect.max_attempts = retries;
            }
            Ok(WatchArgs {
                target,
                json: matches.get_flag(id::JSON),
                timeout_secs,
                session_config,
                verbose: matches.get_flag(id::VERBOSE),
                records_dir: records_dir(matches),
            })
        }
        _ => Err(UsageError::watch(problems)),
    }
}

fn string(matches: &ArgMatches, id: &str) -> String {
    matches.get_one::<String>(id).cloned().unwrap_or_default()
}

/// Reads a whole number of seconds, at least 1, from option `id`, or records the problem.
fn seconds(
    matches: &ArgMatches,
    id: &str,
    catalogue: &Catalogue,
    problems: &mut Vec<String>,
) -> Option<u64> {
    let text = matches.get_one::<String>(id)?;
    match text.trim().parse::<u64>() {
        Ok(secs) if secs >= 1 => Some(secs),
        _ => {
            let option = format!("--{id}");
            problems.push(catalogue.format(
                "cli.error.seconds_invalid",
                &[("option", &option), ("value", text)],
            ));
            None
        }
    }
}

/// Reads the number of reconnect attempts, 0 to the allowed maximum, or records the problem.
fn retries(matches: &ArgMatches, catalogue: &Catalogue, problems: &mut Vec<String>) -> Option<u32> {
    let text = matches.get_one::<String>(id::RETRIES)?;
    match text.trim().parse::<u32>() {
        Ok(retries) if retries <= MAX_RECONNECT_ATTEMPTS => Some(retries),
        _ => {
            problems.push(catalogue.format(
                "cli.error.retries_invalid",
                &[
                    ("value", text),
                    ("max", &MAX_RECONNECT_ATTEMPTS.to_string()),
                ],
            ));
            None
        }
    }
}

fn prompt_for_token(catalogue: &Catalogue) {
    // A prompt on a pipe would only clutter a script's stderr.
    if io::stdin().is_terminal() {
        crate::output::stderr_line(catalogue.text("cli.watch.token_prompt"));
    }
}

fn token_problem(error: &TokenError, catalogue: &Catalogue) -> String {
    match error {
        TokenError::Missing => catalogue.text("cli.error.token_missing").to_owned(),
        TokenError::StdinEmpty => catalogue.text("cli.error.token_stdin_empty").to_owned(),
        TokenError::StdinFailed(error) => catalogue.format(
            "cli.error.token_stdin_failed",
            &[("error", &error.to_string())],
        ),
        TokenError::EnvNotUnicode => field_problem(&FieldError::TokenInvalid, catalogue),
    }
}

/// Names the option of a field error, since the catalogue's texts name the form's fields.
fn field_problem(error: &FieldError, catalogue: &Catalogue) -> String {
    let option = match error.field() {
        Field::Endpoint => "--endpoint",
        Field::DeviceNo => "--device",
        Field::Token => "--token",
        // The command line has no device name, so this error cannot occur.
        Field::DeviceName => "--device-name",
    };
    let message = render(catalogue, &error.message());
    catalogue.format(
        "cli.error.field",
        &[("option", option), ("message", &message)],
    )
}
