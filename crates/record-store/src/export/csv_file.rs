//! CSV export: UTF-8 with a byte-order mark, RFC 4180 quoting, CRLF line ends.

use std::io::Write;

use super::cells::Cell;
use super::columns::Column;
use super::local_time::validate;
use super::rows::build_rows;
use super::{ExportError, ExportOptions};
use crate::stored::StoredSession;

/// The UTF-8 byte-order mark. Excel on Windows reads a CSV without it in the ANSI code page, which
/// garbles every Chinese character.
const UTF8_BOM: &[u8] = "\u{feff}".as_bytes();

/// Writes `sessions` as CSV to `writer`, one row per product line, after a header row in
/// `options.language`.
///
/// Prices are the exact decimal text ("6.50000") and line values are rounded to the fen
/// ("84.50"). Times are wall-clock times in `options.time_zone`, and text that a spreadsheet
/// would run as a formula starts with `'`. Record ids above 15 digits are exact in the file, but Excel shows them rounded when it
/// opens a CSV. The XLSX export keeps them as text.
pub fn export_csv(
    sessions: &[StoredSession],
    options: &ExportOptions,
    mut writer: impl Write,
) -> Result<(), ExportError> {
    validate(options.time_zone)?;
    let rows = build_rows(sessions, options)?;

    writer.write_all(UTF8_BOM)?;
    let mut csv = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(writer);

    csv.write_record(
        Column::ALL
            .iter()
            .map(|column| column.header(options.language)),
    )?;
    for row in &rows {
        csv.write_record(row.iter().map(Cell::csv_text))?;
    }
    csv.flush()?;

    tracing::info!(sessions = sessions.len(), rows = rows.len(), "exported CSV");
    Ok(())
}
