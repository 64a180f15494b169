//! The WebSocket upgrade, done by hand instead of through axum's `WebSocketUpgrade`.
//!
//! axum's `WebSocket` hides the connection it runs on. The simulator needs that connection to
//! reset it (SO_LINGER 0), to stop reading it while keeping it open, and to stream a frame too
//! large to buffer. So it completes the handshake itself and takes the accepted stream back from
//! hyper after the upgrade.

use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use hyper_util::rt::TokioIo;
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;
use tokio_tungstenite::tungstenite::protocol::{Role, WebSocketConfig};
use tokio_tungstenite::WebSocketStream;

use crate::stream::SimStream;

/// The WebSocket on one accepted connection, server side.
pub(crate) type SimSocket = WebSocketStream<SimStream>;

/// A request that is not a valid WebSocket handshake (RFC 6455 section 4.2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NotWebSocket {
    MethodNotGet,
    MissingUpgradeHeader,
    MissingConnectionUpgrade,
    UnsupportedVersion,
    MissingKey,
    NoUpgradeOnConnection,
}

impl NotWebSocket {
    fn status(self) -> StatusCode {
        match self {
            NotWebSocket::MethodNotGet => StatusCode::METHOD_NOT_ALLOWED,
            NotWebSocket::UnsupportedVersion => StatusCode::UPGRADE_REQUIRED,
            NotWebSocket::NoUpgradeOnConnection => StatusCode::UPGRADE_REQUIRED,
            _ => StatusCode::BAD_REQUEST,
        }
    }

    pub(crate) fn message(self) -> &'static str {
        match self {
            NotWebSocket::MethodNotGet => "a WebSocket handshake must use GET",
            NotWebSocket::MissingUpgradeHeader => "missing header Upgrade: websocket",
            NotWebSocket::MissingConnectionUpgrade => "missing header Connection: Upgrade",
            NotWebSocket::UnsupportedVersion => "unsupported Sec-WebSocket-Version; use 13",
            NotWebSocket::MissingKey => "missing header Sec-WebSocket-Key",
            NotWebSocket::NoUpgradeOnConnection => {
                "this connection cannot be upgraded (HTTP/1.1 is required)"
            }
        }
    }
}

impl IntoResponse for NotWebSocket {
    fn into_response(self) -> Response {
        let mut response = (self.status(), self.message()).into_response();
        if self.status() == StatusCode::UPGRADE_REQUIRED {
            response.headers_mut().insert(
                header::SEC_WEBSOCKET_VERSION,
                HeaderValue::from_static("13"),
            );
        }
        response
    }
}

/// An accepted handshake: the 101 response to return, and the pending upgrade.
pub(crate) struct Upgrade {
    accept_key: String,
    on_upgrade: hyper::upgrade::OnUpgrade,
}

/// Checks the handshake headers of `request` and takes its pending upgrade.
pub(crate) fn accept(request: &mut Request) -> Result<Upgrade, NotWebSocket> {
    if request.method() != Method::GET {
        return Err(NotWebSocket::MethodNotGet);
    }
    let headers = request.headers();
    if !header_has_token(headers, header::UPGRADE, "websocket") {
        return Err(NotWebSocket::MissingUpgradeHeader);
    }
    if !header_has_token(headers, header::CONNECTION, "upgrade") {
        return Err(NotWebSocket::MissingConnectionUpgrade);
    }
    if headers
        .get(header::SEC_WEBSOCKET_VERSION)
        .is_none_or(|version| version.as_bytes() != b"13")
    {
        return Err(NotWebSocket::UnsupportedVersion);
    }
    let accept_key = match headers.get(header::SEC_WEBSOCKET_KEY) {
        Some(key) => derive_accept_key(key.as_bytes()),
        None => return Err(NotWebSocket::MissingKey),
    };

    // hyper stores the upgrade handle as an extension of HTTP/1.1 requests only.
    let on_upgrade = request
        .extensions_mut()
        .remove::<hyper::upgrade::OnUpgrade>()
        .ok_or(NotWebSocket::NoUpgradeOnConnection)?;
    Ok(Upgrade {
        accept_key,
        on_upgrade,
    })
}

/// Returns whether a comma-separated header contains `token`, ignoring case.
fn header_has_token(headers: &HeaderMap, name: header::HeaderName, token: &str) -> bool {
    headers
        .get_all(name)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|part| part.trim().eq_ignore_ascii_case(token))
}

impl Upgrade {
    /// Builds the `101 Switching Protocols` response that completes the handshake.
    pub(crate) fn response(&self) -> Response {
        let mut response = StatusCode::SWITCHING_PROTOCOLS.into_response();
        let headers = response.headers_mut();
        headers.insert(header::UPGRADE, HeaderValue::from_static("websocket"));
        headers.insert(header::CONNECTION, HeaderValue::from_static("Upgrade"));
        if let Ok(value) = HeaderValue::from_str(&self.accept_key) {
            headers.insert(header::SEC_WEBSOCKET_ACCEPT, value);
        }
        response
    }

    /// Waits until hyper has sent the 101 response, then returns the WebSocket on the accepted
    /// stream. Bytes the client sent right after its handshake are kept.
    pub(crate) async fn into_socket(self) -> Result<SimSocket, String> {
        let upgraded = self
            .on_upgrade
            .await
            .map_err(|error| format!("the upgrade failed: {error}"))?;
        let parts =
            hyper_util::server::conn::auto::upgrade::downcast::<TokioIo<SimStream>>(upgraded)
                .map_err(|_| "the upgraded connection is not a simulator stream".to_owned())?;

        // The simulator plays the server, so frames from the client are masked and its own are
        // not. The default limits (64 MiB messages, 16 MiB frames) only apply to what the
        // client sends.
        let socket = WebSocketStream::from_partially_read(
            parts.io.into_inner(),
            parts.read_buf.to_vec(),
            Role::Server,
            Some(WebSocketConfig::default()),
        )
        .await;
        Ok(socket)
    }
}
