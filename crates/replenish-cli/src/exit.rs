//! The exit status of `replenish`, documented in `replenish watch --help` and
//! `replenish records list --help`.

use replenish_core::state::{FailureReason, SessionState};

use crate::signals::StopCause;

/// The exit status of the process. The numbers are part of the command's interface for scripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// The final list arrived, the records were listed or exported, or help or the version was
    /// printed.
    Success,
    /// `records export` found no session that matches the filter and wrote no file, as `grep`
    /// exits 1 when nothing matches.
    NothingSelected,
    /// The server sent a `failure` frame: it could not create the session.
    Refused,
    /// The door did not open: a failed `door` frame or no door frame within the wait.
    DoorNotOpened,
    /// No connection, a rejected handshake, or a connection that ended before the final list.
    Connection,
    /// The `--timeout` elapsed.
    TimedOut,
    /// Invalid command line, as `EX_USAGE` of BSD's sysexits.h.
    Usage,
    /// The record store could not be opened or read, as `EX_NOINPUT`.
    RecordsUnavailable,
    /// The event loop could not start or the session task failed, as `EX_SOFTWARE`.
    Internal,
    /// The export file already exists and `--force` was not given, or it could not be created or
    /// written, as `EX_CANTCREAT`.
    CannotCreate,
    /// Standard output could not be written, as `EX_IOERR` of sysexits.h.
    Output,
    /// SIGINT (Ctrl-C), as shells report a process ended by that signal (128 + 2).
    Interrupted,
    /// SIGTERM (128 + 15).
    Terminated,
}

impl Exit {
    pub fn code(self) -> u8 {
        match self {
            Exit::Success => 0,
            Exit::NothingSelected => 1,
            Exit::Refused => 2,
            Exit::DoorNotOpened => 3,
            Exit::Connection => 4,
            Exit::TimedOut => 5,
            Exit::Usage => 64,
            Exit::RecordsUnavailable => 66,
            Exit::Internal => 70,
            Exit::CannotCreate => 73,
            Exit::Output => 74,
            Exit::Interrupted => 130,
            Exit::Terminated => 143,
        }
    }

    /// Maps the end state of a session to the exit status. `stop` is why the command cancelled
    /// the session, if it did.
    pub fn for_session(state: &SessionState, stop: Option<StopCause>) -> Exit {
        match state {
            SessionState::Finished => Exit::Success,
            SessionState::Failed(FailureReason::Refused { .. }) => Exit::Refused,
            SessionState::Failed(
                FailureReason::DoorFailed { .. } | FailureReason::DoorTimedOut { .. },
            ) => Exit::DoorNotOpened,
            SessionState::Failed(
                FailureReason::ConnectFailed { .. } | FailureReason::HandshakeRejected { .. },
            )
            | SessionState::ConnectionLost { .. } => Exit::Connection,
            SessionState::Cancelled => match stop {
                Some(StopCause::Timeout) => Exit::TimedOut,
                Some(StopCause::Terminate) => Exit::Terminated,
                // Only this command cancels the session, and it records the cause first, so `None`
                // does not occur. An interrupt is the closest meaning.
                Some(StopCause::Interrupt) | None => Exit::Interrupted,
            },
            // `run_session` returns only ended states. A session that stopped earlier did not
            // deliver its final list, which is what code 4 reports.
            SessionState::Connecting
            | SessionState::WaitingForDoor
            | SessionState::DoorOpen { .. }
            | SessionState::Interrupted { .. }
            | SessionState::Reconnecting { .. } => Exit::Connection,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_states_map_to_codes() {
        let refused = SessionState::Failed(FailureReason::Refused {
            message: None,
            code: None,
        });
        let door_failed = SessionState::Failed(FailureReason::DoorFailed {
            message: None,
            code: Some(1),
        });
        let door_timed_out = SessionState::Failed(FailureReason::DoorTimedOut { waited_secs: 1 });
        let rejected = SessionState::Failed(FailureReason::HandshakeRejected {
            status: 401,
            body_excerpt: String::new(),
        });
        let lost = SessionState::ConnectionLost {
            cause: replenish_core::event::LostCause::Reset,
            close_code: None,
            reason: String::new(),
        };

        let cases = [
            (SessionState::Finished, None, 0),
            (refused, None, 2),
            (door_failed, None, 3),
            (door_timed_out, None, 3),
            (rejected, None, 4),
            (lost, None, 4),
            (SessionState::Cancelled, Some(StopCause::Timeout), 5),
            (SessionState::Cancelled, Some(StopCause::Interrupt), 130),
            (SessionState::Cancelled, Some(StopCause::Terminate), 143),
        ];
        for (state, stop, code) in cases {
            assert_eq!(Exit::for_session(&state, stop).code(), code, "{state:?}");
        }
    }

    #[test]
    fn final_list_wins_over_late_stop() {
        let exit = Exit::for_session(&SessionState::Finished, Some(StopCause::Timeout));
        assert_eq!(exit, Exit::Success);
    }
}
