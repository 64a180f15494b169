//! Records of each accepted WebSocket connection, for tests to assert.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

/// Record of one accepted WebSocket connection, updated while it runs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConnectionReport {
    /// `deviceNo` of the handshake.
    pub device_no: u64,
    /// Data frames (text and binary) the simulator sent.
    pub frames_sent: usize,
    /// Ping frames the client sent.
    pub pings_received: usize,
    /// Code of the Close frame the client sent on its own initiative. `None` when the TCP
    /// connection ended without one, or when the simulator closed first (the client's reply to
    /// the simulator's Close is not recorded). A Close frame without a code is recorded as
    /// 1005, the code RFC 6455 reserves for "no status code present".
    pub client_close_code: Option<u16>,
    /// Reason text of that Close frame.
    pub client_close_reason: Option<String>,
    /// Whether the connection has ended.
    pub ended: bool,
}

/// Reports of all connections, shared between the sessions and [`crate::RunningSim`].
#[derive(Debug, Clone)]
pub(crate) struct ConnectionLog {
    reports: Arc<watch::Sender<Vec<ConnectionReport>>>,
}

impl ConnectionLog {
    pub(crate) fn new() -> Self {
        Self {
            reports: Arc::new(watch::Sender::new(Vec::new())),
        }
    }

    /// Adds a report for a new connection and returns its index.
    pub(crate) fn open(&self, device_no: u64) -> usize {
        let mut index = 0;
        self.reports.send_modify(|reports| {
            reports.push(ConnectionReport {
                device_no,
                ..ConnectionReport::default()
            });
            index = reports.len() - 1;
        });
        index
    }

    pub(crate) fn update(&self, index: usize, change: impl FnOnce(&mut ConnectionReport)) {
        self.reports.send_modify(|reports| {
            if let Some(report) = reports.get_mut(index) {
                change(report);
            }
        });
    }

    pub(crate) fn snapshot(&self) -> Vec<ConnectionReport> {
        self.reports.borrow().clone()
    }

    pub(crate) fn count(&self) -> usize {
        self.reports.borrow().len()
    }

    /// Waits until at least `count` connections exist, or `timeout` passes.
    pub(crate) async fn wait_count(&self, count: usize, timeout: Duration) -> bool {
        let mut receiver = self.reports.subscribe();
        let reached = async {
            receiver
                .wait_for(|reports| reports.len() >= count)
                .await
                .is_ok()
        };

        tokio::time::timeout(timeout, reached)
            .await
            .unwrap_or(false)
    }

    /// Waits until connection `index` exists and has ended, or `timeout` passes.
    pub(crate) async fn wait_ended(
        &self,
        index: usize,
        timeout: Duration,
    ) -> Option<ConnectionReport> {
        let mut receiver = self.reports.subscribe();
        let ended = async {
            let reports = receiver
                .wait_for(|reports| reports.get(index).is_some_and(|r| r.ended))
                .await
                .ok()?;
            reports.get(index).cloned()
        };

        // The sender lives as long as `self`, so `wait_for` fails only on timeout.
        tokio::time::timeout(timeout, ended).await.ok().flatten()
    }
}
