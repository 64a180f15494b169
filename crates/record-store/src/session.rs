//! Input for starting and ending a session.

use std::fmt;

use replenish_core::state::{FailureReason, SessionState};
use serde::{Deserialize, Serialize};

use crate::outcome::Outcome;

/// The id of a stored session: the `sessions.id` column. Ids are never reused within one database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SessionId(pub i64);

impl fmt::Display for SessionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A session about to connect. Times are in ms since the Unix epoch (UTC).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSession {
    /// The cabinet's device number (`deviceNo`), as text.
    pub device_no: String,
    /// The name the user gave the cabinet, if any.
    pub device_name: Option<String>,
    /// The server's host and port, e.g. `test.ssib.gzncloud.com` or `127.0.0.1:9000`. Record ids
    /// are unique per server, so duplicates are detected per host.
    pub endpoint_host: String,
    pub started_at_ms: u64,
}

/// The end of a session: its outcome, the server's message and code, and the close code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ending {
    pub outcome: Outcome,
    /// The server's `msg`, shown to the user verbatim.
    pub server_message: Option<String>,
    /// The server's `code`.
    pub code: Option<i64>,
    /// The WebSocket close code, when a close frame was sent or received.
    pub close_code: Option<u16>,
    /// A local reason, e.g. why the connection failed or dropped. It contains no token.
    pub detail: Option<String>,
    /// When the session ended, in ms since the Unix epoch.
    pub at_ms: u64,
}

impl Ending {
    /// Builds the ending of a session whose state machine reached `state`.
    ///
    /// The server's message and code come from a failed door or a `failure` frame. Local reasons
    /// (connect errors, a rejected handshake, a door timeout, a lost connection) go to `detail`.
    pub fn from_state(state: &SessionState, close_code: Option<u16>, at_ms: u64) -> Ending {
        let mut ending = Ending {
            outcome: Outcome::from_state(state),
            server_message: None,
            code: None,
            close_code,
            detail: None,
            at_ms,
        };

        match state {
            SessionState::Failed(FailureReason::DoorFailed { message, code })
            | SessionState::Failed(FailureReason::Refused { message, code }) => {
                ending.server_message = message.clone();
                ending.code = *code;
            }
            SessionState::Failed(FailureReason::ConnectFailed { reason, .. }) => {
                ending.detail = Some(reason.clone());
            }
            SessionState::Failed(FailureReason::HandshakeRejected {
                status,
                body_excerpt,
            }) => {
                ending.detail = Some(format!("HTTP {status}: {body_excerpt}"));
            }
            SessionState::Failed(FailureReason::DoorTimedOut { waited_secs }) => {
                ending.detail = Some(format!("no door frame within {waited_secs} s"));
            }
            SessionState::ConnectionLost {
                close_code: lost_code,
                reason,
                ..
            } => {
                ending.close_code = close_code.or(*lost_code);
                ending.detail = Some(reason.clone());
            }
            _ => {}
        }
        ending
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ending_from_refused_keeps_server_message() {
        let state = SessionState::Failed(FailureReason::Refused {
            message: Some("有人正在购物".to_owned()),
            code: Some(1),
        });
        let ending = Ending::from_state(&state, Some(1000), 5);
        assert_eq!(ending.outcome, Outcome::Failure);
        assert_eq!(ending.server_message.as_deref(), Some("有人正在购物"));
        assert_eq!(ending.code, Some(1));
        assert_eq!(ending.close_code, Some(1000));
        assert_eq!(ending.detail, None);
    }

    #[test]
    fn ending_from_lost_connection_keeps_reason() {
        let state = SessionState::ConnectionLost {
            cause: replenish_core::event::LostCause::ServerClosed,
            close_code: Some(1006),
            reason: "reset by peer".to_owned(),
        };
        let ending = Ending::from_state(&state, None, 5);
        assert_eq!(ending.outcome, Outcome::ConnectionLost);
        assert_eq!(ending.close_code, Some(1006));
        assert_eq!(ending.detail.as_deref(), Some("reset by peer"));
    }
}
