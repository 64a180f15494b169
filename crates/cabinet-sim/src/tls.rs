//! Certificates made at run time for the simulator's `wss://` listener, and its TLS set-up.
//!
//! Tests make a [`TestCa`], issue a server certificate that is valid, expired or for another
//! host, and give the client the CA's PEM as an extra trusted root. Nothing here is a secret:
//! every key is generated per run and lives only in memory.

use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DistinguishedName, DnType, IsCa, KeyPair,
    KeyUsagePurpose,
};
use tokio_rustls::rustls::pki_types::pem::PemObject as _;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::rustls::{self, ServerConfig};

/// Host names and addresses the simulator's certificates are issued for by default.
pub const LOOPBACK_NAMES: [&str; 3] = ["localhost", "127.0.0.1", "::1"];

/// Start of the validity period of an expired certificate: 2020-01-01 00:00 UTC.
pub const EXPIRED_NOT_BEFORE_UNIX: u64 = 1_577_836_800;

/// End of the validity period of an expired certificate: 2021-01-01 00:00 UTC.
pub const EXPIRED_NOT_AFTER_UNIX: u64 = 1_609_459_200;

/// Errors of making certificates or of setting up TLS.
#[derive(Debug, thiserror::Error)]
pub enum TlsSetupError {
    #[error("failed to generate a test certificate: {0}")]
    Generate(#[from] rcgen::Error),
    #[error("invalid PEM in the simulator's TLS identity: {0}")]
    Pem(String),
    #[error("rustls rejected the simulator's certificate or key: {0}")]
    Rustls(#[from] rustls::Error),
}

/// When a certificate is valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Validity {
    /// From a day before it was made until a year after.
    Current,
    /// Only during 2020, so it has expired ([`EXPIRED_NOT_AFTER_UNIX`]).
    Expired,
}

/// A server certificate chain and its private key, in PEM.
#[derive(Clone, PartialEq, Eq)]
pub struct TlsIdentity {
    /// The server certificate first, then any intermediate.
    pub cert_chain_pem: String,
    /// The PKCS#8 private key of the first certificate.
    pub key_pem: String,
}

// The key is generated per run, but a log line should still not carry a private key.
impl std::fmt::Debug for TlsIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsIdentity")
            .field("cert_chain_pem", &self.cert_chain_pem)
            .field("key_pem", &"<masked>")
            .finish()
    }
}

impl TlsIdentity {
    /// Makes a self-signed certificate for `names`, currently valid. A client that trusts
    /// only well-known roots rejects it with "unknown issuer".
    pub fn self_signed(names: &[&str]) -> Result<Self, TlsSetupError> {
        let key = KeyPair::generate()?;
        let params = server_params(names, Validity::Current)?;
        let cert = params.self_signed(&key)?;

        Ok(Self {
            cert_chain_pem: cert.pem(),
            key_pem: key.serialize_pem(),
        })
    }

    /// Builds the rustls server configuration. ring is the only rustls crypto provider in the
    /// build, so rustls picks it without set-up code.
    pub(crate) fn server_config(&self) -> Result<Arc<ServerConfig>, TlsSetupError> {
        let chain = CertificateDer::pem_slice_iter(self.cert_chain_pem.as_bytes())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|error| TlsSetupError::Pem(error.to_string()))?;
        let key = PrivateKeyDer::from_pem_slice(self.key_pem.as_bytes())
            .map_err(|error| TlsSetupError::Pem(error.to_string()))?;

        let config = ServerConfig::builder()
            .with_no_client_auth()
            .with_single_cert(chain, key)?;
        Ok(Arc::new(config))
    }
}

/// A certificate authority made for one test run. A client that trusts its PEM can tell an
/// expired or wrong-host certificate apart from an unknown issuer.
pub struct TestCa {
    issuer: CertifiedIssuer<'static, KeyPair>,
}

impl std::fmt::Debug for TestCa {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestCa").finish_non_exhaustive()
    }
}

impl TestCa {
    /// Makes a new CA with a fresh key, valid from a day ago for a year.
    pub fn new() -> Result<Self, TlsSetupError> {
        let mut params = CertificateParams::new(Vec::<String>::new())?;
        let mut name = DistinguishedName::new();
        name.push(DnType::CommonName, "cabinet-sim test CA");
        params.distinguished_name = name;
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        set_validity(&mut params, Validity::Current);

        let issuer = CertifiedIssuer::self_signed(params, KeyPair::generate()?)?;
        Ok(Self { issuer })
    }

    /// Returns the CA certificate in PEM, to be trusted by the client.
    pub fn cert_pem(&self) -> String {
        self.issuer.pem()
    }

    /// Issues a server certificate for `names` with the given validity.
    pub fn issue(&self, names: &[&str], validity: Validity) -> Result<TlsIdentity, TlsSetupError> {
        let key = KeyPair::generate()?;
        let params = server_params(names, validity)?;
        let cert = params.signed_by(&key, &self.issuer)?;

        Ok(TlsIdentity {
            cert_chain_pem: cert.pem(),
            key_pem: key.serialize_pem(),
        })
    }
}

/// Parameters of a server certificate: `names` as subject alternative names (an IP address
/// becomes an IP SAN), for server authentication.
fn server_params(names: &[&str], validity: Validity) -> Result<CertificateParams, TlsSetupError> {
    let names: Vec<String> = names.iter().map(|name| (*name).to_owned()).collect();
    let mut params = CertificateParams::new(names.clone())?;
    // The subject is not the bare host name, because Debian's ssl-cert package puts a
    // self-signed "CN = localhost" certificate in /etc/ssl/certs. A self-signed certificate with
    // the same name makes webpki try that root and report a key mismatch, not an unknown issuer.
    let mut subject = DistinguishedName::new();
    subject.push(
        DnType::CommonName,
        format!(
            "cabinet-sim server {}",
            names.first().map_or("", String::as_str)
        ),
    );
    params.distinguished_name = subject;
    params.use_authority_key_identifier_extension = true;
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ServerAuth];
    set_validity(&mut params, validity);
    Ok(params)
}

fn set_validity(params: &mut CertificateParams, validity: Validity) {
    match validity {
        Validity::Current => {
            let now = time::OffsetDateTime::now_utc();
            params.not_before = now - time::Duration::days(1);
            params.not_after = now + time::Duration::days(365);
        }
        Validity::Expired => {
            params.not_before = rcgen::date_time_ymd(2020, 1, 1);
            params.not_after = rcgen::date_time_ymd(2021, 1, 1);
        }
    }
}
