//! The session target (endpoint, device number, token), its validation and its URL.

use std::fmt;

use percent_encoding::utf8_percent_encode;
use url::Url;

use crate::token::{Token, QUERY_VALUE};
use crate::view::Message;

/// The vendor's documented endpoint. It is their test environment; production hosts differ, so
/// the endpoint is always a setting with this as the preset.
pub const DEFAULT_ENDPOINT: &str = "wss://test.ssib.gzncloud.com/websocket/ssib/replenish";

/// Maximum length of a device number: 18 digits always fit in a signed 64-bit integer.
pub const MAX_DEVICE_DIGITS: usize = 18;

/// Maximum token length, in bytes. It bounds the URL; real tokens are far shorter.
pub const MAX_TOKEN_BYTES: usize = 4096;

/// Maximum length of the optional device name, in characters.
pub const MAX_DEVICE_NAME_CHARS: usize = 40;

/// The user's input from the start form or the command line.
#[derive(Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionRequest {
    pub endpoint: String,
    pub device_no: String,
    pub token: String,
    #[serde(default)]
    pub device_name: Option<String>,
}

impl fmt::Debug for SessionRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionRequest")
            .field("endpoint", &self.endpoint)
            .field("device_no", &self.device_no)
            .field("token", &crate::token::mask(&self.token))
            .field("device_name", &self.device_name)
            .finish()
    }
}

/// A problem with one field of a [`SessionRequest`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FieldError {
    #[error("the endpoint is missing: enter a ws:// or wss:// URL")]
    EndpointMissing,
    #[error("the endpoint {value:?} is not a valid URL: {reason}")]
    EndpointInvalid { value: String, reason: String },
    #[error("the endpoint scheme {scheme:?} is not supported: use ws:// or wss://")]
    EndpointScheme { scheme: String },
    #[error("the device number is missing: enter the cabinet's device number")]
    DeviceMissing,
    #[error(
        "the device number {value:?} is invalid: use digits only, at most {MAX_DEVICE_DIGITS}"
    )]
    DeviceInvalid { value: String },
    #[error("the token is missing: paste the token from the open-door API")]
    TokenMissing,
    #[error("the token is invalid: it contains spaces or control characters, or is longer than {MAX_TOKEN_BYTES} bytes")]
    TokenInvalid,
    #[error("the device name is longer than {MAX_DEVICE_NAME_CHARS} characters")]
    NameTooLong,
}

/// The form field a [`FieldError`] belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    Endpoint,
    DeviceNo,
    Token,
    DeviceName,
}

impl Field {
    /// Returns the field's name in the start form's request, in camelCase.
    pub fn name(self) -> &'static str {
        match self {
            Field::Endpoint => "endpoint",
            Field::DeviceNo => "deviceNo",
            Field::Token => "token",
            Field::DeviceName => "deviceName",
        }
    }
}

impl FieldError {
    /// Returns the message shown beside the field.
    pub fn message(&self) -> Message {
        match self {
            Self::EndpointMissing => Message::new("form.endpoint.missing"),
            Self::EndpointInvalid { value, .. } => {
                Message::new("form.endpoint.invalid").arg("value", value)
            }
            Self::EndpointScheme { scheme } => {
                Message::new("form.endpoint.scheme").arg("scheme", scheme)
            }
            Self::DeviceMissing => Message::new("form.device.missing"),
            Self::DeviceInvalid { .. } => Message::new("form.device.invalid"),
            Self::TokenMissing => Message::new("form.token.missing"),
            Self::TokenInvalid => Message::new("form.token.invalid"),
            Self::NameTooLong => {
                Message::new("form.name.too_long").arg("max", MAX_DEVICE_NAME_CHARS.to_string())
            }
        }
    }

    /// Returns the form field this error belongs to.
    pub fn field(&self) -> Field {
        match self {
            Self::EndpointMissing | Self::EndpointInvalid { .. } | Self::EndpointScheme { .. } => {
                Field::Endpoint
            }
            Self::DeviceMissing | Self::DeviceInvalid { .. } => Field::DeviceNo,
            Self::TokenMissing | Self::TokenInvalid => Field::Token,
            Self::NameTooLong => Field::DeviceName,
        }
    }
}

/// A checked session target: where to connect, for which cabinet, with which token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionTarget {
    endpoint: Url,
    device_no: String,
    token: Token,
    device_name: Option<String>,
}

impl SessionTarget {
    /// Checks every field of `request` and returns all problems found, not only the first.
    pub fn parse(request: &SessionRequest) -> Result<Self, Vec<FieldError>> {
        let endpoint = parse_endpoint(&request.endpoint);
        let device_no = parse_device_no(&request.device_no);
        let token = parse_token(&request.token);
        let device_name = parse_device_name(request.device_name.as_deref());

        match (endpoint, device_no, token, device_name) {
            (Ok(endpoint), Ok(device_no), Ok(token), Ok(device_name)) => Ok(Self {
                endpoint,
                device_no,
                token,
                device_name,
            }),
            (endpoint, device_no, token, device_name) => Err([
                endpoint.err(),
                device_no.err(),
                token.err(),
                device_name.err(),
            ]
            .into_iter()
            .flatten()
            .collect()),
        }
    }

