//! The session client: one WebSocket connection from handshake to close.
//!
//! The client only listens. It turns each frame into a [`SessionEvent`], feeds the event to the
//! [`SessionState`] machine and forwards it to the caller, then acts on the new state: a state
//! that [`closes the connection`](SessionState::closes_connection) gets a normal close (1000).

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures_util::{SinkExt, StreamExt};
use tokio::net::TcpStream;
use tokio::sync::mpsc;
use tokio::time::{interval_at, sleep_until, timeout, Instant, MissedTickBehavior};
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::{CloseFrame, WebSocketConfig};
use tokio_tungstenite::tungstenite::{self, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};
use tokio_util::sync::CancellationToken;
use tracing::{debug, info, warn};

use crate::endpoint::SessionTarget;
use crate::event::{ConnectErrorKind, LostCause, ProtocolErrorKind, SessionEvent};
use crate::frame::{decode, DecodeError, Frame};
use crate::state::SessionState;

/// Maximum excerpt of a frame or a response body kept in an event, in characters.
const EXCERPT_CHARS: usize = 200;

/// Timeouts and limits of one session.
#[derive(Debug, Clone)]
pub struct SessionConfig {
    /// How long the TCP, TLS and WebSocket handshakes may take together.
    pub connect_timeout: Duration,
    /// How long to wait for the door frame after connecting.
    pub door_wait_timeout: Duration,
    /// How often to send a WebSocket ping while the connection is open.
    pub ping_interval: Duration,
    /// How long the server may stay silent (not even a pong) before it is taken for dead.
    pub dead_peer_timeout: Duration,
    /// How long to wait for the server's close frame after sending ours.
    pub close_timeout: Duration,
    /// Largest message and frame accepted, in bytes. A 600-line final list is about 300 KiB.
    pub max_message_bytes: usize,
}

impl Default for SessionConfig {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            door_wait_timeout: Duration::from_secs(90),
            // Common proxies drop connections that stay silent for 60 s.
            ping_interval: Duration::from_secs(20),
            dead_peer_timeout: Duration::from_secs(45),
            close_timeout: Duration::from_secs(3),
            max_message_bytes: 8 * 1024 * 1024,
        }
    }
}

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// A durable log of received frames. The client appends each text frame, with the token
/// masked, before it decodes the frame, so a crash after that point loses nothing received.
pub trait FrameJournal: Send + Sync + 'static {
    /// Appends one frame. Called from a blocking thread, so it may write and sync a file.
    fn append(&self, frame: &str) -> std::io::Result<()>;
}

/// Runs one session to its end and returns the end state.
///
/// Every event is sent to `events` as it happens. The session also ends, with a normal close,
/// when `cancel` fires or when the receiver of `events` is dropped.
pub async fn run_session(
    target: SessionTarget,
    config: SessionConfig,
    cancel: CancellationToken,
    events: mpsc::Sender<SessionEvent>,
) -> SessionState {
    run_journaled_session(target, config, cancel, events, None).await
}

/// Runs one session like [`run_session`], appending every text frame to `journal` first.
pub async fn run_journaled_session(
    target: SessionTarget,
    config: SessionConfig,
    cancel: CancellationToken,
    events: mpsc::Sender<SessionEvent>,
    journal: Option<Arc<dyn FrameJournal>>,
) -> SessionState {
    let mut session = Session {
        target,
        config,
        events,
        journal,
        state: SessionState::Connecting,
    };
    info!(url = %session.target.display_url(), "session starting");

    let socket = tokio::select! {
        biased;
        () = cancel.cancelled() => {
            session.emit(SessionEvent::Cancelled).await;
            return session.state;
        }
        socket = session.connect() => socket,
    };
    let Some(socket) = socket else {
        return session.state;
    };

    session.emit(SessionEvent::Connected).await;
    session.listen(socket, cancel).await;
    info!(phase = session.state.phase(), "session ended");
    session.state
}

