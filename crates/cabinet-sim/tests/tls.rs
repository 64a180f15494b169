//! The `wss://` listener with certificates made at run time, read by a real rustls client.

mod common;

use std::sync::Arc;

use cabinet_sim::tls::{EXPIRED_NOT_AFTER_UNIX, LOOPBACK_NAMES};
use cabinet_sim::{Scenario, TestCa, TlsIdentity, Validity};
use common::*;
use tokio_rustls::rustls::pki_types::pem::PemObject as _;
use tokio_rustls::rustls::pki_types::CertificateDer;
use tokio_rustls::rustls::{self, CertificateError, ClientConfig, RootCertStore};
use tokio_tungstenite::tungstenite::Error as WsError;
use tokio_tungstenite::Connector;

/// Builds a rustls client configuration that trusts only `ca_pem`.
fn trusting(ca_pem: &str) -> Arc<ClientConfig> {
    let mut roots = RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(ca_pem.as_bytes()) {
        roots.add(cert.unwrap()).unwrap();
    }
    Arc::new(
        ClientConfig::builder()
            .with_root_certificates(roots)
            .with_no_client_auth(),
    )
}

async fn start_tls(identity: TlsIdentity) -> cabinet_sim::RunningSim {
    cabinet_sim::start(short_config(Scenario::ThreeDrinks).with_tls(identity))
        .await
        .expect("simulator starts with TLS")
}

/// Connects with a client that trusts `ca_pem` and returns the certificate error, if any.
async fn certificate_error(sim: &cabinet_sim::RunningSim, ca_pem: &str) -> CertificateError {
    let connector = Connector::Rustls(trusting(ca_pem));
    let result = tokio_tungstenite::connect_async_tls_with_config(
        session_url(sim),
        None,
        false,
        Some(connector),
    )
    .await;

    let error = match result {
        Err(WsError::Io(error)) => error,
        Err(other) => panic!("expected an I/O error from the TLS handshake, got {other}"),
        Ok(_) => panic!("expected the TLS handshake to fail"),
    };
    match error
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>())
    {
        Some(rustls::Error::InvalidCertificate(certificate)) => certificate.clone(),
        other => panic!("expected a certificate error, got {other:?} ({error})"),
    }
}

#[tokio::test]
async fn trusted_certificate_serves_session() {
    let ca = TestCa::new().unwrap();
    let sim = start_tls(ca.issue(&LOOPBACK_NAMES, Validity::Current).unwrap()).await;
    let connector = Connector::Rustls(trusting(&ca.cert_pem()));

    let (mut client, _response) = tokio_tungstenite::connect_async_tls_with_config(
        session_url(&sim),
        None,
        false,
        Some(connector),
    )
    .await
    .expect("the client trusts the test CA");
    let door = next_text(&mut client).await;
    let final_frame = next_json(&mut client).await;
    close_with(&mut client, 1000, "").await;

    assert!(
        sim.ws_endpoint().starts_with("wss://127.0.0.1:"),
        "{}",
        sim.ws_endpoint()
    );
    assert!(
        sim.http_base().starts_with("https://"),
        "{}",
        sim.http_base()
    );
    assert_eq!(door, DOOR_OPENED);
    assert_eq!(final_frame, expected_three_drinks(&sim));
}

#[tokio::test]
async fn pictures_are_served_over_https() {
    let ca = TestCa::new().unwrap();
    let sim = start_tls(ca.issue(&LOOPBACK_NAMES, Validity::Current).unwrap()).await;
    let client = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(ca.cert_pem().as_bytes()).unwrap())
        .build()
        .unwrap();

    let response = client
        .get(format!("{}/upload/image/fault-404.jpg", sim.http_base()))
        .send()
        .await
        .unwrap();

    assert_eq!(response.status().as_u16(), 404);
    assert_eq!(sim.image_requests("/upload/image/fault-404.jpg"), 1);
}

#[tokio::test]
async fn self_signed_is_unknown_issuer() {
    let ca = TestCa::new().unwrap();
    let sim = start_tls(TlsIdentity::self_signed(&LOOPBACK_NAMES).unwrap()).await;

    let error = certificate_error(&sim, &ca.cert_pem()).await;

    assert_eq!(error, CertificateError::UnknownIssuer);
}

#[tokio::test]
async fn expired_certificate_reports_not_after() {
    let ca = TestCa::new().unwrap();
    let sim = start_tls(ca.issue(&LOOPBACK_NAMES, Validity::Expired).unwrap()).await;

    let error = certificate_error(&sim, &ca.cert_pem()).await;

    match error {
        CertificateError::ExpiredContext { not_after, .. } => {
            assert_eq!(not_after.as_secs(), EXPIRED_NOT_AFTER_UNIX)
        }
        other => panic!("expected an expired certificate, got {other:?}"),
    }
}

#[tokio::test]
async fn wrong_host_certificate_is_rejected() {
    let ca = TestCa::new().unwrap();
    let sim = start_tls(
        ca.issue(&["cabinet.example.com"], Validity::Current)
            .unwrap(),
    )
    .await;

    let error = certificate_error(&sim, &ca.cert_pem()).await;

    match error {
        CertificateError::NotValidForNameContext { presented, .. } => {
            assert_eq!(presented, ["DnsName(\"cabinet.example.com\")"])
        }
        other => panic!("expected a wrong-host certificate, got {other:?}"),
    }
}
