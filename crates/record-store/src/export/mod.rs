//! Export of stored sessions as CSV or XLSX, one row per product line.
//!
//! Both formats have the same columns, in Chinese or English. Lines come grouped by cabinet and
//! ordered by aisle, as the window shows them. A session without lines (a failure, or an empty
//! final list) still gets one row with its session columns, so every exported session appears.

mod cells;
mod columns;
mod csv_file;
mod labels;
pub(crate) mod local_time;
mod rows;
mod xlsx_file;

use std::path::PathBuf;

pub use csv_file::export_csv;
pub use i18n::Language;
pub use xlsx_file::{export_xlsx, export_xlsx_to_writer};

/// The time zone in which an export shows times.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ExportTimeZone {
    /// The PC's time zone, with daylight saving time applied per date.
    #[default]
    Local,
    /// A fixed offset east of UTC, in seconds: 28800 for China Standard Time (UTC+8).
    FixedOffset { seconds_east: i32 },
}

/// Choices for an export.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExportOptions {
    /// The language of headers and labels.
    pub language: Language,
    pub time_zone: ExportTimeZone,
}

/// A failure to export.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(
        "the time zone offset {seconds_east} s is invalid: it must be less than one day \
         (86400 s) east or west of UTC"
    )]
    InvalidOffset { seconds_east: i32 },

    #[error("time {at_ms} ms since the Unix epoch cannot be shown as a date")]
    InvalidTime { at_ms: u64 },

    #[error("writing the CSV export failed: {0}. Check that the target is writable and the disk has space")]
    Csv(#[from] csv::Error),

    #[error(
        "writing the export failed: {0}. Check that the target is writable and the disk has space"
    )]
    Io(#[from] std::io::Error),

    #[error("building the XLSX export failed: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),

    #[error(
        "cannot write the XLSX export to {path}: {source}. Close the file if a spreadsheet has \
         it open, and check that the folder is writable"
    )]
    WriteFile {
        path: PathBuf,
        source: std::io::Error,
    },
}
