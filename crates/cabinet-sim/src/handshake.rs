//! The WebSocket route: checks `deviceNo` and `token`, then starts a session.

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::config::SimConfig;
use crate::plan::plan;
use crate::scenario::Scenario;
use crate::server::AppState;
use crate::session::Session;
use crate::upgrade;

/// Redirect target of the redirect scenario: a host under `.invalid`, a top-level domain
/// that never resolves (RFC 6761), so a client that follows the redirect reaches nothing.
pub const REDIRECT_LOCATION: &str = "wss://moved.example.invalid/websocket/ssib/replenish";

/// Maximum number of characters of a rejected `deviceNo` echoed in the 400 body.
const MAX_ECHOED_CHARS: usize = 32;

/// Reason a handshake was rejected before the upgrade.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Rejection {
    MissingDeviceNo,
    InvalidDeviceNo(String),
    UnknownDevice(u64),
    MissingToken,
    InvalidToken,
}

impl Rejection {
    fn status(&self) -> StatusCode {
        match self {
            Rejection::MissingDeviceNo | Rejection::InvalidDeviceNo(_) => StatusCode::BAD_REQUEST,
            Rejection::UnknownDevice(_) => StatusCode::NOT_FOUND,
            Rejection::MissingToken | Rejection::InvalidToken => StatusCode::UNAUTHORIZED,
        }
    }

    /// Plain-text response body. It never contains the token.
    fn body(&self) -> String {
        match self {
            Rejection::MissingDeviceNo => "missing deviceNo query parameter".to_owned(),
            Rejection::InvalidDeviceNo(value) => {
                let echoed: String = value.chars().take(MAX_ECHOED_CHARS).collect();
                format!("invalid deviceNo {echoed:?}: expected a decimal integer")
            }
            Rejection::UnknownDevice(_) => "unknown device".to_owned(),
            Rejection::MissingToken => "missing token".to_owned(),
            Rejection::InvalidToken => "invalid token".to_owned(),
        }
    }
}

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        (self.status(), self.body()).into_response()
    }
}

/// Checks the query of a handshake and returns the accepted device number.
///
/// The device is checked before the token, so a request for another cabinet gets 404 even
/// without a token. When a parameter is repeated, the first value counts.
pub(crate) fn check_query(query: Option<&str>, config: &SimConfig) -> Result<u64, Rejection> {
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.unwrap_or("").as_bytes())
        .into_owned()
        .collect();
    let first = |key: &str| {
        pairs
            .iter()
            .find(|(name, _)| name == key)
            .map(|(_, value)| value.as_str())
    };

    let device_text = first("deviceNo").ok_or(Rejection::MissingDeviceNo)?;
    let device_no = parse_device_no(device_text)
        .ok_or_else(|| Rejection::InvalidDeviceNo(device_text.to_owned()))?;
    if device_no != config.device_no {
        return Err(Rejection::UnknownDevice(device_no));
    }

    let token = first("token").ok_or(Rejection::MissingToken)?;
    if !constant_time_eq(token.as_bytes(), config.token.as_bytes()) {
        return Err(Rejection::InvalidToken);
    }
    Ok(device_no)
}

/// Parses ASCII digits only. `u64::from_str` would also accept a leading `+`.
fn parse_device_no(text: &str) -> Option<u64> {
    if text.is_empty() || !text.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// Compares without stopping at the first differing byte, so response times do not reveal
/// how much of a guessed token was right. The length is not hidden.
fn constant_time_eq(left: &[u8], right: &[u8]) -> bool {
    left.len() == right.len()
        && left
            .iter()
            .zip(right)
            .fold(0u8, |difference, (a, b)| difference | (a ^ b))
            == 0
}

/// Handles `GET /websocket/ssib/replenish`.
pub(crate) async fn upgrade_route(State(state): State<AppState>, mut request: Request) -> Response {
    if state.config().scenario == Scenario::Redirect {
        tracing::info!(
            location = REDIRECT_LOCATION,
            "redirecting the WebSocket handshake"
        );
        return (
            StatusCode::FOUND,
            [(header::LOCATION, REDIRECT_LOCATION)],
            "the endpoint has moved",
        )
            .into_response();
    }

    let device_no = match check_query(request.uri().query(), state.config()) {
        Ok(device_no) => device_no,
        Err(rejection) => {
            tracing::warn!(
                status = rejection.status().as_u16(),
                reason = %rejection.body(),
                "rejected a WebSocket handshake"
            );
            return rejection.into_response();
        }
    };

    let upgrade = match upgrade::accept(&mut request) {
        Ok(upgrade) => upgrade,
        Err(rejection) => {
            tracing::warn!(
                reason = rejection.message(),
                "rejected a request that is not a WebSocket handshake"
            );
            return rejection.into_response();
        }
    };

    let response = upgrade.response();
    let sessions = state.sessions().clone();
    tokio::spawn(sessions.track_future(async move {
        let socket = match upgrade.into_socket().await {
            Ok(socket) => socket,
            Err(error) => {
                tracing::warn!(%error, "WebSocket upgrade did not complete");
                return;
            }
        };

        let index = state.log().open(device_no);
        tracing::info!(
            connection = index,
            device_no,
            scenario = %state.config().scenario,
            "WebSocket session started"
        );

        let steps = plan(state.config(), state.image_base(), index);
        let session = Session::new(socket, state.log().clone(), index, state.cancel_token());
        session.play(steps).await;
    }));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> SimConfig {
        SimConfig::default().with_device_no(42).with_token("t&k n")
    }

    #[test]
    fn accepts_matching_query() {
        let result = check_query(Some("deviceNo=42&token=t%26k+n"), &config());

        assert_eq!(result, Ok(42));
    }

    #[test]
    fn rejects_each_bad_query() {
        let cases = [
            (None, Rejection::MissingDeviceNo),
            (Some("token=x"), Rejection::MissingDeviceNo),
            (
                Some("deviceNo=&token=x"),
                Rejection::InvalidDeviceNo(String::new()),
            ),
            (
                Some("deviceNo=%2B42"),
                Rejection::InvalidDeviceNo("+42".into()),
            ),
            (
                Some("deviceNo=+42"),
                Rejection::InvalidDeviceNo(" 42".into()),
            ),
            (
                Some("deviceNo=4x2"),
                Rejection::InvalidDeviceNo("4x2".into()),
            ),
            (
                Some("deviceNo=99999999999999999999"),
                Rejection::InvalidDeviceNo("99999999999999999999".into()),
            ),
            (
                Some("deviceNo=43&token=t%26k+n"),
                Rejection::UnknownDevice(43),
            ),
            (Some("deviceNo=42"), Rejection::MissingToken),
            (Some("deviceNo=42&token=t%26k"), Rejection::InvalidToken),
            (Some("deviceNo=42&token="), Rejection::InvalidToken),
        ];

        for (query, expected) in cases {
            assert_eq!(check_query(query, &config()), Err(expected), "{query:?}");
        }
    }

    #[test]
    fn bodies_never_contain_token() {
        let rejections = [Rejection::MissingToken, Rejection::InvalidToken];

        for rejection in rejections {
            assert!(!rejection.body().contains("t&k n"));
        }
    }
}
