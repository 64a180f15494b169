//! The session state machine: the one place that decides what each event means.

use crate::event::{ConnectErrorKind, LostCause, SessionEvent};

/// The reason a session failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FailureReason {
    /// The door frame reported that the door did not open.
    DoorFailed {
        message: Option<String>,
        code: Option<i64>,
    },
    /// A `failure` frame: the server refused to create the session.
    Refused {
        message: Option<String>,
        code: Option<i64>,
    },
    /// The connection could not be opened.
    ConnectFailed {
        kind: ConnectErrorKind,
        reason: String,
    },
    /// The server rejected the WebSocket handshake.
    HandshakeRejected { status: u16, body_excerpt: String },
    /// The door never opened within the wait.
    DoorTimedOut { waited_secs: u64 },
}

/// The current state of a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionState {
    Connecting,
    WaitingForDoor,
    /// The door is open; `since_ms` is when the door frame arrived, in ms since the Unix epoch.
    DoorOpen {
        since_ms: u64,
    },
    /// The final list arrived.
    Finished,
    Failed(FailureReason),
    Cancelled,
    /// The connection dropped; the client waits until `retry_at_ms` to connect again. The door
    /// time is kept so a reconnect that finds the door open picks up where the session was.
    Interrupted {
        cause: LostCause,
        close_code: Option<u16>,
        reason: String,
        next_attempt: u32,
        max_attempts: u32,
        retry_at_ms: u64,
        door_opened_at_ms: Option<u64>,
    },
    /// The client is connecting again after an interruption.
    Reconnecting {
        attempt: u32,
        max_attempts: u32,
        door_opened_at_ms: Option<u64>,
    },
    /// The connection dropped before the final list, and no reconnect follows.
    ConnectionLost {
        cause: LostCause,
        close_code: Option<u16>,
        reason: String,
    },
}

impl SessionState {
    /// Returns the state after `event`. Ended states stay as they are whatever arrives later, so
    /// a late frame cannot turn a finished session into a failed one.
    pub fn apply(&self, event: &SessionEvent) -> SessionState {
        if self.is_ended() {
            return self.clone();
        }

        match event {
            SessionEvent::Connected => match self {
                SessionState::Connecting => SessionState::WaitingForDoor,
                // The door frame is not sent again on a new connection, so a door seen open
                // before the interruption counts as still open.
                SessionState::Reconnecting {
                    door_opened_at_ms: Some(since_ms),
                    ..
                } => SessionState::DoorOpen {
                    since_ms: *since_ms,
                },
                SessionState::Reconnecting { .. } => SessionState::WaitingForDoor,
                other => other.clone(),
            },
            SessionEvent::Interrupted {
                cause,
                close_code,
                reason,
                next_attempt,
                max_attempts,
                retry_at_ms,
                ..
            } => SessionState::Interrupted {
                cause: *cause,
                close_code: *close_code,
                reason: reason.clone(),
                next_attempt: *next_attempt,
                max_attempts: *max_attempts,
                retry_at_ms: *retry_at_ms,
                door_opened_at_ms: self.door_opened_at_ms(),
            },
            SessionEvent::Reconnecting {
                attempt,
                max_attempts,
            } => SessionState::Reconnecting {
                attempt: *attempt,
                max_attempts: *max_attempts,
                door_opened_at_ms: self.door_opened_at_ms(),
            },
            // A repeated door frame, on this connection or after a reconnect, keeps the first
            // opening time.
            SessionEvent::DoorOpened { at_ms, .. } => SessionState::DoorOpen {
                since_ms: self.door_opened_at_ms().unwrap_or(*at_ms),
            },
            SessionEvent::DoorFailed { message, code } => {
                SessionState::Failed(FailureReason::DoorFailed {
                    message: message.clone(),
                    code: *code,
                })
            }
            SessionEvent::FinalList(_) => SessionState::Finished,
            SessionEvent::Failure { message, code } => {
                SessionState::Failed(FailureReason::Refused {
                    message: message.clone(),
                    code: *code,
                })
            }
            SessionEvent::ConnectFailed { kind, reason } => {
                SessionState::Failed(FailureReason::ConnectFailed {
                    kind: *kind,
                    reason: reason.clone(),
                })
            }
            SessionEvent::HandshakeRejected {
                status,
                body_excerpt,
            } => SessionState::Failed(FailureReason::HandshakeRejected {
                status: *status,
                body_excerpt: body_excerpt.clone(),
            }),
            SessionEvent::DoorTimedOut { waited_secs } => match self {
                SessionState::DoorOpen { .. } => self.clone(),
                _ => SessionState::Failed(FailureReason::DoorTimedOut {
                    waited_secs: *waited_secs,
                }),
            },
            SessionEvent::ConnectionLost {
                cause,
                close_code,
                reason,
            } => SessionState::ConnectionLost {
                cause: *cause,
                close_code: *close_code,
                reason: reason.clone(),
            },
            SessionEvent::Cancelled => SessionState::Cancelled,
            SessionEvent::ProtocolError { .. }
            | SessionEvent::UnknownType { .. }
            | SessionEvent::Closed { .. } => self.clone(),
        }
    }

    /// When the door was seen open in this session, if it was, across reconnects.
    pub fn door_opened_at_ms(&self) -> Option<u64> {
        match self {
            SessionState::DoorOpen { since_ms } => Some(*since_ms),
            SessionState::Interrupted {
                door_opened_at_ms, ..
            }
            | SessionState::Reconnecting {
                door_opened_at_ms, ..
            } => *door_opened_at_ms,
            _ => None,
        }
    }

    /// True while the client has no connection and is waiting to open one again.
    pub fn is_reconnecting(&self) -> bool {
        matches!(
            self,
            SessionState::Interrupted { .. } | SessionState::Reconnecting { .. }
        )
    }

    /// True once nothing more can happen in this session.
    pub fn is_ended(&self) -> bool {
        matches!(
            self,
            SessionState::Finished
                | SessionState::Failed(_)
                | SessionState::Cancelled
                | SessionState::ConnectionLost { .. }
        )
    }

    /// True when the client should close the open connection normally (code 1000): after the
    /// final list, a failure frame, a failed door, a door timeout or a cancel. A lost connection
    /// has nothing left to close, and a failed connect never had one.
    pub fn closes_connection(&self) -> bool {
        match self {
            SessionState::Finished | SessionState::Cancelled => true,
            SessionState::Failed(reason) => matches!(
                reason,
                FailureReason::DoorFailed { .. }
                    | FailureReason::Refused { .. }
                    | FailureReason::DoorTimedOut { .. }
            ),
            _ => false,
        }
    }

    /// Returns the state's name in snake_case, for logs, styling and tests.
    pub fn phase(&self) -> &'static str {
        match self {
            SessionState::Connecting => "connecting",
            SessionState::WaitingForDoor => "waiting_for_door",
            SessionState::DoorOpen { .. } => "door_open",
            SessionState::Finished => "finished",
            SessionState::Failed(FailureReason::DoorFailed { .. }) => "door_failed",
            SessionState::Failed(_) => "failed",
            SessionState::Cancelled => "cancelled",
            SessionState::Interrupted { .. } => "interrupted",
            SessionState::Reconnecting { .. } => "reconnecting",
            SessionState::ConnectionLost { .. } => "connection_lost",
        }
    }
}
