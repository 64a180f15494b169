//! Plays a scenario on one accepted WebSocket and records what the client does.

use std::time::Duration;

use futures_util::{SinkExt as _, StreamExt as _};
use tokio::time::{sleep_until, timeout, Instant};
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::{self, Message};
use tokio_util::sync::CancellationToken;

use crate::large_frame::stream_large_text;
use crate::plan::Step;
use crate::report::ConnectionLog;
use crate::upgrade::SimSocket;

/// How long the simulator waits for the client's Close after its last frame before it
/// closes the connection itself with 1000.
pub const CLIENT_CLOSE_GRACE: Duration = Duration::from_secs(5);

/// How long the closing handshake may take once one side has sent Close.
const CLOSE_HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(1);

/// Code that RFC 6455 reserves for reporting a Close frame that carried no code.
const NO_STATUS_CODE: u16 = 1005;
const NORMAL_CLOSURE: u16 = 1000;
const GOING_AWAY: u16 = 1001;

/// Whether the session goes on after a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flow {
    Continue,
    Ended,
}

/// Marks the connection's report as ended when dropped, whatever way the session ends.
struct EndMark {
    log: ConnectionLog,
    index: usize,
}

impl Drop for EndMark {
    fn drop(&mut self) {
        self.log.update(self.index, |report| report.ended = true);
        tracing::info!(connection = self.index, "WebSocket session ended");
    }
}

/// One accepted WebSocket connection.
pub(crate) struct Session {
    // Declared before `end_mark`, so the socket is closed before the report shows `ended`.
    socket: SimSocket,
    end_mark: EndMark,
    cancel: CancellationToken,
}

impl Session {
    pub(crate) fn new(
        socket: SimSocket,
        log: ConnectionLog,
        index: usize,
        cancel: CancellationToken,
    ) -> Self {
        Self {
            socket,
            end_mark: EndMark { log, index },
            cancel,
        }
    }

    fn index(&self) -> usize {
        self.end_mark.index
    }

    fn log(&self) -> &ConnectionLog {
        &self.end_mark.log
    }

    /// Runs the steps, then waits up to `CLIENT_CLOSE_GRACE` for the client's Close.
    pub(crate) async fn play(mut self, steps: Vec<Step>) {
        for step in steps {
            let flow = match step {
                Step::Pause(duration) => self.listen_for(duration).await,
                Step::Send(message) => self.send(message).await,
                Step::SendBurst(messages) => self.send_burst(messages).await,
                Step::SendLargeText(bytes) => self.send_large_text(bytes).await,
                Step::Close { code, reason } => {
                    self.close_from_server(code, reason).await;
                    Flow::Ended
                }
                Step::DropConnection => {
                    tracing::info!(
                        connection = self.index(),
                        "dropping the TCP connection without a Close frame"
                    );
                    return;
                }
                Step::ResetConnection => {
                    self.reset();
                    return;
                }
                Step::StopReading(duration) => self.stop_reading_for(duration).await,
            };
            if flow == Flow::Ended {
                return;
            }
        }

        if self.listen_for(CLIENT_CLOSE_GRACE).await == Flow::Continue {
            tracing::info!(
                connection = self.index(),
                grace = ?CLIENT_CLOSE_GRACE,
                "client did not close after the last frame; closing from the server"
            );
            self.close_from_server(NORMAL_CLOSURE, "session over").await;
        }
    }

    async fn send(&mut self, message: Message) -> Flow {
        let index = self.index();

        match self.socket.send(message).await {
            Ok(()) => {
                self.log().update(index, |report| report.frames_sent += 1);
                tracing::debug!(connection = index, "frame sent");
                Flow::Continue
            }
            Err(error) => {
                tracing::warn!(connection = index, %error, "failed to send a frame; ending the session");
                Flow::Ended
            }
        }
    }

    /// Queues all messages, then flushes once, so they leave as fast as the socket takes them.
    async fn send_burst(&mut self, messages: Vec<Message>) -> Flow {
        let index = self.index();
        let count = messages.len();
        tracing::info!(connection = index, count, "sending a burst of frames");

        for message in messages {
            if let Err(error) = self.socket.feed(message).await {
                tracing::warn!(connection = index, %error, "failed to send a frame of a burst; ending the session");
                return Flow::Ended;
            }
            self.log().update(index, |report| report.frames_sent += 1);
        }
        if let Err(error) = self.socket.flush().await {
            tracing::warn!(connection = index, %error, "failed to flush a burst; ending the session");
            return Flow::Ended;
        }
        Flow::Continue
    }

