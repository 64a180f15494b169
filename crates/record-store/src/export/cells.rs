//! Typed cell values, and their text in a CSV file.

use chrono::NaiveDateTime;
use rust_decimal::Decimal;

/// The text format of times in CSV. Excel and LibreOffice read it as a date and time.
pub(crate) const CSV_TIME_FORMAT: &str = "%Y-%m-%d %H:%M:%S";

/// One cell of an export row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Cell {
    Empty,
    /// Text from the server or the user, e.g. a product name.
    Text(String),
    /// An identifier: digits that must stay exact, so XLSX gets them as text.
    Id(i64),
    /// A quantity or a cabinet number.
    Count(i64),
    /// A unit price, exact as received.
    Price(Decimal),
    /// A value in yuan, exact.
    Money(Decimal),
    /// A wall-clock time in the export's time zone.
    Time(NaiveDateTime),
}

impl Cell {
    /// Returns the cell's CSV text. Decimals keep every digit and their scale ("6.50000").
    pub(crate) fn csv_text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(text) => guard_formula(text),
            Cell::Id(value) | Cell::Count(value) => value.to_string(),
            Cell::Price(value) | Cell::Money(value) => value.to_string(),
            Cell::Time(time) => time.format(CSV_TIME_FORMAT).to_string(),
        }
    }
}

/// Prefixes `'` to text that a spreadsheet would run as a formula.
///
/// Excel and LibreOffice treat a cell that starts with `=`, `+`, `-` or `@` as a formula, and a
/// leading tab or carriage return can hide such a start. A product name like `=HYPERLINK(...)`
/// from a compromised server would otherwise run when a manager opens the file (CSV injection).
/// The apostrophe is the OWASP recommendation: spreadsheets show it, so the cell visibly differs
/// from the name the server sent, but it reads as plain text everywhere. Numbers are written from
/// typed values, never from server text, so a negative number keeps its minus sign.
pub(crate) fn guard_formula(text: &str) -> String {
    const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];
    if text.starts_with(FORMULA_STARTS) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    #[test]
    fn formula_starts_get_apostrophe() {
        for text in ["=1+1", "+86", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(guard_formula(text), format!("'{text}"), "{text:?}");
        }
        for text in ["可口可乐", "a=b", "", " =1"] {
            assert_eq!(guard_formula(text), text, "{text:?}");
        }
    }

    #[test]
    fn numbers_keep_sign_and_scale() {
        assert_eq!(Cell::Count(-2).csv_text(), "-2");
        assert_eq!(
            Cell::Price(Decimal::from_str("6.50000").unwrap()).csv_text(),
            "6.50000"
        );
        assert_eq!(
            Cell::Money(Decimal::from_str("-3.10").unwrap()).csv_text(),
            "-3.10"
        );
    }
}
