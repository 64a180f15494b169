//! The presenter's messages for connect failures: one detail and one next step per kind, each
//! naming the endpoint, with every key present in both catalogues.

use i18n::{Catalogue, Language};
use replenish_core::event::{CertificateProblem, ConnectErrorKind, SessionEvent};
use replenish_core::presenter::{Presenter, SessionContext};
use replenish_core::view::{Message, SessionView};

const ENDPOINT_HOST: &str = "cabinet.example.com:8443";

fn context() -> SessionContext {
    SessionContext {
        session_id: 7,
        device_no: "181200005".to_owned(),
        device_name: None,
        endpoint_host: ENDPOINT_HOST.to_owned(),
        endpoint: format!("wss://{ENDPOINT_HOST}/websocket/ssib/replenish"),
    }
}

fn no_images(_: &str) -> Option<String> {
    None
}

/// Feeds one event to a new presenter and returns the view after it.
fn view_after(event: SessionEvent) -> SessionView {
    let mut presenter = Presenter::new(context());
    presenter.on_event(&event, &mut no_images);
    presenter.session_view()
}

fn connect_failed(kind: ConnectErrorKind) -> SessionView {
    view_after(SessionEvent::ConnectFailed {
        kind,
        reason: "library message".to_owned(),
    })
}

/// Asserts that `message` exists in both catalogues and that every argument fills a slot.
fn assert_in_catalogues(message: &Message) {
    for language in [Language::ZhCn, Language::En] {
        let catalogue = Catalogue::get(language);
        let text = catalogue
            .entries()
            .get(message.key)
            .unwrap_or_else(|| panic!("{} lacks {}", language.tag(), message.key));
        for name in message.args.keys() {
            assert!(
                text.contains(&format!("{{{name}}}")),
                "{} {}: no slot {{{name}}} in {text:?}",
                language.tag(),
                message.key
            );
        }
    }
}

#[test]
fn every_kind_has_own_detail_and_step() {
    let cases = [
        (
            ConnectErrorKind::Refused,
            "session.detail.connect.refused",
            "next.connect.refused",
        ),
        (
            ConnectErrorKind::TimedOut,
            "session.detail.connect.timed_out",
            "next.connect.timed_out",
        ),
        (
            ConnectErrorKind::Dns,
            "session.detail.connect.dns",
            "next.connect.dns",
        ),
        (
            ConnectErrorKind::Tls,
            "session.detail.connect.tls",
            "next.connect.tls",
        ),
        (
            ConnectErrorKind::Certificate(CertificateProblem::UnknownIssuer),
            "session.detail.connect.certificate_unknown_issuer",
            "next.connect.certificate_unknown_issuer",
        ),
        (
            ConnectErrorKind::Certificate(CertificateProblem::Expired {
                not_after_unix: Some(1_609_459_200),
            }),
            "session.detail.connect.certificate_expired",
            "next.connect.certificate_expired",
        ),
        (
            ConnectErrorKind::Certificate(CertificateProblem::Expired {
                not_after_unix: None,
            }),
            "session.detail.connect.certificate_expired_undated",
            "next.connect.certificate_expired",
        ),
        (
            ConnectErrorKind::Certificate(CertificateProblem::WrongHost),
            "session.detail.connect.certificate_wrong_host",
            "next.connect.certificate_wrong_host",
        ),
        (
            ConnectErrorKind::Certificate(CertificateProblem::Other),
            "session.detail.connect.certificate_other",
            "next.connect.certificate_other",
        ),
        (
            ConnectErrorKind::Reset,
            "session.detail.connect.reset",
            "next.connect.reset",
        ),
        (
            ConnectErrorKind::NotWebSocket,
            "session.detail.connect.not_websocket",
            "next.connect.not_websocket",
        ),
    ];

    for (kind, detail_key, next_key) in cases {
        let view = connect_failed(kind);
        let detail = view.detail.expect("a detail line");
        let next_step = view.next_step.expect("a next step");

        assert_eq!(view.phase, "failed", "{kind:?}");
        assert_eq!(detail.key, detail_key, "{kind:?}");
        assert_eq!(
            detail.args.get("endpoint").map(String::as_str),
            Some(ENDPOINT_HOST),
            "{kind:?}"
        );
        assert_eq!(next_step.key, next_key, "{kind:?}");
        assert_in_catalogues(&detail);
        assert_in_catalogues(&next_step);
    }
}

#[test]
fn expired_certificate_shows_utc_date() {
    let view = connect_failed(ConnectErrorKind::Certificate(CertificateProblem::Expired {
        not_after_unix: Some(1_609_459_200),
    }));
    let detail = view.detail.unwrap();
    let english = Catalogue::get(Language::En).format(
        detail.key,
        &[("endpoint", ENDPOINT_HOST), ("date", &detail.args["date"])],
    );

    assert_eq!(detail.args["date"], "2021-01-01");
    assert_eq!(
        english,
        "The certificate of cabinet.example.com:8443 expired on 2021-01-01 (UTC)."
    );
}

#[test]
fn unrecognized_failure_shows_library_message() {
    let view = connect_failed(ConnectErrorKind::Other);
    let detail = view.detail.unwrap();

    assert_eq!(detail.key, "session.detail.connect_failed");
    assert_eq!(detail.args["error"], "library message");
    assert_eq!(view.next_step.unwrap().key, "next.connect_failed");
}

#[test]
fn other_certificate_problem_shows_library_message() {
    let view = connect_failed(ConnectErrorKind::Certificate(CertificateProblem::Other));
    let detail = view.detail.unwrap();

    assert_eq!(detail.args["error"], "library message");
    assert_in_catalogues(&detail);
}

#[test]
fn redirect_names_location_host() {
    let view = view_after(SessionEvent::HandshakeRejected {
        status: 302,
        body_excerpt: "wss://moved.example.invalid/websocket/ssib/replenish".to_owned(),
    });
    let detail = view.detail.unwrap();
    let next_step = view.next_step.unwrap();

    assert_eq!(detail.key, "session.detail.handshake_redirected");
    assert_eq!(detail.args["location"], "moved.example.invalid");
    assert_eq!(detail.args["status"], "302");
    assert_eq!(detail.args["endpoint"], ENDPOINT_HOST);
    assert_eq!(next_step.key, "next.handshake_redirected");
    assert_in_catalogues(&detail);
    assert_in_catalogues(&next_step);
}

#[test]
fn relative_redirect_names_endpoint_host() {
    let view = view_after(SessionEvent::HandshakeRejected {
        status: 301,
        body_excerpt: "/new/path".to_owned(),
    });

    assert_eq!(view.detail.unwrap().args["location"], ENDPOINT_HOST);
}

#[test]
fn other_rejection_keeps_body() {
    let view = view_after(SessionEvent::HandshakeRejected {
        status: 401,
        body_excerpt: "invalid token".to_owned(),
    });
    let detail = view.detail.unwrap();

    assert_eq!(detail.key, "session.detail.handshake_rejected");
    assert_eq!(detail.args["body"], "invalid token");
    assert_eq!(view.next_step.unwrap().key, "next.handshake_rejected");
}
