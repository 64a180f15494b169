//! Conversion of stored UTC times to the wall-clock time of the export.

use chrono::{
    DateTime, FixedOffset, Local, NaiveDate, NaiveDateTime, TimeDelta, TimeZone, Timelike,
};

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

/// Returns the first instant of `date` in `time_zone`, in ms since the Unix epoch. Returns `None`
/// for an invalid offset, for dates before 1970, and for a day whose first two hours the time zone
/// skipped, e.g. a day that a zone skipped entirely when it moved across the date line.
pub(crate) fn start_of_day_ms(date: NaiveDate, time_zone: ExportTimeZone) -> Option<u64> {
    match time_zone {
        ExportTimeZone::Local => first_instant(&Local, date),
        ExportTimeZone::FixedOffset { seconds_east } => {
            first_instant(&FixedOffset::east_opt(seconds_east)?, date)
        }
    }
}

fn first_instant<Tz: TimeZone>(time_zone: &Tz, date: NaiveDate) -> Option<u64> {
    let midnight = date.and_hms_opt(0, 0, 0)?;
    // Where daylight saving time starts at midnight, the clock skips from 00:00 to 01:00, so the
    // day starts at the first wall-clock time that exists. The search covers two hours, twice the
    // usual one-hour shift, and a longer gap gives `None`.
    let first = (0..=8)
        .map(|quarter| midnight + TimeDelta::minutes(15 * quarter))
        .find_map(|wall| time_zone.from_local_datetime(&wall).earliest())?;
    u64::try_from(first.timestamp_millis()).ok()
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
    fn day_starts_at_local_midnight() {
        let date = NaiveDate::from_ymd_opt(2024, 5, 1).unwrap();
        let china = ExportTimeZone::FixedOffset {
            seconds_east: 28_800,
        };
        // 2024-05-01 00:00 in UTC+8 is 2024-04-30 16:00 UTC.
        assert_eq!(start_of_day_ms(date, china), Some(1_714_492_800_000));

        let before_epoch = NaiveDate::from_ymd_opt(1969, 12, 31).unwrap();
        assert_eq!(start_of_day_ms(before_epoch, china), None);
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
