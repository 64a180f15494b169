//! XLSX export: typed number and date cells, a frozen header row and set column widths.

use std::io::Write;
use std::path::Path;

use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::cells::Cell;
use super::columns::Column;
use super::local_time::validate;
use super::rows::build_rows;
use super::{ExportError, ExportOptions};
use crate::stored::StoredSession;
use i18n::Language;

/// Number formats: whole numbers, money to the cent, and unit prices with at least two and up to
/// five decimals, so a price of 6.505 is not shown as 6.51.
const COUNT_FORMAT: &str = "0";
const MONEY_FORMAT: &str = "0.00";
const PRICE_FORMAT: &str = "0.00###";
const TIME_FORMAT: &str = "yyyy-mm-dd hh:mm:ss";

/// Writes `sessions` to a new XLSX file at `path`, one row per product line.
///
/// Quantities, prices and values are number cells, and times are date cells in
/// `options.time_zone`, so a spreadsheet can sort, filter and sum them. XLSX stores numbers as
/// IEEE 754 doubles, so a price or value is exact to 15 significant digits. The CSV export has the
/// exact decimal text. Ids are text cells, which keeps ids of more than 15 digits exact. Text cells
/// are never run as formulas in XLSX, so they need no `'` prefix.
pub fn export_xlsx(
    sessions: &[StoredSession],
    options: &ExportOptions,
    path: &Path,
) -> Result<(), ExportError> {
    // Building in memory first leaves no half-written file at `path` when a step fails.
    let (bytes, rows) = build_workbook(sessions, options)?;
    std::fs::write(path, bytes).map_err(|source| {
        tracing::error!(path = %path.display(), error = %source, "cannot write the XLSX export");
        ExportError::WriteFile {
            path: path.to_owned(),
            source,
        }
    })?;

    tracing::info!(sessions = sessions.len(), rows, path = %path.display(), "exported XLSX");
    Ok(())
}

/// Writes the same workbook as [`export_xlsx`] to `writer`, for a caller that chooses how the
/// file reaches the disk, e.g. through a temporary file that is renamed when complete.
pub fn export_xlsx_to_writer(
    sessions: &[StoredSession],
    options: &ExportOptions,
    mut writer: impl Write,
) -> Result<(), ExportError> {
    let (bytes, rows) = build_workbook(sessions, options)?;
    writer.write_all(&bytes)?;
    writer.flush()?;

    tracing::info!(sessions = sessions.len(), rows, "exported XLSX");
    Ok(())
}

/// Builds the workbook in memory and returns its bytes and the number of data rows.
fn build_workbook(
    sessions: &[StoredSession],
    options: &ExportOptions,
) -> Result<(Vec<u8>, usize), ExportError> {
    validate(options.time_zone)?;
    let rows = build_rows(sessions, options)?;

    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(sheet_name(options.language))?;
    write_sheet(sheet, &rows, options.language)?;

    let bytes = workbook.save_to_buffer()?;
    Ok((bytes, rows.len()))
}

/// Returns the worksheet name: "补货记录" or "Replenishments".
pub(crate) fn sheet_name(language: Language) -> &'static str {
    match language {
        Language::ZhCn => "补货记录",
        Language::En => "Replenishments",
    }
}

fn write_sheet(
    sheet: &mut Worksheet,
    rows: &[Vec<Cell>],
    language: Language,
) -> Result<(), XlsxError> {
    let header = Format::new().set_bold();
    let count = Format::new().set_num_format(COUNT_FORMAT);
    let money = Format::new().set_num_format(MONEY_FORMAT);
    let price = Format::new().set_num_format(PRICE_FORMAT);
    let time = Format::new().set_num_format(TIME_FORMAT);

    for (index, column) in Column::ALL.iter().enumerate() {
        let col = index as u16;
        sheet.write_string_with_format(0, col, column.header(language), &header)?;
        sheet.set_column_width(col, column.width())?;
    }

    for (row_index, row) in rows.iter().enumerate() {
        let row_number = row_index as u32 + 1;
        for (col_index, cell) in row.iter().enumerate() {
            let col = col_index as u16;
            match cell {
                Cell::Empty => {}
                Cell::Text(text) => {
                    sheet.write_string(row_number, col, text)?;
                }
                Cell::Id(id) => {
                    sheet.write_string(row_number, col, id.to_string())?;
                }
                Cell::Count(value) => {
                    // Counts are far below 2^53, where a double stops being exact.
                    sheet.write_number_with_format(row_number, col, *value as f64, &count)?;
                }
                Cell::Price(value) => {
                    sheet.write_number_with_format(row_number, col, to_double(*value), &price)?;
                }
                Cell::Money(value) => {
                    sheet.write_number_with_format(row_number, col, to_double(*value), &money)?;
                }
                Cell::Time(wall) => {
                    sheet.write_datetime_with_format(row_number, col, wall, &time)?;
                }
            }
        }
    }

    sheet.set_freeze_panes(1, 0)?;
    let last_row = rows.len() as u32;
    let last_col = Column::ALL.len() as u16 - 1;
    sheet.autofilter(0, 0, last_row, last_col)?;
    Ok(())
}

/// Converts a decimal to the nearest double. Parsing the decimal text rounds correctly, which
/// rust_decimal's own float conversion does not promise. The text of a `Decimal` is always a
/// valid float literal, so the fallback is never taken.
fn to_double(value: Decimal) -> f64 {
    value.to_string().parse().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    #[test]
    fn double_is_nearest_to_decimal() {
        for text in ["6.50000", "0.1", "12345678901234.56789", "-3.1"] {
            let value = Decimal::from_str(text).unwrap();
            assert_eq!(to_double(value), text.parse::<f64>().unwrap(), "{text}");
        }
    }
}