struct Session {
    target: SessionTarget,
    config: SessionConfig,
    events: mpsc::Sender<SessionEvent>,
    journal: Option<Arc<dyn FrameJournal>>,
    state: SessionState,
}

impl Session {
    /// Applies the event to the state machine, then forwards it. A dropped receiver is logged
    /// once by the caller's cancellation; events sent after that are discarded.
    async fn emit(&mut self, event: SessionEvent) {
        let next = self.state.apply(&event);
        if next != self.state {
            debug!(
                from = self.state.phase(),
                to = next.phase(),
                "session state changed"
            );
        }
        self.state = next;

        if self.events.send(event).await.is_err() {
            debug!("session event receiver dropped, event discarded");
        }
    }

    fn excerpt(&self, text: &str) -> String {
        let scrubbed = self.target.token().scrub(text);
        let mut excerpt: String = scrubbed.chars().take(EXCERPT_CHARS).collect();
        if scrubbed.chars().count() > EXCERPT_CHARS {
            excerpt.push('…');
        }
        excerpt
    }

    async fn connect(&mut self) -> Option<Socket> {
        let ws_config = WebSocketConfig::default()
            .max_message_size(Some(self.config.max_message_bytes))
            .max_frame_size(Some(self.config.max_message_bytes));
        let url = self.target.connect_url();
        let attempt = tokio_tungstenite::connect_async_with_config(url, Some(ws_config), true);

        let event = match timeout(self.config.connect_timeout, attempt).await {
            Ok(Ok((socket, response))) => {
                info!(status = response.status().as_u16(), host = %self.target.endpoint_host(), "connected");
                return Some(socket);
            }
            Ok(Err(tungstenite::Error::Http(response))) => {
                let status = response.status().as_u16();
                let body = response
                    .body()
                    .as_deref()
                    .map(String::from_utf8_lossy)
                    .unwrap_or_default();
                let body_excerpt = self.excerpt(&body);
                warn!(status, body = %body_excerpt, "handshake rejected");
                SessionEvent::HandshakeRejected {
                    status,
                    body_excerpt,
                }
            }
            Ok(Err(error)) => {
                let kind = classify_connect_error(&error);
                let reason = self.excerpt(&error.to_string());
                warn!(?kind, %reason, host = %self.target.endpoint_host(), "connect failed");
                SessionEvent::ConnectFailed { kind, reason }
            }
            Err(_) => {
                let reason = format!("timed out after {:?}", self.config.connect_timeout);
                warn!(%reason, host = %self.target.endpoint_host(), "connect timed out");
                SessionEvent::ConnectFailed {
                    kind: ConnectErrorKind::TimedOut,
                    reason,
                }
            }
        };
        self.emit(event).await;
        None
    }

    /// Reads frames until the session ends, sending pings and watching for a dead peer meanwhile.
    async fn listen(&mut self, mut socket: Socket, cancel: CancellationToken) {
        let start = Instant::now();
        let door_deadline = start + self.config.door_wait_timeout;
        let mut last_heard = start;
        let mut pings = interval_at(start + self.config.ping_interval, self.config.ping_interval);
        pings.set_missed_tick_behavior(MissedTickBehavior::Delay);

        while !self.state.is_ended() {
            let waiting_for_door = matches!(self.state, SessionState::WaitingForDoor);
            let dead_peer_deadline = last_heard + self.config.dead_peer_timeout;

            tokio::select! {
                biased;
                () = cancel.cancelled() => {
                    info!("session cancelled by the user");
                    self.emit(SessionEvent::Cancelled).await;
                }
                () = self.events.closed() => {
                    info!("session event receiver dropped, cancelling");
                    self.emit(SessionEvent::Cancelled).await;
                }
                message = socket.next() => {
                    last_heard = Instant::now();
                    self.on_message(message).await;
                }
                _ = pings.tick() => {
                    if let Err(error) = socket.send(Message::Ping(Vec::new().into())).await {
                        let reason = self.excerpt(&error.to_string());
                        warn!(%reason, "ping failed, connection lost");
                        self.emit(SessionEvent::ConnectionLost { cause: LostCause::Reset, close_code: None, reason }).await;
                    }
                }
                () = sleep_until(door_deadline), if waiting_for_door => {
                    let waited_secs = self.config.door_wait_timeout.as_secs();
                    warn!(waited_secs, "door frame did not arrive in time");
                    self.emit(SessionEvent::DoorTimedOut { waited_secs }).await;
                }
                () = sleep_until(dead_peer_deadline) => {
                    let silent_secs = self.config.dead_peer_timeout.as_secs();
                    warn!(silent_secs, "server answered no ping, connection taken for dead");
                    self.emit(SessionEvent::ConnectionLost {
                        cause: LostCause::DeadPeer,
                        close_code: None,
                        reason: format!("no answer from the server for {silent_secs} s"),
                    })
                    .await;
                }
            }
        }

        if self.state.closes_connection() {
            self.close(socket).await;
        }
    }

