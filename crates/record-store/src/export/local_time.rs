//! Conversion of stored UTC times to the wall-clock time of the export.

use chrono::{DateTime, FixedOffset, Local, NaiveDateTime, Timelike};

use super::{ExportError, ExportTimeZone};

/// Checks the time zone once, so every row converts the same way.
pub(crate) fn validate(time_zone: ExportTimeZone) -> Result<(), ExportError> {
    match time_zone {
        ExportTimeZone::Local => Ok(()),
        ExportTimeZone::FixedOffset { seconds_east } => FixedOffset::east_opt(seconds_east)
            .map(|_| ())
            .ok_or(ExportError::InvalidOffset { seconds_east }),
    }
}

/// Converts ms since the Unix epoch to the wall-clock time in `time_zone`, to the second.
pub(crate) fn wall_clock(
    at_ms: u64,
    time_zone: ExportTimeZone,
) -> Result<NaiveDateTime, ExportError> {
    let utc = i64::try_from(at_ms)
        .ok()
        .and_then(DateTime::from_timestamp_millis)
        .ok_or(ExportError::InvalidTime { at_ms })?;

    let wall = match time_zone {
        ExportTimeZone::Local => utc.with_timezone(&Local).naive_local(),
        ExportTimeZone::FixedOffset { seconds_east } => {
            let offset = FixedOffset::east_opt(seconds_east)
                .ok_or(ExportError::InvalidOffset { seconds_east })?;
            utc.with_timezone(&offset).naive_local()
        }
    };

    // Exports show whole seconds, and dropping the milliseconds keeps CSV and XLSX equal.
    Ok(wall.with_nanosecond(0).unwrap_or(wall))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_offset_shifts_hours() {
        // 2024-05-01 06:30:15.750 UTC is 14:30:15 in UTC+8.
        let wall = wall_clock(
            1_714_545_015_750,
            ExportTimeZone::FixedOffset {
                seconds_east: 28_800,
            },
        )
        .unwrap();
        assert_eq!(wall.to_string(), "2024-05-01 14:30:15");
    }

    #[test]
    fn invalid_offset_is_rejected() {
        let error = validate(ExportTimeZone::FixedOffset {
            seconds_east: 90_000,
        })
        .unwrap_err();
        assert!(matches!(
            error,
            ExportError::InvalidOffset {
                seconds_east: 90_000
            }
        ));
    }
}
