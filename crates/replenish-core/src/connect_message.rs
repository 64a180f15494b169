//! The messages for a connection that could not be opened: what failed, naming the endpoint,
//! and what the user can try, one pair per kind of failure.

use crate::event::{CertificateProblem, ConnectErrorKind};
use crate::view::Message;

/// Builds the banner's detail line and next step for a failed connect. Only an unrecognized failure
/// shows the library's English message.
pub(crate) fn connect_failed(
    kind: ConnectErrorKind,
    reason: &str,
    endpoint_host: &str,
) -> (Message, Message) {
    let (detail, next) = match kind {
        ConnectErrorKind::Refused => ("session.detail.connect.refused", "next.connect.refused"),
        ConnectErrorKind::TimedOut => {
            ("session.detail.connect.timed_out", "next.connect.timed_out")
        }
        ConnectErrorKind::Dns => ("session.detail.connect.dns", "next.connect.dns"),
        ConnectErrorKind::Tls => ("session.detail.connect.tls", "next.connect.tls"),
        ConnectErrorKind::Certificate(problem) => {
            return certificate_rejected(problem, reason, endpoint_host)
        }
        ConnectErrorKind::Reset => ("session.detail.connect.reset", "next.connect.reset"),
        ConnectErrorKind::NotWebSocket => (
            "session.detail.connect.not_websocket",
            "next.connect.not_websocket",
        ),
        ConnectErrorKind::Other => {
            return (
                Message::new("session.detail.connect_failed").arg("error", reason),
                Message::new("next.connect_failed"),
            )
        }
    };
    (
        Message::new(detail).arg("endpoint", endpoint_host),
        Message::new(next),
    )
}

fn certificate_rejected(
    problem: CertificateProblem,
    reason: &str,
    endpoint_host: &str,
) -> (Message, Message) {
    let (detail, next) = match problem {
        CertificateProblem::UnknownIssuer => (
            Message::new("session.detail.connect.certificate_unknown_issuer"),
            "next.connect.certificate_unknown_issuer",
        ),
        CertificateProblem::Expired {
            not_after_unix: Some(not_after),
        } => (
            Message::new("session.detail.connect.certificate_expired")
                .arg("date", utc_date(not_after)),
            "next.connect.certificate_expired",
        ),
        CertificateProblem::Expired {
            not_after_unix: None,
        } => (
            Message::new("session.detail.connect.certificate_expired_undated"),
            "next.connect.certificate_expired",
        ),
        CertificateProblem::WrongHost => (
            Message::new("session.detail.connect.certificate_wrong_host"),
            "next.connect.certificate_wrong_host",
        ),
        CertificateProblem::Other => (
            Message::new("session.detail.connect.certificate_other").arg("error", reason),
            "next.connect.certificate_other",
        ),
    };
    (detail.arg("endpoint", endpoint_host), Message::new(next))
}

/// Builds the banner's detail line and next step for a handshake rejected with `status`. For a
/// redirect, `body_excerpt` is the `Location`, and the message names its host.
pub(crate) fn handshake_rejected(
    status: u16,
    body_excerpt: &str,
    endpoint_host: &str,
) -> (Message, Message) {
    if (300..400).contains(&status) {
        let location = url::Url::parse(body_excerpt)
            .ok()
            .and_then(|url| url.host_str().map(str::to_owned))
            // A relative Location points at the same host.
            .unwrap_or_else(|| endpoint_host.to_owned());
        let detail = Message::new("session.detail.handshake_redirected")
            .arg("endpoint", endpoint_host)
            .arg("status", status.to_string())
            .arg("location", location);
        return (detail, Message::new("next.handshake_redirected"));
    }

    let detail = Message::new("session.detail.handshake_rejected")
        .arg("status", status.to_string())
        .arg("body", body_excerpt);
    (detail, Message::new("next.handshake_rejected"))
}

/// Formats seconds since the Unix epoch as a UTC date, `YYYY-MM-DD`.
fn utc_date(unix_secs: u64) -> String {
    let days = i64::try_from(unix_secs / 86_400).unwrap_or(i64::MAX / 2);
    let (year, month, day) = civil_from_days(days);
    format!("{year:04}-{month:02}-{day:02}")
}

/// Converts days since 1970-01-01 to a proleptic Gregorian date, by Howard Hinnant's
/// `civil_from_days` algorithm (<https://howardhinnant.github.io/date_algorithms.html>).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let shifted = days + 719_468;
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_index + 2) / 5 + 1) as u32;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_dates_of_known_instants() {
        assert_eq!(utc_date(0), "1970-01-01");
        assert_eq!(utc_date(1_609_459_200), "2021-01-01");
        assert_eq!(utc_date(1_582_934_400), "2020-02-29");
        assert_eq!(utc_date(4_102_444_799), "2099-12-31");
    }
}
