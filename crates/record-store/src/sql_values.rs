//! Conversions between Rust values and the SQL columns that store them.

use rust_decimal::Decimal;

use crate::error::StoreError;
use crate::session::SessionId;

/// Converts ms since the Unix epoch to SQLite's signed 64-bit INTEGER.
pub(crate) fn ms_to_sql(at_ms: u64) -> Result<i64, StoreError> {
    i64::try_from(at_ms).map_err(|_| StoreError::TimeOutOfRange { at_ms })
}

/// Converts a stored time back, rejecting negative values that only another program could write.
pub(crate) fn ms_from_sql(
    session: SessionId,
    column: &'static str,
    value: i64,
) -> Result<u64, StoreError> {
    u64::try_from(value).map_err(|_| StoreError::InvalidStoredValue {
        session,
        column,
        value: value.to_string(),
        reason: "a time before 1970".to_owned(),
    })
}

/// Formats a decimal with its scale, so "6.50000" is stored as sent and not as "6.5".
pub(crate) fn decimal_to_sql(value: Decimal) -> String {
    value.to_string()
}

/// Parses a stored decimal exactly.
pub(crate) fn decimal_from_sql(
    session: SessionId,
    column: &'static str,
    text: &str,
) -> Result<Decimal, StoreError> {
    Decimal::from_str_exact(text).map_err(|error| StoreError::InvalidStoredValue {
        session,
        column,
        value: text.to_owned(),
        reason: error.to_string(),
    })
}

/// Converts a stored WebSocket close code back to `u16`.
pub(crate) fn close_code_from_sql(session: SessionId, value: i64) -> Result<u16, StoreError> {
    u16::try_from(value).map_err(|_| StoreError::InvalidStoredValue {
        session,
        column: "close_code",
        value: value.to_string(),
        reason: "not a WebSocket close code".to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    #[test]
    fn decimal_keeps_scale_and_digits() {
        for text in ["6.50000", "12345678901234.56789", "0", "-3.10", "0.00001"] {
            let value = Decimal::from_str(text).unwrap();
            let stored = decimal_to_sql(value);
            assert_eq!(stored, text);
            let read = decimal_from_sql(SessionId(1), "sale_price", &stored).unwrap();
            assert_eq!(read.to_string(), text);
            assert_eq!(read.scale(), value.scale());
        }
    }

    #[test]
    fn decimal_rejects_text() {
        assert!(decimal_from_sql(SessionId(1), "sale_price", "six").is_err());
    }

    #[test]
    fn time_above_i64_is_rejected() {
        assert!(matches!(
            ms_to_sql(u64::MAX),
            Err(StoreError::TimeOutOfRange { at_ms: u64::MAX })
        ));
        assert_eq!(ms_to_sql(1_700_000_000_000).unwrap(), 1_700_000_000_000);
    }
}
