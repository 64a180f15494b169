//! Plays a scenario on one accepted WebSocket and records what the client does.

use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, WebSocket};
use tokio::time::{sleep_until, timeout, Instant};
use tokio_util::sync::CancellationToken;

use crate::plan::Step;
use crate::report::ConnectionLog;

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
    socket: WebSocket,
    end_mark: EndMark,
    cancel: CancellationToken,
}

impl Session {
    pub(crate) fn new(
        socket: WebSocket,
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
                Step::DropConnection => {
                    tracing::info!(
                        connection = self.index(),
                        "dropping the TCP connection without a Close frame"
                    );
                    return;
                }
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
                received = self.socket.recv() => {
                    if self.handle_received(received).await == Flow::Ended {
                        return Flow::Ended;
                    }
                }
            }
        }
    }

    async fn handle_received(&mut self, received: Option<Result<Message, axum::Error>>) -> Flow {
        let index = self.index();

        match received {
            Some(Ok(Message::Ping(_))) => {
                // The WebSocket layer queues the Pong and sends it on the next read.
                self.log()
                    .update(index, |report| report.pings_received += 1);
                tracing::debug!(connection = index, "ping received");
                Flow::Continue
            }
            Some(Ok(Message::Pong(_))) => Flow::Continue,
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
            Some(frame) => (frame.code, frame.reason.as_str().to_owned()),
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
            code,
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
        let drain = async { while let Some(Ok(_)) = self.socket.recv().await {} };
        if timeout(CLOSE_HANDSHAKE_TIMEOUT, drain).await.is_err() {
            tracing::debug!(connection = self.index(), "closing handshake timed out");
        }
    }
}
