//! `--json`: one JSON object per line on stdout for each event, each with an `event` field.

use std::io;

use i18n::Catalogue;
use replenish_core::endpoint::SessionTarget;
use replenish_core::event::{
    CertificateProblem, ConnectErrorKind, LostCause, ProtocolErrorKind, SessionEvent,
};
use serde::Serialize;

use crate::json_final::FinalJson;
use crate::output::{AlreadyStored, EventSink, Output};
use crate::signals::StopCause;

/// One output line. The enum tag becomes the `event` field, written first.
#[derive(Debug, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum JsonEvent<'a> {
    /// The endpoint carries the device number and the masked token.
    Connecting {
        endpoint: String,
        /// As typed, digits only, so leading zeros stay.
        device_no: &'a str,
    },
    Connected,
    DoorOpened {
        message: Option<&'a str>,
        /// Local time the door frame arrived, in ms since the Unix epoch.
        at_ms: u64,
    },
    DoorFailed {
        message: Option<&'a str>,
        code: Option<i64>,
    },
    Final(FinalJson<'a>),
    Failure {
        message: Option<&'a str>,
        code: Option<i64>,
    },
    ProtocolError {
        kind: &'static str,
        reason: &'a str,
        excerpt: &'a str,
    },
    UnknownType {
        type_name: &'a str,
    },
    ConnectFailed {
        kind: &'static str,
        reason: &'a str,
    },
    HandshakeRejected {
        status: u16,
        body: &'a str,
    },
    DoorTimedOut {
        seconds: u64,
    },
    Interrupted {
        cause: &'static str,
        close_code: Option<u16>,
        reason: &'a str,
        next_attempt: u32,
        max_attempts: u32,
        delay_ms: u64,
    },
    Reconnecting {
        attempt: u32,
        max_attempts: u32,
    },
    ConnectionLost {
        cause: &'static str,
        close_code: Option<u16>,
        reason: &'a str,
    },
    Timeout {
        seconds: u64,
    },
    Cancelled,
    Closed {
        close_code: u16,
    },
    /// Follows `final` when the record store already contained this list: the same server sent
    /// the record id before, and `existing_session` stored it. Session ids are the record store's.
    AlreadyStored {
        record_id: Option<i64>,
        session: i64,
        existing_session: i64,
    },
}

impl<'a> JsonEvent<'a> {
    /// Converts a session event, with its final list grouped and totalled.
    pub fn from_event(event: &'a SessionEvent) -> Self {
        match event {
            SessionEvent::Connected => JsonEvent::Connected,
            SessionEvent::DoorOpened { message, at_ms } => JsonEvent::DoorOpened {
                message: message.as_deref(),
                at_ms: *at_ms,
            },
            SessionEvent::DoorFailed { message, code } => JsonEvent::DoorFailed {
                message: message.as_deref(),
                code: *code,
            },
            SessionEvent::FinalList(list) => JsonEvent::Final(FinalJson::new(list)),
            SessionEvent::Failure { message, code } => JsonEvent::Failure {
                message: message.as_deref(),
                code: *code,
            },
            SessionEvent::ProtocolError {
                kind,
                reason,
                excerpt,
            } => JsonEvent::ProtocolError {
                kind: protocol_error_name(*kind),
                reason,
                excerpt,
            },
            SessionEvent::UnknownType { type_name } => JsonEvent::UnknownType { type_name },
            SessionEvent::ConnectFailed { kind, reason } => JsonEvent::ConnectFailed {
                kind: connect_error_name(*kind),
                reason,
            },
            SessionEvent::HandshakeRejected {
                status,
                body_excerpt,
            } => JsonEvent::HandshakeRejected {
                status: *status,
                body: body_excerpt,
            },
            SessionEvent::DoorTimedOut { waited_secs } => JsonEvent::DoorTimedOut {
                seconds: *waited_secs,
            },
            SessionEvent::ConnectionLost {
                cause,
                close_code,
                reason,
            } => JsonEvent::ConnectionLost {
                cause: lost_cause_name(*cause),
                close_code: *close_code,
                reason,
            },
            SessionEvent::Interrupted {
                cause,
                close_code,
                reason,
                next_attempt,
                max_attempts,
                delay_ms,
                ..
            } => JsonEvent::Interrupted {
                cause: lost_cause_name(*cause),
                close_code: *close_code,
                reason,
                next_attempt: *next_attempt,
                max_attempts: *max_attempts,
                delay_ms: *delay_ms,
            },
            SessionEvent::Reconnecting {
                attempt,
                max_attempts,
            } => JsonEvent::Reconnecting {
                attempt: *attempt,
                max_attempts: *max_attempts,
            },
            SessionEvent::Cancelled => JsonEvent::Cancelled,
            SessionEvent::Closed { close_code } => JsonEvent::Closed {
                close_code: *close_code,
            },
        }
    }
}

/// Writes JSON lines on stdout. Messages for people (an interrupt) go to stderr, so stdout holds
/// only JSON.
pub struct JsonSink {
    output: Output,
    catalogue: &'static Catalogue,
}

