//! The session client: one session from the first handshake to the last close.
//!
//! The client only listens. It turns each frame into a [`SessionEvent`], feeds the event to the
//! [`SessionState`] machine and forwards it to the caller, then acts on the new state: a state
//! that [`closes the connection`](SessionState::closes_connection) gets a normal close (1000).
//! A connection that drops before the session ends is opened again, within the limits of the
//! [`ReconnectPolicy`]; the session goes on over the new connection.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures_util::{SinkExt, StreamExt};
use tokio::net::TcpStream;
use tokio::sync::mpsc;
use tokio::time::{interval_at, sleep, sleep_until, timeout, Instant, MissedTickBehavior};
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::{CloseFrame, WebSocketConfig};
use tokio_tungstenite::tungstenite::{self, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};
use tokio_util::sync::CancellationToken;
use tracing::{debug, info, warn};

use crate::connector::{self, ConnectError, TrustedRoots};
use crate::endpoint::SessionTarget;
use crate::event::{ConnectErrorKind, LostCause, ProtocolErrorKind, SessionEvent};
use crate::frame::{decode, DecodeError, Frame};
use crate::problems::ProblemTally;
use crate::reconnect::{is_retryable, ReconnectPolicy};
use crate::state::SessionState;

/// Bad or unknown frames journaled per session. Every good frame is journaled and synced before
/// it is acted on, so nothing received is lost in a crash; a bad frame adds nothing to recovery,
/// and syncing each of a flood of them would stall the session for minutes and fill the disk.
/// The first ones stay for diagnosis.
const MAX_BAD_FRAMES_JOURNALED: u32 = 50;

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
    /// When to connect again after the connection drops.
    pub reconnect: ReconnectPolicy,
    /// Certificate authorities trusted for `wss://` besides the operating system's, such as a
    /// company proxy's root.
    pub trusted_roots: TrustedRoots,
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
            reconnect: ReconnectPolicy::default(),
            trusted_roots: TrustedRoots::default(),
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
        reconnects: 0,
        retry_after: Duration::ZERO,
        problems: ProblemTally::default(),
        bad_frames_journaled: 0,
    };
    info!(url = %session.target.display_url(), "session starting");

    loop {
        let socket = tokio::select! {
            biased;
            () = cancel.cancelled() => {
                session.emit(SessionEvent::Cancelled).await;
                break;
            }
            socket = session.connect() => socket,
        };
        if let Some(socket) = socket {
            session.emit(SessionEvent::Connected).await;
            session.listen(socket, &cancel).await;
        }

        if !session.state.is_reconnecting() || !session.wait_to_reconnect(&cancel).await {
            break;
        }
    }

    session.problems.log_summary();
    info!(
        phase = session.state.phase(),
        reconnects = session.reconnects,
        "session ended"
    );
    session.state
}

struct Session {
    target: SessionTarget,
    config: SessionConfig,
    events: mpsc::Sender<SessionEvent>,
    journal: Option<Arc<dyn FrameJournal>>,
    state: SessionState,
    /// Reconnect attempts made so far in this session.
    reconnects: u32,
    /// The wait before the coming reconnect attempt, chosen when the connection dropped.
    retry_after: Duration,
    /// Bad frames seen so far, so each kind is logged once however often it repeats.
    problems: ProblemTally,
    /// Bad or unknown frames seen so far, of which the first few are journaled.
    bad_frames_journaled: u32,
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
        let attempt = connector::open(&url, ws_config, &self.config.trusted_roots);

