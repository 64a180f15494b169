//! Opens the WebSocket connection in three steps (name lookup, TCP connect, then the TLS and
//! WebSocket handshakes), so that each failure is classified by the step that failed and by
//! the typed error it returned, not by its message.
//!
//! TLS uses rustls with the operating system's trusted roots plus any extra roots the
//! configuration gives ([`TrustedRoots`]), as a store behind a company proxy that inspects TLS
//! needs.

use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};

use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::CertificateDer;
use rustls::{CertificateError, ClientConfig, RootCertStore};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::handshake::client::Response;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::{self, error::TlsError};
use tokio_tungstenite::{Connector, MaybeTlsStream, WebSocketStream};
use tracing::{debug, warn};
use url::Url;

use crate::event::{CertificateProblem, ConnectErrorKind};

/// An open WebSocket connection, plain or TLS.
pub(crate) type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Extra certificate authorities to trust for `wss://`, on top of the operating system's.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct TrustedRoots {
    certificates: Vec<CertificateDer<'static>>,
}

impl std::fmt::Debug for TrustedRoots {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TrustedRoots({} extra)", self.certificates.len())
    }
}

/// PEM text that does not contain usable root certificates.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TrustedRootsError {
    #[error(
        "invalid PEM in the trusted certificates: {0}; give PEM text with BEGIN CERTIFICATE blocks"
    )]
    InvalidPem(String),
    #[error("no certificate found in the trusted certificates; give PEM text with BEGIN CERTIFICATE blocks")]
    Empty,
    #[error("trusted certificate {number} is not a valid CA certificate: {reason}")]
    InvalidCertificate { number: usize, reason: String },
}

impl TrustedRoots {
    /// Reads every `CERTIFICATE` block of `pem` and checks that each is a usable trust anchor,
    /// so that a bad file is reported when it is configured, not at the first connect.
    pub fn from_pem(pem: &str) -> Result<Self, TrustedRootsError> {
        let certificates = CertificateDer::pem_slice_iter(pem.as_bytes())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|error| TrustedRootsError::InvalidPem(error.to_string()))?;
        if certificates.is_empty() {
            return Err(TrustedRootsError::Empty);
        }

        let mut check = RootCertStore::empty();
        for (index, certificate) in certificates.iter().enumerate() {
            check.add(certificate.clone()).map_err(|error| {
                TrustedRootsError::InvalidCertificate {
                    number: index + 1,
                    reason: error.to_string(),
                }
            })?;
        }
        Ok(Self { certificates })
    }

    /// Returns the number of extra roots.
    pub fn len(&self) -> usize {
        self.certificates.len()
    }

    pub fn is_empty(&self) -> bool {
        self.certificates.is_empty()
    }
}

/// A failure to open a connection.
#[derive(Debug)]
pub(crate) enum ConnectError {
    /// The server responded to the handshake with an HTTP status other than 101. `location`
    /// is the `Location` header of a redirect, which is never followed.
    Rejected {
        status: u16,
        body: String,
        location: Option<String>,
    },
    /// The connection failed before any HTTP response. `reason` is the library's message.
    Failed {
        kind: ConnectErrorKind,
        reason: String,
    },
}

impl ConnectError {
    fn failed(kind: ConnectErrorKind, reason: impl std::fmt::Display) -> Self {
        ConnectError::Failed {
            kind,
            reason: reason.to_string(),
        }
    }
}

/// Resolves the host of `url`, connects over TCP and completes the TLS and WebSocket
/// handshakes. The caller bounds the whole with the connect timeout.
pub(crate) async fn open(
    url: &str,
    ws_config: WebSocketConfig,
    trusted_roots: &TrustedRoots,
) -> Result<(Socket, Response), ConnectError> {
    let parsed =
        Url::parse(url).map_err(|error| ConnectError::failed(ConnectErrorKind::Other, error))?;
    let addresses = resolve(&parsed).await?;

    let stream = TcpStream::connect(addresses.as_slice())
        .await
        .map_err(|error| ConnectError::failed(classify_io(&error), error))?;
    // The client sends small pings and close frames, which must not wait for more data.
    if let Err(error) = stream.set_nodelay(true) {
        debug!(%error, "failed to set TCP_NODELAY; continuing without it");
    }

    let connector = if parsed.scheme() == "wss" {
        Connector::Rustls(client_config(trusted_roots))
    } else {
        Connector::Plain
    };
    tokio_tungstenite::client_async_tls_with_config(url, stream, Some(ws_config), Some(connector))
        .await
        .map_err(classify_handshake_error)
}

/// Looks up the addresses of the URL's host. Any failure here is a name-lookup failure, which
/// the system resolver reports only as text, so the step itself is what classifies it.
async fn resolve(url: &Url) -> Result<Vec<SocketAddr>, ConnectError> {
    let host = url.host_str().unwrap_or_default();
    // `host_str` keeps the brackets of an IPv6 literal, which the resolver does not accept.
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let port = url.port_or_known_default().unwrap_or(443);

    let addresses: Vec<SocketAddr> = tokio::net::lookup_host((host, port))
        .await
        .map_err(|error| ConnectError::failed(ConnectErrorKind::Dns, error))?
        .collect();
    if addresses.is_empty() {
        return Err(ConnectError::failed(
            ConnectErrorKind::Dns,
            format!("the name {host} has no addresses"),
        ));
    }
    Ok(addresses)
}

/// Builds the TLS client configuration: the operating system's roots, loaded once per process,
/// plus `extra`.
fn client_config(extra: &TrustedRoots) -> Arc<ClientConfig> {
    let mut roots = native_roots().clone();
    let (added, ignored) = roots.add_parsable_certificates(extra.certificates.iter().cloned());
    if ignored > 0 {
        warn!(
            added,
            ignored, "some extra trusted certificates were not usable"
        );
    }
    if roots.is_empty() {
        warn!(
            "no trusted root certificates; every wss:// server will be rejected as unknown issuer"
        );
    }

    Arc::new(
        ClientConfig::builder()
            .with_root_certificates(roots)
            .with_no_client_auth(),
    )
}

