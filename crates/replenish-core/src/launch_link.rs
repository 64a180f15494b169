//! The launch link `replenish-desk://session?endpoint=…&deviceNo=…&token=…`, which a back-office
//! page or a QR code uses to open the app on one session.
//!
//! A link carries the same fields as the start form, and [`parse_link`] checks them with the same
//! [`SessionTarget::parse`], so a link can start nothing that the form would reject. The link
//! contains the token, so no error here contains the link or the token.

use std::fmt;

use url::Url;

use crate::endpoint::{FieldError, SessionRequest, SessionTarget};
use crate::token::Token;
use crate::view::Message;

/// The URL scheme that the installers register for the app.
pub const LINK_SCHEME: &str = "replenish-desk";

/// The only host a launch link may name: the action it requests.
pub const LINK_HOST: &str = "session";

/// Maximum length of a link, in bytes. It bounds the work on input from outside the app and is
/// far above a link with a [`crate::endpoint::MAX_TOKEN_BYTES`] token in it.
pub const MAX_LINK_BYTES: usize = 16 * 1024;

/// The reason a launch link was rejected. Neither `Display` nor `Debug` shows the link or the token.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    #[error("the launch link is not a valid URL: {reason}")]
    Malformed { reason: String },
    #[error("the launch link is longer than {MAX_LINK_BYTES} bytes")]
    TooLong,
    #[error("the link scheme {scheme:?} is not a launch link: it must be {LINK_SCHEME}://")]
    Scheme { scheme: String },
    #[error("the launch link requests {host:?}: the only supported request is {LINK_SCHEME}://{LINK_HOST}")]
    Host { host: String },
    #[error("the launch link contains the parameter {name:?} more than once")]
    Repeated { name: String },
    /// The link is well formed, but its fields fail the start form's checks. `request` is what
    /// the link contained with the token removed, so the form can show the values beside the
    /// errors.
    #[error("the launch link's fields are invalid: {}", describe(errors))]
    Fields {
        request: SessionRequest,
        errors: Vec<FieldError>,
    },
}

impl fmt::Debug for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The Display text never contains the token, and `request` has had it removed.
        write!(f, "LinkError({self})")
    }
}

impl LinkError {
    /// Returns the message shown in the window for a link that is rejected as a whole. Field
    /// errors return `None`, because each one is shown beside its field.
    pub fn message(&self) -> Option<Message> {
        let message = match self {
            Self::Malformed { .. } => Message::new("link.malformed"),
            Self::TooLong => Message::new("link.too_long").arg("max", MAX_LINK_BYTES.to_string()),
            Self::Scheme { scheme } => Message::new("link.scheme").arg("scheme", scheme),
            Self::Host { host } => Message::new("link.host").arg("host", host),
            Self::Repeated { name } => Message::new("link.repeated").arg("name", name),
            Self::Fields { .. } => return None,
        };
        Some(message)
    }
}

/// Reads the request fields of a launch link without validating them.
///
/// Parameter values are form-urlencoded, as `URLSearchParams` and every back-office framework
/// write them, so `%2B` is a `+` and a bare `+` is a space. A token with a bare `+` therefore gets
/// a space and is then rejected as invalid, rather than sent wrong. Unknown parameters are
/// ignored, so a later link format can add some. A repeated field is rejected, because either
/// copy could be the intended one.
pub fn read_link(link: &str) -> Result<SessionRequest, LinkError> {
    let link = link.trim();
    if link.len() > MAX_LINK_BYTES {
        return Err(LinkError::TooLong);
    }

    // The url crate's parse errors name the problem only, never the input.
    let url = Url::parse(link).map_err(|error| LinkError::Malformed {
        reason: error.to_string(),
    })?;

    // The fields are read before the scheme and host are checked, so the token is known and
    // can be masked wherever an error echoes part of the link.
    let request = read_fields(&url);
    let token = Token::new(
        request
            .as_ref()
            .map(|r| r.token.clone())
            .unwrap_or_default(),
    );

    if url.scheme() != LINK_SCHEME {
        return Err(LinkError::Scheme {
            scheme: url.scheme().to_owned(),
        });
    }
    let host = url.host_str().unwrap_or_default();
    let path = url.path().trim_end_matches('/');
    if host != LINK_HOST || !path.is_empty() {
        let named: String = format!("{host}{path}").chars().take(60).collect();
        return Err(LinkError::Host {
            host: redact(&named, &token),
        });
    }
    request
}

