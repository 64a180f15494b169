//! The checked options of `replenish records list` and `replenish records export`.
//!
//! The filter options go through `record_store::history::HistoryRequest`, the validation of the
//! app's History filter, so a filter selects the same sessions here as on the History screen.

use std::path::PathBuf;

use clap::ArgMatches;
use i18n::{Catalogue, Language};
use record_store::export::ExportTimeZone;
use record_store::history::HistoryRequest;
use record_store::{Filter, Outcome};
use replenish_core::view::Message;

use crate::command::{id, EXPORT};
use crate::data_dir::records_dir;
use crate::text::render;
use crate::usage::UsageError;

/// The maximum number of characters of a rejected value that an error message repeats, as in the
/// History filter's own messages.
const MAX_ECHOED_CHARS: usize = 40;

/// Dates are read, and times shown, in the PC's time zone, as on the History screen.
pub const TIME_ZONE: ExportTimeZone = ExportTimeZone::Local;

/// The options of `records list` or `records export`, every value checked.
#[derive(Debug)]
pub struct RecordsArgs {
    /// The folder of the record store, `None` when neither an option nor the platform names one.
    pub records_dir: Option<PathBuf>,
    pub filter: Filter,
    pub verbose: bool,
    pub action: RecordsAction,
}

/// The action on the selected sessions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordsAction {
    /// Print them, as a table or as JSON.
    List { json: bool },
    /// Write them to `output`, replacing an existing file only when `force` is set.
    Export {
        format: ExportFormat,
        output: PathBuf,
        force: bool,
    },
}

/// The file format of `records export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Xlsx,
}

impl ExportFormat {
    /// Parses `csv` or `xlsx`, in any letter case.
    fn parse(text: &str) -> Option<ExportFormat> {
        match text.trim().to_ascii_lowercase().as_str() {
            "csv" => Some(ExportFormat::Csv),
            "xlsx" => Some(ExportFormat::Xlsx),
            _ => None,
        }
    }
}

/// The filter options in the order the help lists them, with the form field that each one fills
/// in `HistoryRequest`, whose errors are keyed by that field.
const FILTER_OPTIONS: [(&str, &str); 5] = [
    ("deviceNo", id::DEVICE),
    ("from", id::FROM),
    ("to", id::TO),
    ("outcome", id::OUTCOME),
    ("product", id::PRODUCT),
];

/// Checks the options of `records <subcommand>`. Returns every problem found, not only the first,
/// each as a line in the catalogue's language.
pub fn from_matches(
    subcommand: &str,
    matches: &ArgMatches,
    catalogue: &Catalogue,
) -> Result<RecordsArgs, UsageError> {
    let mut problems = Vec::new();

    if let Some(tag) = matches.get_one::<String>(id::LANGUAGE) {
        if Language::parse(tag).is_none() {
            problems.push(catalogue.format("cli.error.language_invalid", &[("value", tag)]));
        }
    }

    let request = HistoryRequest {
        device_no: string(matches, id::DEVICE),
        from: string(matches, id::FROM),
        to: string(matches, id::TO),
        outcome: outcome_name(&string(matches, id::OUTCOME)),
        product: string(matches, id::PRODUCT),
    };
    let filter = match request.to_filter(TIME_ZONE) {
        Ok(filter) => Some(filter),
        Err(errors) => {
            for (field, option) in FILTER_OPTIONS {
                if let Some(message) = errors.get(field) {
                    problems.push(filter_problem(option, message, matches, catalogue));
                }
            }
            None
        }
    };

    let action = if subcommand == EXPORT {
        export_action(matches, catalogue, &mut problems)
    } else {
        Some(RecordsAction::List {
            json: matches.get_flag(id::JSON),
        })
    };

    match (filter, action) {
        (Some(filter), Some(action)) if problems.is_empty() => Ok(RecordsArgs {
            records_dir: records_dir(matches),
            filter,
            verbose: matches.get_flag(id::VERBOSE),
            action,
        }),
        _ => Err(UsageError::records(subcommand, problems)),
    }
}

fn export_action(
    matches: &ArgMatches,
    catalogue: &Catalogue,
    problems: &mut Vec<String>,
) -> Option<RecordsAction> {
    let format_text = string(matches, id::FORMAT);
    let format = ExportFormat::parse(&format_text);
    if format.is_none() {
        problems.push(catalogue.format("cli.error.format_invalid", &[("value", &format_text)]));
    }

    let output = string(matches, id::OUTPUT);
    if output.trim().is_empty() {
        let option = format!("--{}", id::OUTPUT);
        problems.push(catalogue.format("cli.error.value_missing", &[("argument", &option)]));
        return None;
    }

    Some(RecordsAction::Export {
        format: format?,
        output: PathBuf::from(output),
        force: matches.get_flag(id::FORCE),
    })
}

fn string(matches: &ArgMatches, id: &str) -> String {
    matches.get_one::<String>(id).cloned().unwrap_or_default()
}

/// Accepts `door-failed` for the stored name `door_failed`, since options on a command line are
/// usually written with hyphens. Any other text is passed on as typed, so an error repeats it.
fn outcome_name(text: &str) -> String {
    let underscored = text.trim().replace('-', "_");
    if Outcome::parse(&underscored).is_some() {
        underscored
    } else {
        text.to_owned()
    }
}

/// Words the History filter's error for the command line: the form's own sentences name form
/// fields and a drop-down list, which a terminal does not have.
fn filter_problem(
    option: &str,
    message: &Message,
    matches: &ArgMatches,
    catalogue: &Catalogue,
) -> String {
    let option_text = format!("--{option}");
    let value = string(matches, option);

    match message.key {
        "history.filter.outcome_invalid" => {
            let names: Vec<&str> = Outcome::ALL
                .iter()
                .map(|outcome| outcome.as_str())
                .collect();
            catalogue.format(
                "cli.error.outcome_invalid",
                &[("value", &echo(&value)), ("names", &names.join(", "))],
            )
        }
        "history.filter.date_order" => catalogue.format(
            "cli.error.date_order",
            &[
                ("from", string(matches, id::FROM).trim()),
                ("to", string(matches, id::TO).trim()),
            ],
        ),
        "form.device.invalid" => {
            catalogue.format("cli.error.device_invalid", &[("value", &echo(&value))])
        }
        _ => catalogue.format(
            "cli.error.field",
            &[
                ("option", &option_text),
                ("message", &render(catalogue, message)),
            ],
        ),
    }
}

/// Returns the start of `text`, so an error message never repeats a pasted novel.
fn echo(text: &str) -> String {
    text.trim().chars().take(MAX_ECHOED_CHARS).collect()
}
