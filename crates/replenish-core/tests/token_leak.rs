//! Checks that the token reaches no log line, no event and no scrubbed text.
//!
//! This file has its own test binary because it installs a process-wide subscriber: it captures
//! every tracing event at TRACE level, and through the `log` bridge also the records of
//! libraries that log with the `log` crate, such as tungstenite.

use std::io;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use cabinet_sim::{Scenario, SimConfig, DEFAULT_DEVICE_NO};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use replenish_core::endpoint::{SessionRequest, SessionTarget};
use replenish_core::event::SessionEvent;
use replenish_core::session::{run_session, SessionConfig};
use replenish_core::state::SessionState;
use replenish_core::token::Token;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

/// A token with characters that the session URL must percent-encode, including `~`, which
/// RFC 3986 leaves literal but form encoding does not, and `*`, which form encoding leaves
/// literal.
const TOKEN: &str = "Rk7~pQ/z+w=9&v%Tok*Xn-4";

/// RFC 3986's unreserved set, the characters the session URL leaves literal in a query value.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

#[derive(Clone, Default)]
struct SharedBuffer(Arc<Mutex<Vec<u8>>>);

impl io::Write for SharedBuffer {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Installs the capturing subscriber once for this process and returns its buffer.
fn captured_logs() -> SharedBuffer {
    static BUFFER: OnceLock<SharedBuffer> = OnceLock::new();
    BUFFER
        .get_or_init(|| {
            let buffer = SharedBuffer::default();
            let writer = buffer.clone();
            tracing_subscriber::fmt()
                .with_max_level(tracing::Level::TRACE)
                .with_ansi(false)
                .with_writer(move || writer.clone())
                .try_init()
                .expect("no other subscriber is installed in this test binary");
            buffer
        })
        .clone()
}

/// Returns the lowercase-hex variant of a percent-encoded text, leaving other characters alone.
fn lowercase_hex(encoded: &str) -> String {
    let mut result = String::with_capacity(encoded.len());
    let mut hex_digits_left = 0;
    for character in encoded.chars() {
        if character == '%' {
            hex_digits_left = 2;
            result.push(character);
        } else if hex_digits_left > 0 {
            hex_digits_left -= 1;
            result.push(character.to_ascii_lowercase());
        } else {
            result.push(character);
        }
    }
    result
}

/// Returns every form in which `secret` may appear in a text: raw, percent-encoded as the session URL
/// sends it, with every non-alphanumeric byte encoded, form-urlencoded, and each encoded form
/// with lowercase hex digits.
fn secret_forms(secret: &str) -> Vec<String> {
    let encoded = [
        utf8_percent_encode(secret, QUERY_VALUE).to_string(),
        utf8_percent_encode(secret, NON_ALPHANUMERIC).to_string(),
        url::form_urlencoded::byte_serialize(secret.as_bytes()).collect::<String>(),
    ];
    let mut forms = vec![secret.to_owned()];
    for form in encoded {
        forms.push(lowercase_hex(&form));
        forms.push(form);
    }
    forms.sort();
    forms.dedup();
    forms
}

/// Returns the lines of `text` that contain `secret` in any form.
fn leaking_lines(text: &str, secret: &str) -> Vec<String> {
    let forms = secret_forms(secret);
    text.lines()
        .filter(|line| forms.iter().any(|form| line.contains(form.as_str())))
        .map(str::to_owned)
        .collect()
}

fn target(endpoint: &str, token: &str) -> SessionTarget {
    let request = SessionRequest {
        endpoint: endpoint.to_owned(),
        device_no: DEFAULT_DEVICE_NO.to_string(),
        token: token.to_owned(),
        device_name: None,
    };
    SessionTarget::parse(&request).expect("the test target is valid")
}

fn quick_config() -> SessionConfig {
    SessionConfig {
        connect_timeout: Duration::from_secs(3),
        door_wait_timeout: Duration::from_secs(5),
        close_timeout: Duration::from_secs(1),
        ..SessionConfig::default()
    }
}

async fn run(target: SessionTarget) -> (Vec<SessionEvent>, SessionState) {
    let (sender, mut receiver) = mpsc::channel(16);
    let session = tokio::spawn(run_session(
        target,
        quick_config(),
        CancellationToken::new(),
        sender,
    ));
    let collect = async {
        let mut events = Vec::new();
        while let Some(event) = receiver.recv().await {
            events.push(event);
        }
        events
    };
    let events = tokio::time::timeout(Duration::from_secs(20), collect)
        .await
        .expect("the session ended within 20 s");
    (events, session.await.unwrap())
}

/// Starts a server that rejects every handshake with 401 and echoes the request line, token
/// included, in the body.
async fn start_echo_rejecter() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let mut request = vec![0_u8; 8192];
            let read = stream.read(&mut request).await.unwrap_or(0);
            let text = String::from_utf8_lossy(&request[..read]).into_owned();
            let body = format!(
                "no such token in {}",
                text.lines().next().unwrap_or_default()
            );
            let response = format!(
                "HTTP/1.1 401 Unauthorized\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(response.as_bytes()).await;
        }
    });
    format!("ws://{addr}/websocket/ssib/replenish")
}

