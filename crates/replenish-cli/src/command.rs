//! The clap command, built with texts from the message catalogue so `--help` is in the user's
//! language.
//!
//! clap's own texts ("Usage:", "Options:", "[default: …]", "Print help") are English, so this
//! module replaces each of them. The headings come from a help template, and the usage lines and
//! the help and version flags are defined here. Defaults are stated in each option's help text.

use clap::{Arg, ArgAction, Command};
use i18n::Catalogue;
use replenish_core::connection_settings::MAX_RECONNECT_ATTEMPTS;
use replenish_core::endpoint::DEFAULT_ENDPOINT;
use replenish_core::session::SessionConfig;

use crate::language::LANGUAGE_OPTION;
use crate::records_command;

/// The program name, as users type it.
pub const PROGRAM: &str = "replenish";

/// The `watch` subcommand.
pub const WATCH: &str = "watch";

/// The `records` subcommand, with its own subcommands `list` and `export`.
pub const RECORDS: &str = "records";
pub const LIST: &str = "list";
pub const EXPORT: &str = "export";

/// Argument ids, which are also the long option names.
pub mod id {
    pub const ENDPOINT: &str = "endpoint";
    pub const DEVICE: &str = "device";
    pub const TOKEN: &str = "token";
    pub const JSON: &str = "json";
    pub const TIMEOUT: &str = "timeout";
    pub const DOOR_WAIT: &str = "door-wait";
    pub const RETRIES: &str = "retries";
    pub const LANGUAGE: &str = "language";
    pub const VERBOSE: &str = "verbose";
    pub const DATA_DIR: &str = "data-dir";
    pub const FROM: &str = "from";
    pub const TO: &str = "to";
    pub const OUTCOME: &str = "outcome";
    pub const PRODUCT: &str = "product";
    pub const FORMAT: &str = "format";
    pub const OUTPUT: &str = "output";
    pub const FORCE: &str = "force";
    pub const HELP: &str = "help";
    pub const VERSION: &str = "version";
}

/// Builds the whole command line: `replenish [--language TAG] watch …` and
/// `replenish [--language TAG] records list|export …`.
pub fn build(catalogue: &Catalogue) -> Command {
    let text = |key: &str| catalogue.text(key).to_owned();

    Command::new(PROGRAM)
        .version(env!("CARGO_PKG_VERSION"))
        .about(text("cli.help.about"))
        .override_usage(text("cli.help.usage"))
        .help_template(top_template(catalogue))
        .disable_help_flag(true)
        .disable_version_flag(true)
        .disable_help_subcommand(true)
        .subcommand_required(true)
        .arg_required_else_help(true)
        .arg(help_flag(catalogue))
        .arg(
            Arg::new(id::VERSION)
                .short('V')
                .long(id::VERSION)
                .action(ArgAction::Version)
                .help(text("cli.help.version")),
        )
        .arg(language_option(catalogue))
        .subcommand(watch(catalogue))
        .subcommand(records_command::records(catalogue))
}

fn watch(catalogue: &Catalogue) -> Command {
    let text = |key: &str| catalogue.text(key).to_owned();
    let door_wait_secs = SessionConfig::default()
        .door_wait_timeout
        .as_secs()
        .to_string();
    let retries_default = SessionConfig::default().reconnect.max_attempts.to_string();

    Command::new(WATCH)
        .about(text("cli.help.watch.about"))
        .override_usage(text("cli.help.watch.usage"))
        .help_template(watch_template(catalogue))
        .after_help(text("cli.help.watch.exit_codes"))
        // The help texts are long and clap does not wrap them, so each starts on its own line.
        .next_line_help(true)
        .disable_help_flag(true)
        .arg(help_flag(catalogue))
        .arg(
            Arg::new(id::ENDPOINT)
                .long(id::ENDPOINT)
                .value_name("URL")
                .default_value(DEFAULT_ENDPOINT)
                .hide_default_value(true)
                .help(
                    catalogue.format("cli.help.watch.endpoint", &[("endpoint", DEFAULT_ENDPOINT)]),
                ),
        )
        .arg(
            Arg::new(id::DEVICE)
                .long(id::DEVICE)
                .value_name("N")
                .required(true)
                .help(text("cli.help.watch.device")),
        )
        .arg(
            Arg::new(id::TOKEN)
                .long(id::TOKEN)
                .value_name("TOKEN")
                .help(text("cli.help.watch.token")),
        )
        .arg(
            Arg::new(id::JSON)
                .long(id::JSON)
                .action(ArgAction::SetTrue)
                .help(text("cli.help.watch.json")),
        )
        .arg(
            Arg::new(id::TIMEOUT)
                .long(id::TIMEOUT)
                .value_name("SECONDS")
                .help(text("cli.help.watch.timeout")),
        )
        .arg(
            Arg::new(id::DOOR_WAIT)
                .long(id::DOOR_WAIT)
                .value_name("SECONDS")
                .help(
                    catalogue.format("cli.help.watch.door_wait", &[("seconds", &door_wait_secs)]),
                ),
        )
        .arg(
            Arg::new(id::RETRIES)
                .long(id::RETRIES)
                .value_name("N")
                // So "--retries -1" gets the range message, not "unknown argument -1".
                .allow_negative_numbers(true)
                .help(catalogue.format(
                    "cli.help.watch.retries",
                    &[
                        ("default", &retries_default),
                        ("max", &MAX_RECONNECT_ATTEMPTS.to_string()),
                    ],
                )),
        )
        .arg(
            Arg::new(id::DATA_DIR)
                .long(id::DATA_DIR)
                .value_name("DIR")
                .help(text("cli.help.watch.data_dir")),
        )
        .arg(
            Arg::new(id::VERBOSE)
                .long(id::VERBOSE)
                .action(ArgAction::SetTrue)
                .help(text("cli.help.watch.verbose")),
        )
}

pub(crate) fn help_flag(catalogue: &Catalogue) -> Arg {
    Arg::new(id::HELP)
        .short('h')
        .long(id::HELP)
        .action(ArgAction::Help)
        .display_order(101)
        .help(catalogue.text("cli.help.help").to_owned())
}

/// `--language` is global, so it is accepted before and after `watch`.
fn language_option(catalogue: &Catalogue) -> Arg {
    debug_assert_eq!(LANGUAGE_OPTION, format!("--{}", id::LANGUAGE));
    Arg::new(id::LANGUAGE)
        .long(id::LANGUAGE)
        .value_name("TAG")
        .global(true)
        .display_order(100)
        .help(catalogue.text("cli.help.language").to_owned())
}

/// Returns the help template of a command that has subcommands.
pub(crate) fn top_template(catalogue: &Catalogue) -> String {
    format!(
        "{{about-with-newline}}\n{usage}\n  {{usage}}\n\n{commands}\n{{subcommands}}\n\n{options}\n{{options}}\n",
        usage = catalogue.text("cli.help.usage_heading"),
        commands = catalogue.text("cli.help.commands_heading"),
        options = catalogue.text("cli.help.options_heading"),
    )
}

/// Returns the help template of a command without subcommands.
pub(crate) fn watch_template(catalogue: &Catalogue) -> String {
    format!(
        "{{about-with-newline}}\n{usage}\n  {{usage}}\n\n{options}\n{{options}}{{after-help}}\n",
        usage = catalogue.text("cli.help.usage_heading"),
        options = catalogue.text("cli.help.options_heading"),
    )
}

#[cfg(test)]
mod tests {
    use i18n::Language;

    use super::*;

    #[test]
    fn command_is_consistent() {
        for language in Language::ALL {
            build(Catalogue::get(language)).debug_assert();
        }
    }
}