        let event = match timeout(self.config.connect_timeout, attempt).await {
            Ok(Ok((socket, response))) => {
                info!(status = response.status().as_u16(), host = %self.target.endpoint_host(), "connected");
                return Some(socket);
            }
            Ok(Err(ConnectError::Rejected {
                status,
                body,
                location,
            })) => {
                // A redirect is reported with its target and never followed: the token must
                // not go to a host the user did not enter.
                let body_excerpt = match location {
                    Some(location) if (300..400).contains(&status) => self.excerpt(&location),
                    _ => self.excerpt(&body),
                };
                warn!(status, body = %body_excerpt, "handshake rejected");
                SessionEvent::HandshakeRejected {
                    status,
                    body_excerpt,
                }
            }
            Ok(Err(ConnectError::Failed { kind, reason })) => {
                let reason = self.excerpt(&reason);
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
        self.connect_failed(event).await;
        None
    }

    /// Reports a failed connect. The first connect's failure ends the session with its own
    /// message. A failed reconnect is one more interruption, unless the server refused the
    /// client itself (HTTP 4xx): the same request would be refused again.
    async fn connect_failed(&mut self, event: SessionEvent) {
        if !self.state.is_reconnecting() {
            self.emit(event).await;
            return;
        }

        let reason = match &event {
            SessionEvent::HandshakeRejected { status, .. } if (400..500).contains(status) => {
                self.emit(event).await;
                return;
            }
            SessionEvent::HandshakeRejected { status, .. } => format!("HTTP status {status}"),
            SessionEvent::ConnectFailed { reason, .. } => reason.clone(),
            _ => String::new(),
        };
        self.lost(LostCause::Unreachable, None, reason).await;
    }

    /// Handles a connection that ended before the session did: schedules a reconnect while the
    /// policy allows one, and otherwise ends the session as lost.
    async fn lost(&mut self, cause: LostCause, close_code: Option<u16>, reason: String) {
        let policy = &self.config.reconnect;
        if !is_retryable(cause) || self.reconnects >= policy.max_attempts {
            if self.reconnects > 0 {
                warn!(
                    reconnects = self.reconnects,
                    "reconnect attempts used up, session lost"
                );
            }
            self.emit(SessionEvent::ConnectionLost {
                cause,
                close_code,
                reason,
            })
            .await;
            return;
        }

        let next_attempt = self.reconnects + 1;
        let max_attempts = policy.max_attempts;
        self.retry_after = policy.delay(next_attempt);
        let delay_ms = u64::try_from(self.retry_after.as_millis()).unwrap_or(u64::MAX);
        info!(
            ?cause,
            ?close_code,
            next_attempt,
            max_attempts,
            delay_ms,
            "connection interrupted, reconnecting after a wait"
        );
        self.emit(SessionEvent::Interrupted {
            cause,
            close_code,
            reason,
            next_attempt,
            max_attempts,
            delay_ms,
            retry_at_ms: now_ms().saturating_add(delay_ms),
        })
        .await;
    }

    /// Waits out the reconnect delay. Returns false when the user cancelled meanwhile.
    async fn wait_to_reconnect(&mut self, cancel: &CancellationToken) -> bool {
        tokio::select! {
            biased;
            () = cancel.cancelled() => {
                info!("session cancelled by the user while waiting to reconnect");
                self.emit(SessionEvent::Cancelled).await;
                false
            }
            () = self.events.closed() => {
                info!("session event receiver dropped while waiting to reconnect, cancelling");
                self.emit(SessionEvent::Cancelled).await;
                false
            }
            () = sleep(self.retry_after) => {
                self.reconnects += 1;
                info!(attempt = self.reconnects, "reconnecting");
                self.emit(SessionEvent::Reconnecting {
                    attempt: self.reconnects,
                    max_attempts: self.config.reconnect.max_attempts,
                })
                .await;
                true
            }
        }
    }

    /// Reads frames until the session ends, sending pings and watching for a dead peer meanwhile.
    async fn listen(&mut self, mut socket: Socket, cancel: &CancellationToken) {
        let start = Instant::now();
        let door_deadline = start + self.config.door_wait_timeout;
        let mut last_heard = start;
        let mut pings = interval_at(start + self.config.ping_interval, self.config.ping_interval);
        pings.set_missed_tick_behavior(MissedTickBehavior::Delay);

        while !self.state.is_ended() && !self.state.is_reconnecting() {
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
                        self.lost(LostCause::Reset, None, reason).await;
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
                    let reason = format!("no answer from the server for {silent_secs} s");
                    self.lost(LostCause::DeadPeer, None, reason).await;
                }
            }
        }

