//! The events of a session, as the client reports them.

use crate::model::FinalList;

/// One thing that happened in a session, in the order it happened.
///
/// Events carry no token: every text from the network has been scrubbed of it before it gets here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionEvent {
    /// The WebSocket handshake completed.
    Connected,
    /// The server reports the door open. `at_ms` is the local time, in ms since the Unix epoch.
    DoorOpened { message: Option<String>, at_ms: u64 },
    /// The server reports that the door did not open.
    DoorFailed {
        message: Option<String>,
        code: Option<i64>,
    },
    /// The final list arrived.
    FinalList(FinalList),
    /// The server could not create the session.
    Failure {
        message: Option<String>,
        code: Option<i64>,
    },
    /// A frame could not be decoded. The session goes on.
    ProtocolError {
        kind: ProtocolErrorKind,
        /// The decoder's message in English, for logs.
        reason: String,
        /// The start of the frame, with the token masked.
        excerpt: String,
    },
    /// A frame with a `type` the contract does not define. The session goes on.
    UnknownType { type_name: String },
    /// The connection could not be opened: DNS, TCP, TLS or a connect timeout.
    ConnectFailed {
        kind: ConnectErrorKind,
        /// The library's message in English, for logs.
        reason: String,
    },
    /// The server responded to the handshake with an HTTP status other than 101.
    HandshakeRejected { status: u16, body_excerpt: String },
    /// No door frame arrived within the configured wait.
    DoorTimedOut { waited_secs: u64 },
    /// The connection ended before the session did.
    ConnectionLost {
        cause: LostCause,
        close_code: Option<u16>,
        /// The server's close reason, or the library's message in English.
        reason: String,
    },
    /// The user cancelled the session.
    Cancelled,
    /// The client closed the connection after the session ended, with this close code.
    Closed { close_code: u16 },
}

/// The kind of failure that kept a connection from opening, so each gets its own message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnectErrorKind {
    /// Nothing listens on the endpoint's port.
    Refused,
    /// The connect timeout elapsed.
    TimedOut,
    /// The host name could not be resolved.
    Dns,
    /// The TLS handshake failed: an untrusted, expired or wrong-host certificate.
    Tls,
    /// The connection was reset during the handshake.
    Reset,
    /// The server responded, but not as a WebSocket server.
    NotWebSocket,
    Other,
}

/// The way a connection ended before the session did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LostCause {
    /// The server sent a close frame.
    ServerClosed,
    /// The connection dropped without a close frame.
    Reset,
    /// The server stopped replying to pings.
    DeadPeer,
    /// The message was larger than the configured limit.
    TooLarge,
    Other,
}

/// The kind of a frame that could not be decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProtocolErrorKind {
    NotJson,
    NotAnObject,
    MissingType,
    MissingField,
    InvalidField,
    Binary,
}
