//! `replenish records list|export`: reads the record store that the app and `replenish watch`
//! write.

use std::path::Path;
use std::sync::Arc;

use i18n::Catalogue;
use record_store::recorder::Records;
use record_store::RecordStore;
use tracing::{info, warn};

use crate::exit::Exit;
use crate::records_args::{RecordsAction, RecordsArgs};
use crate::{records_export, records_list};

/// Runs the subcommand and returns the exit status.
pub fn run(args: RecordsArgs, catalogue: &'static Catalogue) -> Exit {
    let Some(folder) = args.records_dir else {
        error_line(catalogue, catalogue.text("cli.error.data_dir_unknown"));
        return Exit::Usage;
    };
    info!(folder = %folder.display(), filter = ?args.filter, action = ?args.action, "records starting");

    // A file where a folder of the path should be means a mistyped --data-dir, not an empty store.
    if let Some(file) = file_in_path(&folder) {
        warn!(folder = %folder.display(), file = %file.display(), "records folder path runs through a file");
        let message = catalogue.format(
            "cli.error.records_open_failed",
            &[
                ("folder", &folder.display().to_string()),
                (
                    "error",
                    &format!("{} is a file, not a folder", file.display()),
                ),
            ],
        );
        error_line(catalogue, &message);
        return Exit::RecordsUnavailable;
    }

    let store = if RecordStore::exists(&folder) {
        match open(&folder, catalogue) {
            Some(store) => Some(store),
            None => return Exit::RecordsUnavailable,
        }
    } else {
        // Opening would create an empty database, e.g. in a mistyped folder, so the note names
        // the folder and nothing is created.
        info!(folder = %folder.display(), "no record database in the folder");
        let note = catalogue.format(
            "cli.records.no_database",
            &[("folder", &folder.display().to_string())],
        );
        crate::output::stderr_line(&note);
        None
    };

    let exit = match args.action {
        RecordsAction::List { json } => {
            records_list::run(store.as_deref(), &args.filter, json, catalogue)
        }
        RecordsAction::Export {
            format,
            output,
            force,
        } => records_export::run(
            store.as_deref(),
            &args.filter,
            format,
            &output,
            force,
            catalogue,
        ),
    };
    info!(exit_code = exit.code(), "records finished");
    exit
}

/// Returns the nearest existing part of `folder`'s path when it is a file rather than a folder.
fn file_in_path(folder: &Path) -> Option<&Path> {
    let existing = folder.ancestors().find(|part| part.exists())?;
    (!existing.is_dir()).then_some(existing)
}

/// Opens the store and recovers the sessions that a stopped app or `watch` left unfinished, so
/// they are listed with their final outcome.
fn open(folder: &Path, catalogue: &Catalogue) -> Option<Arc<RecordStore>> {
    match Records::open(folder) {
        Ok(records) => Some(records.store()),
        Err(error) => {
            warn!(%error, folder = %folder.display(), "record store unavailable");
            let message = catalogue.format(
                "cli.error.records_open_failed",
                &[
                    ("folder", &folder.display().to_string()),
                    ("error", &error.to_string()),
                ],
            );
            error_line(catalogue, &message);
            None
        }
    }
}

/// Reports a failure to read the store on stderr.
pub fn read_failed(catalogue: &Catalogue, error: &record_store::StoreError) -> Exit {
    warn!(%error, "reading the records failed");
    let message = catalogue.format(
        "history.error.load_failed",
        &[("error", &error.to_string())],
    );
    error_line(catalogue, &message);
    Exit::RecordsUnavailable
}

/// Prints one error line on stderr, in the form of the other errors of the command.
pub fn error_line(catalogue: &Catalogue, message: &str) {
    crate::output::stderr_line(&catalogue.format("cli.error.line", &[("message", message)]));
}
