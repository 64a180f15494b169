//! `replenish records export`: the app's CSV or XLSX export of the selected sessions, written to
//! the file the user names.

use std::io::{self, Write};
use std::path::Path;

use i18n::Catalogue;
use record_store::export::{export_csv, export_xlsx_to_writer, ExportOptions};
use record_store::RecordStore;
use tracing::{info, warn};

use crate::atomic_file::{write_atomically, AtomicWriteError};
use crate::exit::Exit;
use crate::records::{error_line, read_failed};
use crate::records_args::{ExportFormat, TIME_ZONE};
use record_store::Filter;

/// Exports the sessions that `filter` selects to `output`. `store` is `None` when the folder has
/// no record database, which selects nothing.
pub fn run(
    store: Option<&RecordStore>,
    filter: &Filter,
    format: ExportFormat,
    output: &Path,
    force: bool,
    catalogue: &Catalogue,
) -> Exit {
    let sessions = match store.map(|store| store.load_sessions(filter)) {
        Some(Ok(sessions)) => sessions,
        Some(Err(error)) => return read_failed(catalogue, &error),
        None => Vec::new(),
    };
    // The app exports nothing for an empty selection either, so both give the same files.
    if sessions.is_empty() {
        info!("no session matches the filter, nothing exported");
        error_line(catalogue, catalogue.text("history.error.nothing_to_export"));
        return Exit::NothingSelected;
    }

    // The same options as the app's export, in the language of this command's output.
    let options = ExportOptions {
        language: catalogue.language(),
        time_zone: TIME_ZONE,
    };
    let written = write_atomically(output, force, |writer| match format {
        ExportFormat::Csv => export_csv(&sessions, &options, writer),
        ExportFormat::Xlsx => export_xlsx_to_writer(&sessions, &options, writer),
    });

    let shown_path = std::path::absolute(output).unwrap_or_else(|_| output.to_owned());
    let shown_path = shown_path.display().to_string();
    if let Err(error) = written {
        warn!(%error, path = %shown_path, "export failed");
        error_line(catalogue, &failure_message(catalogue, &error, &shown_path));
        return Exit::CannotCreate;
    }

    info!(path = %shown_path, sessions = sessions.len(), ?format, "records exported");
    let count = sessions.len().to_string();
    let line = catalogue.format(
        "cli.records.exported",
        &[("count", &count), ("path", &shown_path)],
    );
    match writeln!(io::stdout(), "{line}") {
        Ok(()) => Exit::Success,
        Err(error) => {
            // The file is complete, so only the confirmation is lost.
            warn!(%error, "cannot write to stdout");
            Exit::Output
        }
    }
}

fn failure_message(catalogue: &Catalogue, error: &AtomicWriteError, shown_path: &str) -> String {
    match error {
        AtomicWriteError::Exists { .. } => {
            catalogue.format("cli.error.output_exists", &[("path", shown_path)])
        }
        AtomicWriteError::Create { folder, source } => catalogue.format(
            "cli.error.output_folder",
            &[
                ("folder", &folder.display().to_string()),
                ("error", &source.to_string()),
            ],
        ),
        AtomicWriteError::Write { source, .. } => catalogue.format(
            "cli.error.output_write_failed",
            &[("path", shown_path), ("error", &source.to_string())],
        ),
        AtomicWriteError::Content(message) => catalogue.format(
            "cli.error.output_write_failed",
            &[("path", shown_path), ("error", message)],
        ),
        AtomicWriteError::NotRegular { path } => catalogue.format(
            "cli.error.output_not_regular",
            &[("path", &path.display().to_string())],
        ),
    }
}