/// Turns a launch link into the session target it requests, checked like the start form.
pub fn parse_link(link: &str) -> Result<SessionTarget, LinkError> {
    let request = read_link(link)?;
    SessionTarget::parse(&request).map_err(|errors| fields_error(&request, errors))
}

/// Returns the start request of a launch link once its fields pass the start form's checks, for
/// code that starts sessions from a [`SessionRequest`].
pub fn checked_request(link: &str) -> Result<SessionRequest, LinkError> {
    let request = read_link(link)?;
    match SessionTarget::parse(&request) {
        Ok(_) => Ok(request),
        Err(errors) => Err(fields_error(&request, errors)),
    }
}

fn fields_error(request: &SessionRequest, errors: Vec<FieldError>) -> LinkError {
    let token = Token::new(request.token.as_str());
    LinkError::Fields {
        errors: errors
            .into_iter()
            .map(|error| redact_field_error(error, &token))
            .collect(),
        request: SessionRequest {
            endpoint: redact(&request.endpoint, &token),
            device_no: redact(&request.device_no, &token),
            token: String::new(),
            device_name: request
                .device_name
                .as_deref()
                .map(|name| redact(name, &token)),
        },
    }
}

fn read_fields(url: &Url) -> Result<SessionRequest, LinkError> {
    let mut endpoint = None;
    let mut device_no = None;
    let mut token = None;
    let mut device_name = None;
    for (name, value) in url.query_pairs() {
        let slot = match name.as_ref() {
            "endpoint" => &mut endpoint,
            "deviceNo" => &mut device_no,
            "token" => &mut token,
            "deviceName" => &mut device_name,
            _ => continue,
        };
        if slot.replace(value.into_owned()).is_some() {
            return Err(LinkError::Repeated {
                name: name.into_owned(),
            });
        }
    }

    Ok(SessionRequest {
        endpoint: endpoint.unwrap_or_default(),
        device_no: device_no.unwrap_or_default(),
        token: token.unwrap_or_default(),
        device_name,
    })
}

/// Masks the link's token and the value of any `token=` inside `text`. An endpoint that carries
/// its own `token` parameter is rejected, and its error echoes the endpoint, which would
/// otherwise show that second token.
fn redact(text: &str, token: &Token) -> String {
    let text = token.scrub(text);
    let mut redacted = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(found) = rest.find("token=") {
        let value_start = found + "token=".len();
        redacted.push_str(&rest[..value_start]);
        rest = &rest[value_start..];
        let value_end = rest.find(['&', '#']).unwrap_or(rest.len());
        if value_end > 0 {
            redacted.push('…');
        }
        rest = &rest[value_end..];
    }
    redacted.push_str(rest);
    redacted
}

fn redact_field_error(error: FieldError, token: &Token) -> FieldError {
    match error {
        FieldError::EndpointInvalid { value, reason } => FieldError::EndpointInvalid {
            value: redact(&value, token),
            reason,
        },
        FieldError::DeviceInvalid { value } => FieldError::DeviceInvalid {
            value: redact(&value, token),
        },
        other => other,
    }
}

