//! Parsing the command line, and reporting its errors in the user's language.

use std::ffi::OsString;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use i18n::Catalogue;

use crate::command::{self, EXPORT, LIST, PROGRAM, RECORDS, WATCH};
use crate::records_args::{self, RecordsArgs};
use crate::watch_args::{self, WatchArgs};

/// A parsed command line.
#[derive(Debug)]
pub enum Parsed {
    Watch(Box<WatchArgs>),
    Records(Box<RecordsArgs>),
    /// Help or the version was printed on stdout; nothing more to do.
    Shown,
}

/// An invalid command line: what is wrong, one line per problem, and the command whose help
/// lists the valid options.
#[derive(Debug)]
pub struct UsageError {
    problems: Vec<String>,
    command: String,
}

impl UsageError {
    /// Problems with the options of `replenish watch`.
    pub fn watch(problems: Vec<String>) -> Self {
        Self {
            problems,
            command: format!("{PROGRAM} {WATCH}"),
        }
    }

    /// Problems with the options of `replenish records <subcommand>`.
    pub fn records(subcommand: &str, problems: Vec<String>) -> Self {
        Self {
            problems,
            command: format!("{PROGRAM} {RECORDS} {subcommand}"),
        }
    }
}

/// Parses `argv` and checks the options.
pub fn parse(argv: Vec<OsString>, catalogue: &Catalogue) -> Result<Parsed, UsageError> {
    let command_path = command_path(&argv);
    let matches = match command::build(catalogue).try_get_matches_from(argv) {
        Ok(matches) => matches,
        Err(error) => return shown_or_error(error, catalogue, command_path),
    };

    match matches.subcommand() {
        Some((WATCH, watch_matches)) => watch_args::from_matches(watch_matches, catalogue)
            .map(|args| Parsed::Watch(Box::new(args))),
        Some((RECORDS, records_matches)) => match records_matches.subcommand() {
            Some((subcommand, matches)) => {
                records_args::from_matches(subcommand, matches, catalogue)
                    .map(|args| Parsed::Records(Box::new(args)))
            }
            // clap requires a subcommand of `records`, so this does not occur.
            None => Err(UsageError {
                problems: vec![catalogue.text("cli.error.command_missing").to_owned()],
                command: command_path,
            }),
        },
        // clap accepts only the subcommands it was given, and one is required.
        _ => Err(UsageError {
            problems: vec![catalogue.text("cli.error.command_missing").to_owned()],
            command: command_path,
        }),
    }
}

/// Prints each problem and a pointer to the help on stderr.
pub fn report(catalogue: &Catalogue, error: &UsageError) {
    for problem in &error.problems {
        crate::output::stderr_line(&catalogue.format("cli.error.line", &[("message", problem)]));
    }
    crate::output::stderr_line(
        &catalogue.format("cli.error.see_help", &[("command", &error.command)]),
    );
}

/// Returns the command whose help the hint names: `replenish watch`, `replenish records list`,
/// `replenish records` or `replenish`, from the subcommands that argv names.
fn command_path(argv: &[OsString]) -> String {
    let mut arguments = argv.iter().skip(1);
    while let Some(argument) = arguments.next() {
        if argument == WATCH {
            return format!("{PROGRAM} {WATCH}");
        }
        if argument == RECORDS {
            let subcommand = arguments.find(|next| *next == LIST || *next == EXPORT);
            return match subcommand {
                Some(subcommand) => {
                    format!("{PROGRAM} {RECORDS} {}", subcommand.to_string_lossy())
                }
                None => format!("{PROGRAM} {RECORDS}"),
            };
        }
    }
    PROGRAM.to_owned()
}

/// Prints requested help or version, or turns clap's error into a localized usage error.
fn shown_or_error(
    error: clap::Error,
    catalogue: &Catalogue,
    command: String,
) -> Result<Parsed, UsageError> {
    match error.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            // A closed stdout (`replenish --help | head -1`) is not worth an error.
            let _ = error.print();
            Ok(Parsed::Shown)
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            // clap prints this help on stderr, because the command line was incomplete.
            let _ = error.print();
            Err(UsageError {
                problems: vec![catalogue.text("cli.error.command_missing").to_owned()],
                command,
            })
        }
        _ => Err(UsageError {
            problems: vec![localize(&error, catalogue)],
            command,
        }),
    }
}

