//! The folder of the record store, shared by `watch` and `records`.

use std::path::PathBuf;

use clap::ArgMatches;

use crate::command::id;

/// Environment variable naming the data folder, like `--data-dir`.
pub const DATA_DIR_ENV: &str = "REPLENISH_DATA_DIR";

/// The app's identifier, which names its folder under the platform's data folder.
const APP_IDENTIFIER: &str = "com.replenishdesk.app";

/// Returns the record folder: under the given data folder, or where the app keeps its records.
pub fn records_dir(matches: &ArgMatches) -> Option<PathBuf> {
    let data_dir = matches
        .get_one::<String>(id::DATA_DIR)
        .map(PathBuf::from)
        .or_else(|| std::env::var_os(DATA_DIR_ENV).map(PathBuf::from));
    match data_dir {
        Some(folder) => Some(folder.join("records")),
        None => dirs::data_dir().map(|folder| folder.join(APP_IDENTIFIER).join("records")),
    }
}