fn describe(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoint::Field;

    const TOKEN: &str = "Tk7Secret-value_01";

    fn fields_of(error: LinkError) -> Vec<Field> {
        match error {
            LinkError::Fields { errors, .. } => errors.iter().map(FieldError::field).collect(),
            other => panic!("expected field errors, got {other}"),
        }
    }

    #[test]
    fn good_link_gives_target() {
        let target = parse_link(&format!(
            "replenish-desk://session?endpoint=ws://127.0.0.1:9000/websocket/ssib/replenish&deviceNo=181200005&token={TOKEN}"
        ))
        .unwrap();
        assert_eq!(
            target.endpoint().as_str(),
            "ws://127.0.0.1:9000/websocket/ssib/replenish"
        );
        assert_eq!(target.device_no(), "181200005");
        assert_eq!(target.token().expose(), TOKEN);
        assert_eq!(target.device_name(), None);
    }

    #[test]
    fn link_matches_start_form_target() {
        let from_link = parse_link(&format!(
            "replenish-desk://session/?deviceNo=7&token={TOKEN}&endpoint=wss%3A%2F%2Fhost%2Fx&deviceName=%E4%B8%80%E6%A5%BC"
        ))
        .unwrap();
        let from_form = SessionTarget::parse(&SessionRequest {
            endpoint: "wss://host/x".to_owned(),
            device_no: "7".to_owned(),
            token: TOKEN.to_owned(),
            device_name: Some("一楼".to_owned()),
        })
        .unwrap();
        assert_eq!(from_link, from_form);
    }

    #[test]
    fn percent_encoding_decoded() {
        let target = parse_link(
            "replenish-desk://session?endpoint=ws%3A%2F%2Fhost%3A8080%2Fx%3Ftenant%3D3&deviceNo=7&token=a%2Bb%2Fc%3Dd%26e%25f",
        )
        .unwrap();
        assert_eq!(target.endpoint().as_str(), "ws://host:8080/x?tenant=3");
        assert_eq!(target.token().expose(), "a+b/c=d&e%f");
        assert_eq!(
            target.connect_url(),
            "ws://host:8080/x?tenant=3&deviceNo=7&token=a%2Bb%2Fc%3Dd%26e%25f"
        );
    }

    #[test]
    fn bare_plus_is_space_and_rejected() {
        let error =
            parse_link("replenish-desk://session?endpoint=ws://host/x&deviceNo=7&token=ab+cd")
                .unwrap_err();
        assert_eq!(fields_of(error), vec![Field::Token]);
    }

    #[test]
    fn scheme_case_insensitive() {
        let target = parse_link(&format!(
            "Replenish-Desk://session?endpoint=ws://host/x&deviceNo=7&token={TOKEN}"
        ))
        .unwrap();
        assert_eq!(target.device_no(), "7");
    }

    #[test]
    fn wrong_scheme_rejected() {
        let error = parse_link(&format!(
            "https://session?endpoint=ws://host/x&deviceNo=7&token={TOKEN}"
        ))
        .unwrap_err();
        assert_eq!(
            error,
            LinkError::Scheme {
                scheme: "https".to_owned()
            }
        );
        assert_eq!(error.message().unwrap().key, "link.scheme");
    }

    #[test]
    fn wrong_host_or_path_rejected() {
        for (link, host) in [
            ("replenish-desk://open?deviceNo=7", "open"),
            ("replenish-desk://session/extra?deviceNo=7", "session/extra"),
            ("replenish-desk:session?deviceNo=7", "session"),
        ] {
            let error = parse_link(link).unwrap_err();
            assert_eq!(
                error,
                LinkError::Host {
                    host: host.to_owned()
                },
                "{link}"
            );
            assert_eq!(error.message().unwrap().key, "link.host");
        }
    }

    #[test]
    fn missing_fields_reported() {
        let error = parse_link("replenish-desk://session").unwrap_err();
        assert_eq!(
            fields_of(error),
            vec![Field::Endpoint, Field::DeviceNo, Field::Token]
        );

        let error = parse_link("replenish-desk://session?endpoint=ws://host/x&deviceNo=7&token=")
            .unwrap_err();
        assert_eq!(fields_of(error), vec![Field::Token]);
    }

    #[test]
    fn unsafe_endpoints_rejected() {
        for endpoint in [
            "http://host/x",
            "file:///etc/passwd",
            "javascript:alert(1)",
            "ws://user:pass@host/x",
            "ws://host/x%3Ftoken%3Dother",
            "ws://host/x%23fragment",
        ] {
            let error = parse_link(&format!(
                "replenish-desk://session?endpoint={endpoint}&deviceNo=7&token={TOKEN}"
            ))
            .unwrap_err();
            assert_eq!(fields_of(error), vec![Field::Endpoint], "{endpoint}");
        }
    }

    #[test]
    fn field_errors_keep_values_without_token() {
        let error = parse_link(&format!(
            "replenish-desk://session?endpoint=http://host/x&deviceNo=12ab&token={TOKEN}"
        ))
        .unwrap_err();
        let LinkError::Fields { request, errors } = &error else {
            panic!("expected field errors, got {error}");
        };
        assert_eq!(request.endpoint, "http://host/x");
        assert_eq!(request.device_no, "12ab");
        assert_eq!(request.token, "");
        assert_eq!(errors.len(), 2);
        assert_eq!(error.message(), None);
    }

    #[test]
    fn repeated_field_rejected() {
        let error = parse_link(&format!(
            "replenish-desk://session?endpoint=ws://host/x&deviceNo=7&token={TOKEN}&token=other"
        ))
        .unwrap_err();
        assert_eq!(
            error,
            LinkError::Repeated {
                name: "token".to_owned()
            }
        );
    }

    #[test]
    fn unknown_parameters_ignored() {
        let target = parse_link(&format!(
            "replenish-desk://session?v=2&endpoint=ws://host/x&deviceNo=7&token={TOKEN}"
        ))
        .unwrap();
        assert_eq!(target.device_no(), "7");
    }

    #[test]
    fn malformed_and_long_links_rejected() {
        assert!(matches!(
            parse_link("not a link"),
            Err(LinkError::Malformed { .. })
        ));
        let long = format!(
            "replenish-desk://session?endpoint=ws://host/x&deviceNo=7&token={}",
            "a".repeat(MAX_LINK_BYTES)
        );
        assert_eq!(parse_link(&long).unwrap_err(), LinkError::TooLong);
    }

    #[test]
    fn token_absent_from_every_error() {
        let links = [
            format!("https://session?token={TOKEN}"),
            format!("replenish-desk://{TOKEN}?token={TOKEN}"),
            format!("replenish-desk://session/{TOKEN}?token={TOKEN}"),
            format!("replenish-desk://session?token={TOKEN}&token={TOKEN}"),
            format!("replenish-desk://session?endpoint=http://h/&deviceNo=x&token={TOKEN}"),
            format!("replenish-desk://session?endpoint=ws://h/&deviceNo=1&token={TOKEN}%20x"),
            format!("replenish-desk://session?endpoint=ws://h/?token={TOKEN}&deviceNo=1"),
            format!("replenish-desk://se ssion?token={TOKEN}"),
        ];
        for link in links {
            let error = parse_link(&link).unwrap_err();
            let texts = [
                error.to_string(),
                format!("{error:?}"),
                format!("{:?}", error.message()),
            ];
            for text in texts {
                assert!(!text.contains(TOKEN), "token leaked for {link}: {text}");
            }
        }
    }

    #[test]
    fn checked_request_keeps_token() {
        let request = checked_request(&format!(
            "replenish-desk://session?endpoint=ws://host/x&deviceNo=7&token={TOKEN}"
        ))
        .unwrap();
        assert_eq!(request.token, TOKEN);
        assert_eq!(request.device_no, "7");

        let error = checked_request("replenish-desk://session?endpoint=ws://host/x&deviceNo=7")
            .unwrap_err();
        assert_eq!(fields_of(error), vec![Field::Token]);
    }
}