    /// Streams one text message of `bytes` bytes, written straight to the connection in
    /// small pieces instead of being built in memory first.
    async fn send_large_text(&mut self, bytes: u64) -> Flow {
        let index = self.index();
        tracing::info!(connection = index, bytes, "streaming a large text message");

        // Frames queued in the WebSocket layer must leave before the raw bytes.
        if let Err(error) = self.socket.flush().await {
            tracing::warn!(connection = index, %error, "failed to flush before a large message");
            return Flow::Ended;
        }
        match stream_large_text(self.socket.get_mut(), bytes).await {
            Ok(()) => {
                self.log().update(index, |report| report.frames_sent += 1);
                Flow::Continue
            }
            Err(error) => {
                tracing::warn!(connection = index, %error, "failed to stream a large message; ending the session");
                Flow::Ended
            }
        }
    }

    /// Sets SO_LINGER to 0, so that dropping the socket sends a TCP reset (RST) instead of a
    /// FIN, as a crashed proxy or a NAT timeout does.
    fn reset(&mut self) {
        let index = self.index();
        match self.socket.get_ref().tcp().set_zero_linger() {
            Ok(()) => tracing::info!(connection = index, "resetting the TCP connection"),
            Err(error) => {
                tracing::warn!(connection = index, %error, "failed to set SO_LINGER 0; the connection ends with a FIN instead of a reset")
            }
        }
    }

    /// Holds the connection without reading it for `duration`. The WebSocket layer sends a
    /// Pong only while it reads, so the client's pings go unanswered, as with a dead peer.
    async fn stop_reading_for(&mut self, duration: Duration) -> Flow {
        tracing::info!(
            connection = self.index(),
            ?duration,
            "no longer reading the socket; pings go unanswered"
        );

        tokio::select! {
            () = tokio::time::sleep(duration) => {
                tracing::info!(connection = self.index(), "silence over; dropping the TCP connection");
                Flow::Ended
            }
            () = self.cancel.cancelled() => {
                self.close_from_server(GOING_AWAY, "simulator shutting down").await;
                Flow::Ended
            }
        }
    }

    /// Reads the socket for `duration`, so that the WebSocket layer replies to pings and a
    /// Close is noticed.
    async fn listen_for(&mut self, duration: Duration) -> Flow {
        let deadline = Instant::now() + duration;

        loop {
            tokio::select! {
                () = sleep_until(deadline) => return Flow::Continue,
                () = self.cancel.cancelled() => {
                    self.close_from_server(GOING_AWAY, "simulator shutting down").await;
                    return Flow::Ended;
                }
                received = self.socket.next() => {
                    if self.handle_received(received).await == Flow::Ended {
                        return Flow::Ended;
                    }
                }
            }
        }
    }

    async fn handle_received(
        &mut self,
        received: Option<Result<Message, tungstenite::Error>>,
    ) -> Flow {
        let index = self.index();

        match received {
            Some(Ok(Message::Ping(_))) => {
                // The WebSocket layer queues the Pong and sends it on the next read.
                self.log()
                    .update(index, |report| report.pings_received += 1);
                tracing::debug!(connection = index, "ping received");
                Flow::Continue
            }
            Some(Ok(Message::Pong(_) | Message::Frame(_))) => Flow::Continue,
            Some(Ok(Message::Text(_) | Message::Binary(_))) => {
                tracing::debug!(
                    connection = index,
                    "ignoring a data frame from the client; the contract has none"
                );
                Flow::Continue
            }
            Some(Ok(Message::Close(frame))) => {
                self.record_client_close(frame);
                self.finish_closing_handshake().await;
                Flow::Ended
            }
            Some(Err(error)) => {
                tracing::warn!(connection = index, %error, "failed to read from the client");
                Flow::Ended
            }
            None => {
                tracing::info!(
                    connection = index,
                    "client dropped the connection without a Close frame"
                );
                Flow::Ended
            }
        }
    }

    fn record_client_close(&self, frame: Option<CloseFrame>) {
        let (code, reason) = match frame {
            Some(frame) => (u16::from(frame.code), frame.reason.as_str().to_owned()),
            None => (NO_STATUS_CODE, String::new()),
        };
        tracing::info!(connection = self.index(), code, %reason, "client sent Close");

        self.log().update(self.index(), |report| {
            report.client_close_code = Some(code);
            report.client_close_reason = Some(reason);
        });
    }

    /// Sends Close and waits briefly for the client's reply, which is not recorded.
    async fn close_from_server(&mut self, code: u16, reason: &'static str) {
        let frame = CloseFrame {
            code: CloseCode::from(code),
            reason: reason.into(),
        };
        if let Err(error) = self.socket.send(Message::Close(Some(frame))).await {
            tracing::debug!(connection = self.index(), %error, "failed to send Close");
            return;
        }
        self.finish_closing_handshake().await;
    }

    /// Reads until the peer ends the connection, so that the queued Close reply is flushed.
    async fn finish_closing_handshake(&mut self) {
        let drain = async { while let Some(Ok(_)) = self.socket.next().await {} };
        if timeout(CLOSE_HANDSHAKE_TIMEOUT, drain).await.is_err() {
            tracing::debug!(connection = self.index(), "closing handshake timed out");
        }
    }
}