/// Runs a successful, a rejected, an echo-rejected and a refused session with [`TOKEN`].
async fn run_every_kind_of_session() -> Vec<(&'static str, Vec<SessionEvent>)> {
    let mut runs = Vec::new();

    let accepting = cabinet_sim::start(
        SimConfig::new(Scenario::ThreeDrinks)
            .with_token(TOKEN)
            .with_door_delay(Duration::from_millis(50))
            .with_door_open_for(Duration::from_millis(100)),
    )
    .await
    .unwrap();
    let (events, end) = run(target(&accepting.ws_endpoint(), TOKEN)).await;
    assert_eq!(end, SessionState::Finished, "{events:?}");
    runs.push(("accepted", events));
    accepting.shutdown().await;

    let rejecting = cabinet_sim::start(SimConfig::new(Scenario::ThreeDrinks))
        .await
        .unwrap();
    let (events, end) = run(target(&rejecting.ws_endpoint(), TOKEN)).await;
    assert_eq!(end.phase(), "failed", "{events:?}");
    runs.push(("rejected", events));
    rejecting.shutdown().await;

    let echoing = start_echo_rejecter().await;
    let (events, end) = run(target(&echoing, TOKEN)).await;
    assert_eq!(end.phase(), "failed", "{events:?}");
    runs.push(("echo-rejected", events));

    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let refused_endpoint = format!("ws://{}/x", listener.local_addr().unwrap());
    drop(listener);
    let (events, end) = run(target(&refused_endpoint, TOKEN)).await;
    assert_eq!(end.phase(), "failed", "{events:?}");
    runs.push(("refused", events));

    runs
}

// NOTE: tungstenite 0.28 logs the whole handshake request, token included, at TRACE level
// through the `log` crate (target `tungstenite::handshake::client`), so this test fails until
// that record is compiled out or filtered.
#[tokio::test]
async fn logs_carry_no_token() {
    let logs = captured_logs();
    run_every_kind_of_session().await;

    let text = String::from_utf8_lossy(&logs.0.lock().unwrap()).into_owned();
    assert!(text.contains("session starting"), "nothing was captured");
    let leaks = leaking_lines(&text, TOKEN);
    assert!(
        leaks.is_empty(),
        "log lines with the token:\n{}",
        leaks.join("\n")
    );
}

#[tokio::test]
async fn events_carry_no_token() {
    captured_logs();
    let runs = run_every_kind_of_session().await;

    for (kind, events) in runs {
        let debug = format!("{events:?}");
        let leaks = leaking_lines(&debug, TOKEN);
        assert!(
            leaks.is_empty(),
            "{kind} session events contain the token: {debug}"
        );
    }
}

#[test]
fn secret_forms_cover_sent_url() {
    // Checks the helper: the URL the client sends contains one of the forms.
    let url = target("ws://127.0.0.1:9/x", TOKEN).connect_url();
    assert!(!leaking_lines(&url, TOKEN).is_empty(), "{url}");
}

// ---- Token::scrub ----

#[test]
fn scrub_removes_token_from_sent_url() {
    let target = target("ws://127.0.0.1:9/x", TOKEN);
    let url = target.connect_url();

    let scrubbed = target.token().scrub(&url);
    assert_eq!(leaking_lines(&scrubbed, TOKEN), Vec::<String>::new());
}

#[test]
fn scrub_removes_every_form() {
    let token = Token::new(TOKEN);
    for form in secret_forms(TOKEN) {
        let text = format!("GET /x?token={form} HTTP/1.1");
        let scrubbed = token.scrub(&text);
        assert_eq!(
            scrubbed,
            format!("GET /x?token={} HTTP/1.1", token.masked()),
            "{form}"
        );
    }
}

#[test]
fn scrub_lowercase_hex_keeps_letter_case() {
    // A server that writes lowercase hex digits keeps the letters of the token as they are, so
    // lowercasing the whole encoded token does not produce what it sends.
    let token = Token::new("ABCdef/ghiJKL12345");
    let scrubbed = token.scrub("token=ABCdef%2fghiJKL12345");

    assert_eq!(scrubbed, format!("token={}", token.masked()));
}

#[test]
fn scrub_plain_token() {
    let token = Token::new("plainTokenValue123456");
    let scrubbed = token.scrub("a plainTokenValue123456 b plainTokenValue123456");

    assert_eq!(scrubbed, "a plai…3456 b plai…3456");
}
