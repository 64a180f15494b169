//! The History filter form and its validation.

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};
use replenish_core::view::Message;
use serde::Deserialize;

use crate::export::local_time::start_of_day_ms;
use crate::export::ExportTimeZone;
use crate::filter::Filter;
use crate::outcome::Outcome;

/// The maximum length of the product name text, in characters.
pub const MAX_PRODUCT_TEXT_CHARS: usize = 100;

/// The maximum number of digits of a device number, as on the start form.
const MAX_DEVICE_DIGITS: usize = 18;

/// The maximum number of characters of a rejected value that an error message repeats.
const MAX_ECHOED_CHARS: usize = 40;

/// Date formats of the date inputs: the ISO form that `<input type="date">` sends, and the slashed
/// form a user may type where the webview shows a plain text input.
const DATE_FORMATS: [&str; 2] = ["%Y-%m-%d", "%Y/%m/%d"];

/// The History filter form as the page sends it. Empty text leaves a condition out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct HistoryRequest {
    pub device_no: String,
    /// The first day, "YYYY-MM-DD", in the time zone given to [`HistoryRequest::to_filter`].
    pub from: String,
    /// The last day, included, "YYYY-MM-DD".
    pub to: String,
    /// A stored outcome name such as "final", or empty for every outcome.
    pub outcome: String,
    /// Text that a product name of the session must contain.
    pub product: String,
}

/// Error messages keyed by the request field's camelCase name, as the page names its inputs.
pub type FieldErrors = BTreeMap<&'static str, Message>;

impl HistoryRequest {
    /// Validates every field and builds the filter, or returns an error for each invalid field.
    ///
    /// `from` selects sessions started at or after the first instant of that day in `time_zone`,
    /// and `to` those started before the next day begins, so both days are included.
    pub fn to_filter(&self, time_zone: ExportTimeZone) -> Result<Filter, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut filter = Filter::default();

        match parse_device_no(&self.device_no) {
            Ok(device_no) => filter.device_no = device_no,
            Err(message) => {
                errors.insert("deviceNo", message);
            }
        }

        let from = parse_day(&self.from);
        let to = parse_day(&self.to);
        if let (Ok(Some(from)), Ok(Some(to))) = (&from, &to) {
            if to < from {
                errors.insert("to", Message::new("history.filter.date_order"));
            }
        }
        match from.and_then(|day| day_start_ms(day, &self.from, time_zone)) {
            Ok(from_ms) => filter.from_ms = from_ms,
            Err(message) => {
                errors.insert("from", message);
            }
        }
        match to.and_then(|day| day_end_ms(day, &self.to, time_zone)) {
            Ok(to_ms) => filter.to_ms = to_ms,
            Err(message) => {
                errors.entry("to").or_insert(message);
            }
        }

        match parse_outcome(&self.outcome) {
            Ok(outcomes) => filter.outcomes = outcomes,
            Err(message) => {
                errors.insert("outcome", message);
            }
        }

        match parse_product(&self.product) {
            Ok(product) => filter.product_name_contains = product,
            Err(message) => {
                errors.insert("product", message);
            }
        }

        if errors.is_empty() {
            Ok(filter)
        } else {
            Err(errors)
        }
    }
}

fn parse_device_no(text: &str) -> Result<Option<String>, Message> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if text.len() > MAX_DEVICE_DIGITS || !text.bytes().all(|byte| byte.is_ascii_digit()) {
        return Err(Message::new("form.device.invalid"));
    }
    Ok(Some(text.to_owned()))
}

fn parse_day(text: &str) -> Result<Option<NaiveDate>, Message> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    DATE_FORMATS
        .iter()
        .find_map(|format| NaiveDate::parse_from_str(text, format).ok())
        .map(Some)
        .ok_or_else(|| date_invalid(text))
}

/// Returns the first instant of `day` in ms. A day before 1970 is rejected with the text the user
/// entered, because the store keeps no earlier times.
fn day_start_ms(
    day: Option<NaiveDate>,
    entered: &str,
    time_zone: ExportTimeZone,
) -> Result<Option<u64>, Message> {
    day.map(|day| start_of_day_ms(day, time_zone).ok_or_else(|| date_invalid(entered)))
        .transpose()
}

/// Returns the first instant after `day` in ms, the exclusive end of a filter that includes `day`.
fn day_end_ms(
    day: Option<NaiveDate>,
    entered: &str,
    time_zone: ExportTimeZone,
) -> Result<Option<u64>, Message> {
    let next_day = day
        .map(|day| {
            day.checked_add_days(Days::new(1))
                .ok_or_else(|| date_invalid(entered))
        })
        .transpose()?;
    day_start_ms(next_day, entered, time_zone)
}

fn date_invalid(text: &str) -> Message {
    Message::new("history.filter.date_invalid").arg("value", echo(text))
}

fn parse_outcome(text: &str) -> Result<Vec<Outcome>, Message> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(Vec::new());
    }
    Outcome::parse(text)
        .map(|outcome| vec![outcome])
        .ok_or_else(|| Message::new("history.filter.outcome_invalid").arg("value", echo(text)))
}

fn parse_product(text: &str) -> Result<Option<String>, Message> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if text.chars().count() > MAX_PRODUCT_TEXT_CHARS {
        return Err(Message::new("history.filter.product_too_long")
            .arg("max", MAX_PRODUCT_TEXT_CHARS.to_string()));
    }
    Ok(Some(text.to_owned()))
}

/// Returns the start of `text`, so an error message never repeats a pasted novel.
fn echo(text: &str) -> String {
    text.trim().chars().take(MAX_ECHOED_CHARS).collect()
}