fn native_roots() -> &'static RootCertStore {
    static NATIVE_ROOTS: OnceLock<RootCertStore> = OnceLock::new();

    NATIVE_ROOTS.get_or_init(|| {
        let loaded = rustls_native_certs::load_native_certs();
        for error in &loaded.errors {
            warn!(%error, "failed to load a certificate from the operating system's store");
        }
        let mut roots = RootCertStore::empty();
        let (added, ignored) = roots.add_parsable_certificates(loaded.certs);
        debug!(
            added,
            ignored, "loaded the operating system's trusted roots"
        );
        roots
    })
}

/// Classifies a failed TLS or WebSocket handshake.
fn classify_handshake_error(error: tungstenite::Error) -> ConnectError {
    match error {
        tungstenite::Error::Http(response) => {
            let status = response.status().as_u16();
            let location = response
                .headers()
                .get(tungstenite::http::header::LOCATION)
                .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned());
            let body = response
                .body()
                .as_deref()
                .map(|body| String::from_utf8_lossy(body).into_owned())
                .unwrap_or_default();
            ConnectError::Rejected {
                status,
                body,
                location,
            }
        }
        other => {
            let kind = classify_connect_error(&other);
            ConnectError::failed(kind, other)
        }
    }
}

/// Classifies an error of the TLS or WebSocket handshake by its type: a rustls error anywhere
/// in the chain first, then the I/O error kind.
pub(crate) fn classify_connect_error(error: &tungstenite::Error) -> ConnectErrorKind {
    match error {
        tungstenite::Error::Io(io) => match find_rustls_error(io) {
            Some(tls) => classify_tls(tls),
            None => classify_io(io),
        },
        tungstenite::Error::Tls(TlsError::Rustls(tls)) => classify_tls(tls),
        tungstenite::Error::Tls(_) => ConnectErrorKind::Tls,
        tungstenite::Error::Protocol(_) | tungstenite::Error::HttpFormat(_) => {
            ConnectErrorKind::NotWebSocket
        }
        _ => ConnectErrorKind::Other,
    }
}

/// Returns the rustls error that tokio-rustls wraps in an I/O error, looking through nested
/// sources.
fn find_rustls_error(io: &std::io::Error) -> Option<&rustls::Error> {
    let mut source: Option<&(dyn std::error::Error + 'static)> = io
        .get_ref()
        .map(|inner| inner as &(dyn std::error::Error + 'static));
    while let Some(error) = source {
        if let Some(tls) = error.downcast_ref::<rustls::Error>() {
            return Some(tls);
        }
        source = error.source();
    }
    None
}

fn classify_tls(error: &rustls::Error) -> ConnectErrorKind {
    match error {
        rustls::Error::InvalidCertificate(certificate) => {
            ConnectErrorKind::Certificate(certificate_problem(certificate))
        }
        _ => ConnectErrorKind::Tls,
    }
}

fn certificate_problem(error: &CertificateError) -> CertificateProblem {
    match error {
        CertificateError::UnknownIssuer => CertificateProblem::UnknownIssuer,
        CertificateError::Expired => CertificateProblem::Expired {
            not_after_unix: None,
        },
        CertificateError::ExpiredContext { not_after, .. } => CertificateProblem::Expired {
            not_after_unix: Some(not_after.as_secs()),
        },
        CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
            CertificateProblem::WrongHost
        }
        _ => CertificateProblem::Other,
    }
}

fn classify_io(error: &std::io::Error) -> ConnectErrorKind {
    match error.kind() {
        std::io::ErrorKind::ConnectionRefused => ConnectErrorKind::Refused,
        std::io::ErrorKind::TimedOut => ConnectErrorKind::TimedOut,
        std::io::ErrorKind::ConnectionReset
        | std::io::ErrorKind::ConnectionAborted
        | std::io::ErrorKind::UnexpectedEof => ConnectErrorKind::Reset,
        _ => ConnectErrorKind::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trusted_roots_reject_text_without_certificates() {
        assert_eq!(
            TrustedRoots::from_pem("hello"),
            Err(TrustedRootsError::Empty)
        );
    }

    #[test]
    fn trusted_roots_reject_garbage_certificate() {
        let pem = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";

        let error = TrustedRoots::from_pem(pem).unwrap_err();

        assert!(
            matches!(
                error,
                TrustedRootsError::InvalidCertificate { number: 1, .. }
            ),
            "{error:?}"
        );
    }

    #[test]
    fn certificate_errors_map_to_problems() {
        let cases = [
            (
                CertificateError::UnknownIssuer,
                CertificateProblem::UnknownIssuer,
            ),
            (
                CertificateError::Expired,
                CertificateProblem::Expired {
                    not_after_unix: None,
                },
            ),
            (
                CertificateError::NotValidForName,
                CertificateProblem::WrongHost,
            ),
            (CertificateError::BadSignature, CertificateProblem::Other),
            (CertificateError::Revoked, CertificateProblem::Other),
        ];

        for (error, expected) in cases {
            assert_eq!(certificate_problem(&error), expected, "{error:?}");
        }
    }

    #[test]
    fn rustls_error_found_inside_io_error() {
        let tls = rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer);
        let io = std::io::Error::new(std::io::ErrorKind::InvalidData, tls);
        let error = tungstenite::Error::Io(io);

        assert_eq!(
            classify_connect_error(&error),
            ConnectErrorKind::Certificate(CertificateProblem::UnknownIssuer)
        );
    }
}