/// Returns clap's error in the catalogue's language where the catalogue has a text for its kind,
/// and clap's English message otherwise.
fn localize(error: &clap::Error, catalogue: &Catalogue) -> String {
    let argument = context_text(error, ContextKind::InvalidArg);
    let subcommand = context_text(error, ContextKind::InvalidSubcommand);

    let localized = match (error.kind(), argument, subcommand) {
        (ErrorKind::MissingRequiredArgument, Some(argument), _) => {
            Some(catalogue.format("cli.error.argument_missing", &[("argument", &argument)]))
        }
        (ErrorKind::UnknownArgument, Some(argument), _) => {
            Some(catalogue.format("cli.error.argument_unknown", &[("argument", &argument)]))
        }
        (ErrorKind::ArgumentConflict, Some(argument), _) => {
            Some(catalogue.format("cli.error.argument_repeated", &[("argument", &argument)]))
        }
        (ErrorKind::InvalidValue, Some(argument), _) if is_missing_value(error) => {
            Some(catalogue.format("cli.error.value_missing", &[("argument", &argument)]))
        }
        (ErrorKind::InvalidSubcommand, _, Some(subcommand)) => {
            Some(catalogue.format("cli.error.command_unknown", &[("argument", &subcommand)]))
        }
        (ErrorKind::MissingSubcommand, _, _) => {
            Some(catalogue.text("cli.error.command_missing").to_owned())
        }
        _ => None,
    };
    localized.unwrap_or_else(|| english_message(error))
}

/// True when clap reports an option given without its value.
fn is_missing_value(error: &clap::Error) -> bool {
    matches!(
        error.get(ContextKind::InvalidValue),
        Some(ContextValue::String(value)) if value.is_empty()
    )
}

fn context_text(error: &clap::Error, kind: ContextKind) -> Option<String> {
    match error.get(kind)? {
        ContextValue::String(text) => Some(text.clone()),
        ContextValue::Strings(texts) => Some(texts.join(", ")),
        _ => None,
    }
}

/// Returns the first line of clap's rendered error without its "error: " prefix.
fn english_message(error: &clap::Error) -> String {
    let rendered = error.render().to_string();
    let first_line = rendered.lines().next().unwrap_or_default();
    first_line
        .strip_prefix("error: ")
        .unwrap_or(first_line)
        .to_owned()
}

#[cfg(test)]
mod tests {
    use i18n::Language;

    use super::*;

    fn parse_error(arguments: &[&str]) -> UsageError {
        let argv = arguments.iter().map(OsString::from).collect();
        match parse(argv, Catalogue::get(Language::En)) {
            Err(error) => error,
            Ok(parsed) => panic!("{arguments:?} parsed as {parsed:?}"),
        }
    }

    #[test]
    fn missing_device_is_named() {
        let error = parse_error(&["replenish", "watch", "--token", "t"]);
        assert_eq!(error.problems.len(), 1, "{:?}", error.problems);
        assert!(
            error.problems[0].contains("--device"),
            "{:?}",
            error.problems
        );
        assert!(
            error.problems[0].contains("required"),
            "{:?}",
            error.problems
        );
        assert_eq!(error.command, "replenish watch");
    }

    #[test]
    fn unknown_option_is_named() {
        let error = parse_error(&["replenish", "watch", "--colour"]);
        assert!(
            error.problems[0].contains("--colour"),
            "{:?}",
            error.problems
        );
    }

    #[test]
    fn missing_value_is_named() {
        let error = parse_error(&["replenish", "watch", "--device"]);
        assert!(
            error.problems[0].contains("needs a value"),
            "{:?}",
            error.problems
        );
    }

    #[test]
    fn unknown_command_is_named() {
        let error = parse_error(&["replenish", "wach"]);
        assert!(error.problems[0].contains("wach"), "{:?}", error.problems);
        assert_eq!(error.command, "replenish");
    }

    #[test]
    fn records_errors_name_subcommand() {
        let export = parse_error(&[
            "replenish",
            "records",
            "export",
            "--format",
            "doc",
            "--output",
            "x.doc",
        ]);
        let list = parse_error(&["replenish", "records", "list", "--outcome", "ok"]);
        let bare = parse_error(&["replenish", "records"]);

        assert_eq!(export.command, "replenish records export");
        assert_eq!(export.problems.len(), 1, "{:?}", export.problems);
        assert!(
            export.problems[0].contains("“doc”"),
            "{:?}",
            export.problems
        );
        assert_eq!(list.command, "replenish records list");
        assert_eq!(bare.command, "replenish records");
    }

    #[test]
    fn every_bad_option_is_reported() {
        let error = parse_error(&[
            "replenish",
            "watch",
            "--endpoint",
            "http://host/x",
            "--device",
            "12a",
            "--token",
            "tok",
            "--timeout",
            "0",
            "--door-wait",
            "soon",
            "--language",
            "fr",
        ]);
        let problems = error.problems.join("\n");
        assert_eq!(error.problems.len(), 5, "{problems}");
        for expected in ["--endpoint", "--device", "--timeout", "--door-wait", "“fr”"] {
            assert!(problems.contains(expected), "{expected} in {problems}");
        }
    }
}
