//! The outcome of a session, as stored in the `outcome` column.

use std::fmt;

use replenish_core::state::{FailureReason, SessionState};
use serde::{Deserialize, Serialize};

/// The way a session ended, or `InProgress` while it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The session has not ended yet.
    InProgress,
    /// The final list arrived and is stored.
    Final,
    /// The server sent a `failure` frame: it could not create the session.
    Failure,
    /// The door frame reported that the door did not open.
    DoorFailed,
    /// No door frame arrived within the wait.
    DoorTimedOut,
    /// The connection could not be opened, or the server rejected the handshake.
    ConnectFailed,
    /// The connection dropped before the final list.
    ConnectionLost,
    /// The user cancelled the session.
    Cancelled,
    /// The app stopped (crash, power loss, killed) before the session ended. Set by
    /// [`crate::RecordStore::recover`].
    Interrupted,
}

impl Outcome {
    /// Every outcome, in the order of the enum.
    pub const ALL: [Outcome; 9] = [
        Outcome::InProgress,
        Outcome::Final,
        Outcome::Failure,
        Outcome::DoorFailed,
        Outcome::DoorTimedOut,
        Outcome::ConnectFailed,
        Outcome::ConnectionLost,
        Outcome::Cancelled,
        Outcome::Interrupted,
    ];

    /// Returns the snake_case name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::InProgress => "in_progress",
            Outcome::Final => "final",
            Outcome::Failure => "failure",
            Outcome::DoorFailed => "door_failed",
            Outcome::DoorTimedOut => "door_timed_out",
            Outcome::ConnectFailed => "connect_failed",
            Outcome::ConnectionLost => "connection_lost",
            Outcome::Cancelled => "cancelled",
            Outcome::Interrupted => "interrupted",
        }
    }

    /// Parses a stored name. Returns `None` for names this build does not know.
    pub fn parse(name: &str) -> Option<Outcome> {
        Outcome::ALL
            .into_iter()
            .find(|outcome| outcome.as_str() == name)
    }

    /// True for every outcome but `InProgress`.
    pub fn is_ended(self) -> bool {
        self != Outcome::InProgress
    }

    /// Maps a state of the session state machine to the outcome it stands for.
    pub fn from_state(state: &SessionState) -> Outcome {
        match state {
            // A session waiting to reconnect has not ended: the next connection may still bring
            // the final list.
            SessionState::Connecting
            | SessionState::WaitingForDoor
            | SessionState::DoorOpen { .. }
            | SessionState::Interrupted { .. }
            | SessionState::Reconnecting { .. } => Outcome::InProgress,
            SessionState::Finished => Outcome::Final,
            SessionState::Failed(FailureReason::DoorFailed { .. }) => Outcome::DoorFailed,
            SessionState::Failed(FailureReason::Refused { .. }) => Outcome::Failure,
            SessionState::Failed(FailureReason::DoorTimedOut { .. }) => Outcome::DoorTimedOut,
            SessionState::Failed(
                FailureReason::ConnectFailed { .. } | FailureReason::HandshakeRejected { .. },
            ) => Outcome::ConnectFailed,
            SessionState::Cancelled => Outcome::Cancelled,
            SessionState::ConnectionLost { .. } => Outcome::ConnectionLost,
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for outcome in Outcome::ALL {
            assert_eq!(Outcome::parse(outcome.as_str()), Some(outcome));
        }
        assert_eq!(Outcome::parse("finished"), None);
    }

    #[test]
    fn serde_uses_stored_names() {
        for outcome in Outcome::ALL {
            let json = serde_json::to_string(&outcome).unwrap();
            assert_eq!(json, format!("\"{}\"", outcome.as_str()));
        }
    }

    #[test]
    fn state_maps_to_outcome() {
        let cases = [
            (SessionState::Connecting, Outcome::InProgress),
            (SessionState::DoorOpen { since_ms: 1 }, Outcome::InProgress),
            (SessionState::Finished, Outcome::Final),
            (
                SessionState::Failed(FailureReason::Refused {
                    message: None,
                    code: None,
                }),
                Outcome::Failure,
            ),
            (
                SessionState::Failed(FailureReason::HandshakeRejected {
                    status: 403,
                    body_excerpt: String::new(),
                }),
                Outcome::ConnectFailed,
            ),
            (
                SessionState::Failed(FailureReason::DoorTimedOut { waited_secs: 60 }),
                Outcome::DoorTimedOut,
            ),
            (SessionState::Cancelled, Outcome::Cancelled),
        ];
        for (state, expected) in cases {
            assert_eq!(Outcome::from_state(&state), expected, "{state:?}");
        }
    }
}