    async fn on_message(&mut self, message: Option<Result<Message, tungstenite::Error>>) {
        let message = match message {
            Some(Ok(message)) => message,
            Some(Err(error)) => {
                let cause = match error {
                    tungstenite::Error::Capacity(_) => LostCause::TooLarge,
                    tungstenite::Error::Protocol(_) | tungstenite::Error::Io(_) => LostCause::Reset,
                    _ => LostCause::Other,
                };
                let reason = self.excerpt(&error.to_string());
                warn!(?cause, %reason, "connection lost");
                self.emit(SessionEvent::ConnectionLost {
                    cause,
                    close_code: None,
                    reason,
                })
                .await;
                return;
            }
            None => {
                warn!("connection closed without a close frame");
                let reason = "the connection closed without a close frame".to_owned();
                self.emit(SessionEvent::ConnectionLost {
                    cause: LostCause::Reset,
                    close_code: None,
                    reason,
                })
                .await;
                return;
            }
        };

        match message {
            Message::Text(text) => self.on_text(text.as_str()).await,
            Message::Binary(bytes) => {
                let reason = format!("unexpected binary frame of {} bytes", bytes.len());
                warn!(%reason, "protocol error");
                let excerpt = self.excerpt(&String::from_utf8_lossy(
                    &bytes[..bytes.len().min(EXCERPT_CHARS)],
                ));
                self.emit(SessionEvent::ProtocolError {
                    kind: ProtocolErrorKind::Binary,
                    reason,
                    excerpt,
                })
                .await;
            }
            Message::Close(frame) => {
                let close_code = frame.as_ref().map(|frame| u16::from(frame.code));
                let reason = frame
                    .as_ref()
                    .map(|frame| self.excerpt(frame.reason.as_str()))
                    .unwrap_or_default();
                warn!(?close_code, %reason, "server closed the connection before the session ended");
                self.emit(SessionEvent::ConnectionLost {
                    cause: LostCause::ServerClosed,
                    close_code,
                    reason,
                })
                .await;
            }
            // Tungstenite replies to pings itself. Pongs only count as signs of life.
            Message::Ping(_) | Message::Pong(_) | Message::Frame(_) => {}
        }
    }

