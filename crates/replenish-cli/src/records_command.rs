//! The clap definition of `replenish records list` and `replenish records export`, with texts from
//! the message catalogue like the rest of the command line.

use clap::{Arg, ArgAction, Command};
use i18n::Catalogue;

use crate::command::{help_flag, id, top_template, watch_template, EXPORT, LIST, RECORDS};

/// Builds `records` and its two subcommands.
pub fn records(catalogue: &Catalogue) -> Command {
    let text = |key: &str| catalogue.text(key).to_owned();

    Command::new(RECORDS)
        .about(text("cli.help.records.about"))
        .override_usage(text("cli.help.records.usage"))
        .help_template(top_template(catalogue))
        .disable_help_flag(true)
        .disable_help_subcommand(true)
        .subcommand_required(true)
        .arg_required_else_help(true)
        .arg(help_flag(catalogue))
        .subcommand(list(catalogue))
        .subcommand(export(catalogue))
}

fn list(catalogue: &Catalogue) -> Command {
    let text = |key: &str| catalogue.text(key).to_owned();

    leaf(catalogue, LIST, "cli.help.records.list.about")
        .override_usage(text("cli.help.records.list.usage"))
        .arg(
            Arg::new(id::JSON)
                .long(id::JSON)
                .action(ArgAction::SetTrue)
                .display_order(15)
                .help(text("cli.help.records.list.json")),
        )
}

fn export(catalogue: &Catalogue) -> Command {
    let text = |key: &str| catalogue.text(key).to_owned();

    leaf(catalogue, EXPORT, "cli.help.records.export.about")
        .override_usage(text("cli.help.records.export.usage"))
        .arg(
            // Checked by this command, not by clap, so an unknown format gets a localized error.
            Arg::new(id::FORMAT)
                .long(id::FORMAT)
                .value_name("csv|xlsx")
                .required(true)
                .display_order(1)
                .help(text("cli.help.records.export.format")),
        )
        .arg(
            Arg::new(id::OUTPUT)
                .long(id::OUTPUT)
                .short('o')
                .value_name("FILE")
                .required(true)
                .display_order(2)
                .help(text("cli.help.records.export.output")),
        )
        .arg(
            Arg::new(id::FORCE)
                .long(id::FORCE)
                .action(ArgAction::SetTrue)
                .display_order(3)
                .help(text("cli.help.records.export.force")),
        )
}

/// Builds a subcommand with the filter options, `--data-dir`, `--verbose` and the exit codes.
fn leaf(catalogue: &Catalogue, name: &'static str, about_key: &str) -> Command {
    let text = |key: &str| catalogue.text(key).to_owned();

    Command::new(name)
        .about(text(about_key))
        .help_template(watch_template(catalogue))
        .after_help(text("cli.help.records.exit_codes"))
        .next_line_help(true)
        .disable_help_flag(true)
        .arg(help_flag(catalogue))
        .arg(
            Arg::new(id::DEVICE)
                .long(id::DEVICE)
                .value_name("N")
                .display_order(10)
                .help(text("cli.help.records.device")),
        )
        .arg(
            Arg::new(id::FROM)
                .long(id::FROM)
                .value_name("DATE")
                .display_order(11)
                .help(text("cli.help.records.from")),
        )
        .arg(
            Arg::new(id::TO)
                .long(id::TO)
                .value_name("DATE")
                .display_order(12)
                .help(text("cli.help.records.to")),
        )
        .arg(
            Arg::new(id::OUTCOME)
                .long(id::OUTCOME)
                .value_name("NAME")
                .display_order(13)
                .help(text("cli.help.records.outcome")),
        )
        .arg(
            Arg::new(id::PRODUCT)
                .long(id::PRODUCT)
                .value_name("TEXT")
                .display_order(14)
                .help(text("cli.help.records.product")),
        )
        .arg(
            Arg::new(id::DATA_DIR)
                .long(id::DATA_DIR)
                .value_name("DIR")
                .display_order(20)
                .help(text("cli.help.watch.data_dir")),
        )
        .arg(
            Arg::new(id::VERBOSE)
                .long(id::VERBOSE)
                .action(ArgAction::SetTrue)
                .display_order(21)
                .help(text("cli.help.watch.verbose")),
        )
}