    pub fn endpoint(&self) -> &Url {
        &self.endpoint
    }

    /// Returns the endpoint's host and port, for messages. It contains no secret.
    pub fn endpoint_host(&self) -> String {
        let host = self.endpoint.host_str().unwrap_or_default();
        match self.endpoint.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_owned(),
        }
    }

    pub fn device_no(&self) -> &str {
        &self.device_no
    }

    pub fn token(&self) -> &Token {
        &self.token
    }

    pub fn device_name(&self) -> Option<&str> {
        self.device_name.as_deref()
    }

    /// Builds the URL to open, with `deviceNo` and the percent-encoded token in the query. The
    /// result contains the secret, so it must only be handed to the WebSocket connector.
    pub fn connect_url(&self) -> String {
        let mut url = self.endpoint.to_string();
        url.push(if self.endpoint.query().is_some() {
            '&'
        } else {
            '?'
        });
        url.push_str("deviceNo=");
        url.push_str(&self.device_no);
        url.push_str("&token=");
        url.extend(utf8_percent_encode(self.token.expose(), QUERY_VALUE));
        url
    }

    /// Returns the endpoint with the device number and a masked token, safe for logs and messages.
    pub fn display_url(&self) -> String {
        format!(
            "{}{}deviceNo={}&token={}",
            self.endpoint,
            if self.endpoint.query().is_some() {
                '&'
            } else {
                '?'
            },
            self.device_no,
            self.token.masked()
        )
    }
}

fn parse_endpoint(text: &str) -> Result<Url, FieldError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(FieldError::EndpointMissing);
    }

    let url = Url::parse(text).map_err(|error| FieldError::EndpointInvalid {
        value: without_password(text),
        reason: error.to_string(),
    })?;
    if url.scheme() != "ws" && url.scheme() != "wss" {
        return Err(FieldError::EndpointScheme {
            scheme: url.scheme().to_owned(),
        });
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(FieldError::EndpointInvalid {
            value: without_password(text),
            reason: "the URL has no host".to_owned(),
        });
    }

    // The app adds the device number and token, so a second copy in the endpoint would make the
    // server's choice between them unpredictable. A fragment is never sent at all.
    let has_own_params = url
        .query_pairs()
        .any(|(name, _)| name == "deviceNo" || name == "token");
    if has_own_params
        || url.fragment().is_some()
        || !url.username().is_empty()
        || url.password().is_some()
    {
        return Err(FieldError::EndpointInvalid {
            value: without_password(text),
            reason:
                "remove the deviceNo and token parameters, user name and #fragment from the URL"
                    .to_owned(),
        });
    }
    Ok(url)
}

/// Returns `text` with the password of a `scheme://user:password@host` URL masked, so an
/// endpoint that is rejected for carrying one does not show or log it.
fn without_password(text: &str) -> String {
    let Some(authority_start) = text.find("://").map(|index| index + 3) else {
        return text.to_owned();
    };
    let authority_end = text[authority_start..]
        .find(['/', '?', '#'])
        .map_or(text.len(), |index| authority_start + index);
    let authority = &text[authority_start..authority_end];
    let Some(at) = authority.rfind('@') else {
        return text.to_owned();
    };
    let Some(colon) = authority[..at].find(':') else {
        return text.to_owned();
    };
    let password_start = authority_start + colon + 1;
    let password_end = authority_start + at;
    format!("{}…{}", &text[..password_start], &text[password_end..])
}

fn parse_device_no(text: &str) -> Result<String, FieldError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(FieldError::DeviceMissing);
    }
    if text.len() > MAX_DEVICE_DIGITS || !text.bytes().all(|byte| byte.is_ascii_digit()) {
        return Err(FieldError::DeviceInvalid {
            value: text.chars().take(40).collect(),
        });
    }
    Ok(text.to_owned())
}

fn parse_token(text: &str) -> Result<Token, FieldError> {
    // Pasting often brings a trailing newline or spaces around the token; inner ones are errors.
    let text = text.trim();
    if text.is_empty() {
        return Err(FieldError::TokenMissing);
    }
    if text.len() > MAX_TOKEN_BYTES || text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(FieldError::TokenInvalid);
    }
    Ok(Token::new(text))
}

