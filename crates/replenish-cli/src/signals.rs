//! Why the command stops a session early: its time limit or a signal from the user.

use tracing::warn;

/// The reason the command cancelled the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopCause {
    /// The `--timeout` elapsed.
    Timeout,
    /// SIGINT, or Ctrl-C on Windows.
    Interrupt,
    /// SIGTERM.
    Terminate,
}

/// The stop signals, caught so that the session can close its connection normally before the
/// process ends.
pub struct StopSignals {
    #[cfg(unix)]
    listeners: Option<(tokio::signal::unix::Signal, tokio::signal::unix::Signal)>,
}

impl StopSignals {
    /// Starts catching SIGINT and SIGTERM. Must run inside the Tokio runtime. When the handlers
    /// cannot be installed, the error is logged and the signals keep their default action, which
    /// ends the process without a close frame.
    pub fn install() -> Self {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};

            let listeners = match (
                signal(SignalKind::interrupt()),
                signal(SignalKind::terminate()),
            ) {
                (Ok(interrupt), Ok(terminate)) => Some((interrupt, terminate)),
                (Err(error), _) | (_, Err(error)) => {
                    warn!(%error, "cannot catch SIGINT and SIGTERM; they will end the process at once");
                    None
                }
            };
            Self { listeners }
        }

        #[cfg(not(unix))]
        {
            Self {}
        }
    }

    /// Waits for the next stop signal. Never returns when the handlers are not installed.
    pub async fn recv(&mut self) -> StopCause {
        #[cfg(unix)]
        {
            let Some((interrupt, terminate)) = &mut self.listeners else {
                return std::future::pending().await;
            };
            tokio::select! {
                _ = interrupt.recv() => StopCause::Interrupt,
                _ = terminate.recv() => StopCause::Terminate,
            }
        }

        #[cfg(not(unix))]
        {
            match tokio::signal::ctrl_c().await {
                Ok(()) => StopCause::Interrupt,
                Err(error) => {
                    warn!(%error, "cannot catch Ctrl-C; it will end the process at once");
                    std::future::pending().await
                }
            }
        }
    }
}
