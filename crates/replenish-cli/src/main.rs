//! `replenish`: the command-line client of Replenish Desk.
//!
//! `replenish watch` runs one replenishment session on the same core as the desktop app
//! (`replenish-core`) and prints each event as it happens, as readable text in the user's
//! language or as one JSON object per line. The exit status reports how the session ended, and
//! [`exit::Exit`] lists the codes. `replenish records list` and `replenish records export` read
//! the sessions that the app and `watch` stored, with the filters and the exports of the app's
//! History screen.

mod atomic_file;
mod command;
mod data_dir;
mod exit;
mod human;
mod human_final;
mod json;
mod json_final;
mod language;
mod logging;
mod output;
mod records;
mod records_args;
mod records_command;
mod records_export;
mod records_list;
mod records_table;
mod signals;
mod text;
mod token_input;
mod usage;
mod watch;
mod watch_args;

use std::ffi::OsString;
use std::process::ExitCode;

use i18n::Catalogue;

use crate::exit::Exit;
use crate::usage::Parsed;

fn main() -> ExitCode {
    let argv: Vec<OsString> = std::env::args_os().collect();
    let exit = run(argv);
    ExitCode::from(exit.code())
}

fn run(argv: Vec<OsString>) -> Exit {
    // Help and error messages need the language before clap has parsed anything.
    let language = language::from_argv_or_env(&argv);
    let catalogue = Catalogue::get(language);

    match usage::parse(argv, catalogue) {
        Ok(Parsed::Watch(args)) => {
            logging::init(args.verbose);
            watch::run(*args, catalogue)
        }
        Ok(Parsed::Records(args)) => {
            logging::init(args.verbose);
            records::run(*args, catalogue)
        }
        Ok(Parsed::Shown) => Exit::Success,
        Err(error) => {
            usage::report(catalogue, &error);
            Exit::Usage
        }
    }
}