    async fn on_text(&mut self, text: &str) {
        self.journal_frame(text).await;

        let decoded = match decode(text) {
            Ok(decoded) => decoded,
            Err(error) => {
                let kind = match error {
                    DecodeError::NotJson { .. } => ProtocolErrorKind::NotJson,
                    DecodeError::NotAnObject => ProtocolErrorKind::NotAnObject,
                    DecodeError::MissingType => ProtocolErrorKind::MissingType,
                    DecodeError::MissingField { .. } => ProtocolErrorKind::MissingField,
                    DecodeError::InvalidField(_) => ProtocolErrorKind::InvalidField,
                };
                let reason = error.to_string();
                let excerpt = self.excerpt(text);
                warn!(%reason, frame = %excerpt, "protocol error");
                self.emit(SessionEvent::ProtocolError {
                    kind,
                    reason,
                    excerpt,
                })
                .await;
                return;
            }
        };
        if !decoded.unknown_fields.is_empty() {
            debug!(fields = ?decoded.unknown_fields, "frame has fields the contract does not define");
        }

        let event = match decoded.frame {
            Frame::Door {
                opened: true,
                message,
                ..
            } => {
                info!("door opened");
                SessionEvent::DoorOpened {
                    message,
                    at_ms: now_ms(),
                }
            }
            Frame::Door {
                opened: false,
                message,
                code,
            } => {
                info!(?code, "door did not open");
                SessionEvent::DoorFailed { message, code }
            }
            Frame::Final(list) => {
                info!(record_id = ?list.record_id, lines = list.lines.len(), "final list received");
                SessionEvent::FinalList(list)
            }
            Frame::Failure { message, code } => {
                info!(?code, "server rejected the session");
                SessionEvent::Failure { message, code }
            }
            Frame::Unknown { type_name } => {
                let type_name = self.excerpt(&type_name);
                info!(%type_name, "ignoring a frame of unknown type");
                SessionEvent::UnknownType { type_name }
            }
        };
        self.emit(event).await;
    }

    /// Appends the frame, token masked, to the journal off the async threads. A failed append is
    /// logged and the session goes on: the frame is still shown and stored when its session ends.
    async fn journal_frame(&self, text: &str) {
        let Some(journal) = self.journal.clone() else {
            return;
        };
        let frame = self.target.token().scrub(text);
        let appended = tokio::task::spawn_blocking(move || journal.append(&frame)).await;
        match appended {
            Ok(Ok(())) => {}
            Ok(Err(error)) => warn!(%error, "frame not journaled"),
            Err(error) => warn!(%error, "frame journal task failed"),
        }
    }

    /// Sends a normal close and waits, up to the close timeout, for the server to end the
    /// connection, so the close code reliably reaches it.
    async fn close(&mut self, mut socket: Socket) {
        let frame = CloseFrame {
            code: CloseCode::Normal,
            reason: "".into(),
        };
        if let Err(error) = socket.close(Some(frame)).await {
            debug!(reason = %self.excerpt(&error.to_string()), "close frame not sent, connection already gone");
            return;
        }

        let drained = timeout(self.config.close_timeout, async {
            while let Some(Ok(_)) = socket.next().await {}
        })
        .await;
        if drained.is_err() {
            debug!("server did not finish the close handshake in time, dropping the connection");
        }
        self.emit(SessionEvent::Closed { close_code: 1000 }).await;
        info!("connection closed with code 1000");
    }
}

/// Sorts a failed connect into the kinds the user gets a distinct message for.
fn classify_connect_error(error: &tungstenite::Error) -> ConnectErrorKind {
    match error {
        tungstenite::Error::Io(io) => match io.kind() {
            std::io::ErrorKind::ConnectionRefused => ConnectErrorKind::Refused,
            std::io::ErrorKind::TimedOut => ConnectErrorKind::TimedOut,
            std::io::ErrorKind::ConnectionReset
            | std::io::ErrorKind::ConnectionAborted
            | std::io::ErrorKind::UnexpectedEof => ConnectErrorKind::Reset,
            // The resolver reports failures as plain I/O errors, with no kind of their own.
            _ if io.to_string().contains("lookup") || io.to_string().contains("resolve") => {
                ConnectErrorKind::Dns
            }
            _ => ConnectErrorKind::Other,
        },
        tungstenite::Error::Tls(_) => ConnectErrorKind::Tls,
        tungstenite::Error::Protocol(_) | tungstenite::Error::HttpFormat(_) => {
            ConnectErrorKind::NotWebSocket
        }
        _ => ConnectErrorKind::Other,
    }
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| elapsed.as_millis() as u64)
        .unwrap_or_default()
}