        if self.state.closes_connection() {
            self.close(socket, CloseCode::Normal).await;
        } else if let SessionState::ConnectionLost { cause, .. } = self.state {
            // The connection may still be open: tell the server why the client leaves.
            match cause {
                LostCause::TooLarge => self.close(socket, CloseCode::Size).await,
                LostCause::InvalidText => self.close(socket, CloseCode::Invalid).await,
                _ => {}
            }
        }
    }

    async fn on_message(&mut self, message: Option<Result<Message, tungstenite::Error>>) {
        let message = match message {
            Some(Ok(message)) => message,
            // RFC 6455 fails a connection that sends text that is not UTF-8, and the library
            // stops reading it, so the frame is reported and the connection closed with 1007.
            // The same server would send it again, so there is no reconnect.
            Some(Err(tungstenite::Error::Utf8(detail))) => {
                let kind = ProtocolErrorKind::NotUtf8;
                let reason = format!("text frame is not UTF-8: {detail}");
                self.problems.note(kind.name(), &reason);
                self.emit(SessionEvent::ProtocolError {
                    kind,
                    reason: reason.clone(),
                    excerpt: String::new(),
                })
                .await;
                self.lost(LostCause::InvalidText, None, reason).await;
                return;
            }
            Some(Err(error)) => {
                let cause = match error {
                    tungstenite::Error::Capacity(_) => LostCause::TooLarge,
                    tungstenite::Error::Protocol(_) | tungstenite::Error::Io(_) => LostCause::Reset,
                    _ => LostCause::Other,
                };
                let reason = self.excerpt(&error.to_string());
                warn!(?cause, %reason, "connection lost");
                self.lost(cause, None, reason).await;
                return;
            }
            None => {
                warn!("connection closed without a close frame");
                let reason = "the connection closed without a close frame".to_owned();
                self.lost(LostCause::Reset, None, reason).await;
                return;
            }
        };

        match message {
            Message::Text(text) => self.on_text(text.as_str()).await,
            Message::Binary(bytes) => {
                let reason = format!("unexpected binary frame of {} bytes", bytes.len());
                self.problems
                    .note(ProtocolErrorKind::Binary.name(), &reason);
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
                self.lost(LostCause::ServerClosed, close_code, reason).await;
            }
            // Tungstenite replies to pings itself. Pongs only count as signs of life.
            Message::Ping(_) | Message::Pong(_) | Message::Frame(_) => {}
        }
    }

    async fn on_text(&mut self, text: &str) {
        // Decoding only reads the frame; nothing acts on it before it is journaled below.
        let decoded = decode(text);
        let understood =
            matches!(&decoded, Ok(decoded) if !matches!(decoded.frame, Frame::Unknown { .. }));
        if understood || self.bad_frames_journaled < MAX_BAD_FRAMES_JOURNALED {
            self.journal_frame(text).await;
        }
        if !understood {
            self.bad_frames_journaled += 1;
            if self.bad_frames_journaled == MAX_BAD_FRAMES_JOURNALED + 1 {
                warn!(
                    kept = MAX_BAD_FRAMES_JOURNALED,
                    "more bad frames than the journal keeps, later ones are only counted"
                );
            }
        }

        let decoded = match decoded {
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
                self.problems
                    .note(kind.name(), &format!("{reason}; frame: {excerpt}"));
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
                self.problems.note("unknown frame type", &type_name);
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
    async fn close(&mut self, mut socket: Socket, code: CloseCode) {
        let frame = CloseFrame {
            code,
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
        let close_code = u16::from(code);
        self.emit(SessionEvent::Closed { close_code }).await;
        info!(close_code, "connection closed");
    }
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| elapsed.as_millis() as u64)
        .unwrap_or_default()
}