impl JsonSink {
    pub fn new(output: Output, catalogue: &'static Catalogue) -> Self {
        Self { output, catalogue }
    }

    fn write(&mut self, event: &JsonEvent<'_>) -> io::Result<()> {
        let line = serde_json::to_string(event).map_err(io::Error::other)?;
        self.output.line(&line)
    }
}

impl EventSink for JsonSink {
    fn connecting(&mut self, target: &SessionTarget) -> io::Result<()> {
        self.write(&JsonEvent::Connecting {
            endpoint: target.display_url(),
            device_no: target.device_no(),
        })
    }

    fn event(&mut self, event: &SessionEvent) -> io::Result<()> {
        self.write(&JsonEvent::from_event(event))
    }

    fn stopping(&mut self, cause: StopCause, timeout_secs: Option<u64>) -> io::Result<()> {
        match cause {
            StopCause::Timeout => self.write(&JsonEvent::Timeout {
                seconds: timeout_secs.unwrap_or_default(),
            }),
            StopCause::Interrupt => {
                self.output
                    .diagnostic(self.catalogue.text("cli.watch.interrupted"));
                Ok(())
            }
            StopCause::Terminate => {
                self.output
                    .diagnostic(self.catalogue.text("cli.watch.terminated"));
                Ok(())
            }
        }
    }

    fn already_stored(&mut self, stored: &AlreadyStored) -> io::Result<()> {
        self.write(&JsonEvent::AlreadyStored {
            record_id: stored.record_id,
            session: stored.session.0,
            existing_session: stored.existing.0,
        })
    }
}

/// Returns the snake_case name of a connect failure kind, for scripts to branch on.
fn connect_error_name(kind: ConnectErrorKind) -> &'static str {
    match kind {
        ConnectErrorKind::Refused => "refused",
        ConnectErrorKind::TimedOut => "timed_out",
        ConnectErrorKind::Dns => "dns",
        ConnectErrorKind::Tls => "tls",
        ConnectErrorKind::Certificate(CertificateProblem::UnknownIssuer) => {
            "certificate_unknown_issuer"
        }
        ConnectErrorKind::Certificate(CertificateProblem::Expired { .. }) => "certificate_expired",
        ConnectErrorKind::Certificate(CertificateProblem::WrongHost) => "certificate_wrong_host",
        ConnectErrorKind::Certificate(CertificateProblem::Other) => "certificate_invalid",
        ConnectErrorKind::Reset => "reset",
        ConnectErrorKind::NotWebSocket => "not_websocket",
        ConnectErrorKind::Other => "other",
    }
}

/// Returns the snake_case name of the way a connection was lost.
fn lost_cause_name(cause: LostCause) -> &'static str {
    match cause {
        LostCause::ServerClosed => "server_closed",
        LostCause::Reset => "reset",
        LostCause::DeadPeer => "dead_peer",
        LostCause::TooLarge => "too_large",
        LostCause::InvalidText => "invalid_text",
        LostCause::Unreachable => "unreachable",
        LostCause::Other => "other",
    }
}

/// Returns the snake_case name of a protocol error kind.
fn protocol_error_name(kind: ProtocolErrorKind) -> &'static str {
    match kind {
        ProtocolErrorKind::NotJson => "not_json",
        ProtocolErrorKind::NotAnObject => "not_an_object",
        ProtocolErrorKind::MissingType => "missing_type",
        ProtocolErrorKind::MissingField => "missing_field",
        ProtocolErrorKind::InvalidField => "invalid_field",
        ProtocolErrorKind::Binary => "binary",
        ProtocolErrorKind::NotUtf8 => "not_utf8",
    }
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;

    fn to_value(event: &SessionEvent) -> Value {
        serde_json::to_value(JsonEvent::from_event(event)).unwrap()
    }

    #[test]
    fn event_field_comes_first() {
        let line = serde_json::to_string(&JsonEvent::from_event(&SessionEvent::Closed {
            close_code: 1000,
        }))
        .unwrap();
        assert_eq!(line, r#"{"event":"closed","close_code":1000}"#);
    }

    #[test]
    fn events_keep_their_fields() {
        let rejected = to_value(&SessionEvent::HandshakeRejected {
            status: 401,
            body_excerpt: "invalid token".to_owned(),
        });
        assert_eq!(rejected["event"], "handshake_rejected");
        assert_eq!(rejected["status"], 401);
        assert_eq!(rejected["body"], "invalid token");

        let lost = to_value(&SessionEvent::ConnectionLost {
            cause: LostCause::Reset,
            close_code: None,
            reason: "reset".to_owned(),
        });
        assert_eq!(lost["event"], "connection_lost");
        assert_eq!(lost["close_code"], Value::Null);
        assert_eq!(lost["cause"], "reset");

        let door = to_value(&SessionEvent::DoorFailed {
            message: Some("网络不畅,请稍后再试".to_owned()),
            code: Some(7),
        });
        assert_eq!(door["message"], "网络不畅,请稍后再试");
        assert_eq!(door["code"], 7);

        assert_eq!(
            to_value(&SessionEvent::Cancelled),
            serde_json::json!({"event": "cancelled"})
        );
    }
}