fn parse_device_name(text: Option<&str>) -> Result<Option<String>, FieldError> {
    let Some(name) = text.map(str::trim).filter(|name| !name.is_empty()) else {
        return Ok(None);
    };
    if name.chars().count() > MAX_DEVICE_NAME_CHARS {
        return Err(FieldError::NameTooLong);
    }
    Ok(Some(name.chars().filter(|c| !c.is_control()).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(endpoint: &str, device_no: &str, token: &str) -> SessionRequest {
        SessionRequest {
            endpoint: endpoint.to_owned(),
            device_no: device_no.to_owned(),
            token: token.to_owned(),
            device_name: None,
        }
    }

    #[test]
    fn connect_url_encodes_token() {
        let target = SessionTarget::parse(&request(DEFAULT_ENDPOINT, "181200005", "a+b/c=d&e f~"))
            .unwrap_err();
        // A token with an inner space is rejected before any URL is built.
        assert_eq!(target, vec![FieldError::TokenInvalid]);

        let target =
            SessionTarget::parse(&request(DEFAULT_ENDPOINT, " 181200005 ", "a+b/c=d&e%f~\n"))
                .unwrap();
        assert_eq!(
            target.connect_url(),
            "wss://test.ssib.gzncloud.com/websocket/ssib/replenish?deviceNo=181200005&token=a%2Bb%2Fc%3Dd%26e%25f~"
        );
    }

    #[test]
    fn display_url_masks_token() {
        let target = SessionTarget::parse(&request(
            "ws://127.0.0.1:9000/x",
            "7",
            "0123456789abcdefXYZ",
        ))
        .unwrap();
        assert_eq!(
            target.display_url(),
            "ws://127.0.0.1:9000/x?deviceNo=7&token=0123…fXYZ"
        );
        assert_eq!(target.endpoint_host(), "127.0.0.1:9000");
    }

    #[test]
    fn endpoint_keeps_existing_query() {
        let target = SessionTarget::parse(&request("ws://host/x?tenant=3", "7", "tok")).unwrap();
        assert_eq!(
            target.connect_url(),
            "ws://host/x?tenant=3&deviceNo=7&token=tok"
        );
    }

    #[test]
    fn parse_reports_every_field() {
        let errors = SessionTarget::parse(&request("", "12a", " ")).unwrap_err();
        assert_eq!(
            errors,
            vec![
                FieldError::EndpointMissing,
                FieldError::DeviceInvalid {
                    value: "12a".to_owned()
                },
                FieldError::TokenMissing,
            ]
        );
    }

    #[test]
    fn parse_rejects_bad_endpoints() {
        let cases = [
            ("http://host/x", Field::Endpoint),
            ("not a url", Field::Endpoint),
            ("ws://host/x?token=1", Field::Endpoint),
            ("ws://host/x#frag", Field::Endpoint),
            ("ws://:9000/x", Field::Endpoint),
            ("ws://:secret@host/x", Field::Endpoint),
        ];
        for (endpoint, field) in cases {
            let errors = SessionTarget::parse(&request(endpoint, "1", "tok")).unwrap_err();
            assert_eq!(errors.len(), 1, "{endpoint}");
            assert_eq!(errors[0].field(), field, "{endpoint}");
        }
    }

    #[test]
    fn parse_rejects_bad_device_numbers() {
        for device_no in ["-1", "1.5", "１２３", "1234567890123456789", "18 12"] {
            let errors =
                SessionTarget::parse(&request(DEFAULT_ENDPOINT, device_no, "tok")).unwrap_err();
            assert_eq!(errors.len(), 1, "{device_no}");
            assert_eq!(errors[0].field(), Field::DeviceNo, "{device_no}");
        }
    }

    #[test]
    fn device_name_limits() {
        let mut long = request(DEFAULT_ENDPOINT, "1", "tok");
        long.device_name = Some("柜".repeat(MAX_DEVICE_NAME_CHARS + 1));
        assert_eq!(
            SessionTarget::parse(&long).unwrap_err(),
            vec![FieldError::NameTooLong]
        );

        let mut blank = request(DEFAULT_ENDPOINT, "1", "tok");
        blank.device_name = Some("   ".to_owned());
        assert_eq!(SessionTarget::parse(&blank).unwrap().device_name(), None);
    }

    #[test]
    fn request_debug_masks_token() {
        let text = format!(
            "{:?}",
            request(DEFAULT_ENDPOINT, "1", "supersecrettokenvalue")
        );
        assert!(!text.contains("supersecrettokenvalue"), "{text}");
    }

    #[test]
    fn rejected_endpoint_hides_its_password() {
        let request = SessionRequest {
            endpoint: "ws://user:passw0rd@127.0.0.1:47013/ws".to_owned(),
            device_no: "181200005".to_owned(),
            token: "abc123".to_owned(),
            device_name: None,
        };

        let errors = SessionTarget::parse(&request).unwrap_err();

        let shown = format!("{errors:?}");
        assert!(!shown.contains("passw0rd"), "{shown}");
        assert!(shown.contains("ws://user:…@127.0.0.1:47013/ws"), "{shown}");
        assert_eq!(without_password("ws://host/a@b:c"), "ws://host/a@b:c");
        assert_eq!(without_password("not a url"), "not a url");
    }
}
