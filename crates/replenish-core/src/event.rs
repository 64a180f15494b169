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
    /// The server responded to the handshake with an HTTP status other than 101. For a redirect
    /// (3xx) with a `Location`, `body_excerpt` is that location, because redirects are never
    /// followed.
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
    /// The connection dropped before the session ended and the client will connect again at
    /// `retry_at_ms` (ms since the Unix epoch), `delay_ms` from now.
    Interrupted {
        cause: LostCause,
        close_code: Option<u16>,
        /// The server's close reason, or the library's message in English.
        reason: String,
        /// The number of the coming reconnect attempt, from 1.
        next_attempt: u32,
        max_attempts: u32,
        delay_ms: u64,
        retry_at_ms: u64,
    },
    /// The wait after an interruption is over and the client is connecting again.
    Reconnecting { attempt: u32, max_attempts: u32 },
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
    /// The TLS handshake failed for a reason other than the server's certificate, such as no
    /// common protocol version or a plain server on a `wss://` port.
    Tls,
    /// The TLS handshake failed because the server's certificate was rejected.
    Certificate(CertificateProblem),
    /// The connection was reset during the handshake.
    Reset,
    /// The server responded, but not as a WebSocket server.
    NotWebSocket,
    Other,
}

/// The reason the server's TLS certificate was rejected, from rustls's `CertificateError`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertificateProblem {
    /// No trusted root issued it: self-signed, or issued by a CA (such as a company proxy's)
    /// that this computer does not trust.
    UnknownIssuer,
    /// It has expired. `not_after_unix` is the end of its validity, in seconds since the Unix
    /// epoch, when rustls reports it.
    Expired { not_after_unix: Option<u64> },
    /// It was issued for other host names than the endpoint's.
    WrongHost,
    /// Any other reason: not valid yet, revoked, a bad signature, a wrong key usage.
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
    /// A reconnect attempt could not open a connection.
    Unreachable,
    /// A text frame was not valid UTF-8, so RFC 6455 requires the connection to fail (1007).
    InvalidText,
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
    /// A text frame whose bytes are not UTF-8.
    NotUtf8,
}

impl ProtocolErrorKind {
    /// Returns the kind in plain English, for logs.
    pub fn name(self) -> &'static str {
        match self {
            ProtocolErrorKind::NotJson => "frame is not JSON",
            ProtocolErrorKind::NotAnObject => "frame is not a JSON object",
            ProtocolErrorKind::MissingType => "frame has no type",
            ProtocolErrorKind::MissingField => "frame lacks a required field",
            ProtocolErrorKind::InvalidField => "frame has an invalid field",
            ProtocolErrorKind::Binary => "binary frame",
            ProtocolErrorKind::NotUtf8 => "text frame is not UTF-8",
        }
    }
}
