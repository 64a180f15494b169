//! The axum server and the handle returned by [`start`].

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::routing::get;
use axum::Router;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::config::SimConfig;
use crate::error::SimError;
use crate::handshake::upgrade_route;
use crate::images::{prerender_all, serve_image, IMAGE_ROUTE_PREFIX};
use crate::listener::SimListener;
use crate::report::{ConnectionLog, ConnectionReport};

/// Path of the WebSocket endpoint, as on the vendor's server.
pub const WS_PATH: &str = "/websocket/ssib/replenish";

/// How long [`RunningSim::shutdown`] waits for the server and for each open session.
const SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(5);

/// State shared by the routes.
#[derive(Debug, Clone)]
pub(crate) struct AppState {
    shared: Arc<Shared>,
}

#[derive(Debug)]
struct Shared {
    config: SimConfig,
    image_base: String,
    log: ConnectionLog,
    image_requests: Mutex<HashMap<String, usize>>,
    cancel: CancellationToken,
    sessions: TaskTracker,
}

impl AppState {
    pub(crate) fn config(&self) -> &SimConfig {
        &self.shared.config
    }

    /// URL prefix of the picture route, e.g. `http://127.0.0.1:43117/upload/image/`.
    pub(crate) fn image_base(&self) -> &str {
        &self.shared.image_base
    }

    pub(crate) fn log(&self) -> &ConnectionLog {
        &self.shared.log
    }

    pub(crate) fn cancel_token(&self) -> CancellationToken {
        self.shared.cancel.clone()
    }

    pub(crate) fn sessions(&self) -> &TaskTracker {
        &self.shared.sessions
    }

    /// Counts a request for an image path and returns the new count.
    pub(crate) fn count_image_request(&self, path: &str) -> usize {
        let mut counts = lock(&self.shared.image_requests);
        let count = counts.entry(path.to_owned()).or_default();
        *count += 1;
        *count
    }

    fn image_request_count(&self, path: &str) -> usize {
        lock(&self.shared.image_requests)
            .get(path)
            .copied()
            .unwrap_or(0)
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // Counters stay usable even if a holder panicked.
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Binds the server and starts serving in the background.
///
/// The first call in a process also starts drawing all product pictures on a background
/// thread. `start` does not wait for that, and a picture requested earlier is drawn on demand.
pub async fn start(config: SimConfig) -> Result<RunningSim, SimError> {
    let listener = TcpListener::bind(config.bind)
        .await
        .map_err(|source| SimError::Bind {
            addr: config.bind,
            source,
        })?;
    let addr = listener.local_addr().map_err(SimError::LocalAddr)?;
    let http_scheme = if config.tls.is_some() {
        "https"
    } else {
        "http"
    };
    let http_base = format!("{http_scheme}://{}", connectable(addr));
    let listener = match &config.tls {
        Some(identity) => {
            SimListener::tls(listener, identity.server_config()?).map_err(SimError::LocalAddr)?
        }
        None => SimListener::plain(listener),
    };

    prerender_pictures_once();

    let state = AppState {
        shared: Arc::new(Shared {
            image_base: format!("{http_base}{IMAGE_ROUTE_PREFIX}"),
            config,
            log: ConnectionLog::new(),
            image_requests: Mutex::default(),
            cancel: CancellationToken::new(),
            sessions: TaskTracker::new(),
        }),
    };

    let router = Router::new()
        .route(WS_PATH, get(upgrade_route))
        .route(&format!("{IMAGE_ROUTE_PREFIX}{{file}}"), get(serve_image))
        .with_state(state.clone());

    let stop = state.cancel_token();
    let server = tokio::spawn(async move {
        let served = axum::serve(listener, router)
            .with_graceful_shutdown(stop.cancelled_owned())
            .await;
        if let Err(error) = served {
            tracing::error!(%error, "simulator server failed");
        }
    });

    tracing::info!(
        %addr,
        scenario = %state.config().scenario,
        device_no = state.config().device_no,
        "cabinet simulator listening"
    );
    Ok(RunningSim {
        addr,
        http_base,
        state,
        server: Some(server),
    })
}

/// Draws all pictures on a detached thread, once per process. A plain thread is used because
/// a Tokio runtime waits for its blocking tasks when it is dropped, which would delay the end
/// of a short test by the rendering time.
fn prerender_pictures_once() {
    static STARTED: AtomicBool = AtomicBool::new(false);

    if STARTED.swap(true, Ordering::SeqCst) {
        return;
    }
    let spawned = std::thread::Builder::new()
        .name("cabinet-sim-pictures".to_owned())
        .spawn(prerender_all);
    if let Err(error) = spawned {
        tracing::warn!(%error, "failed to start the picture thread; pictures are drawn on first request");
    }
}

/// Returns the address a client connects to: loopback in place of an unspecified address.
fn connectable(addr: SocketAddr) -> SocketAddr {
    match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => {
            SocketAddr::from((Ipv4Addr::LOCALHOST, addr.port()))
        }
        IpAddr::V6(ip) if ip.is_unspecified() => {
            SocketAddr::from((Ipv6Addr::LOCALHOST, addr.port()))
        }
        _ => addr,
    }
}

/// A running simulator. Dropping it stops the server without waiting; [`RunningSim::shutdown`]
/// also waits for the open sessions to close.
#[derive(Debug)]
pub struct RunningSim {
    addr: SocketAddr,
    http_base: String,
    state: AppState,
    server: Option<JoinHandle<()>>,
}

impl RunningSim {
    /// Returns the bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// WebSocket URL without query, e.g. `ws://127.0.0.1:43117/websocket/ssib/replenish`, or
    /// `wss://` when the simulator serves TLS.
    pub fn ws_endpoint(&self) -> String {
        let scheme = if self.config().tls.is_some() {
            "wss"
        } else {
            "ws"
        };
        format!("{scheme}://{}{WS_PATH}", connectable(self.addr))
    }

    /// Base URL of the HTTP routes, e.g. `http://127.0.0.1:43117`, or `https://` with TLS.
    pub fn http_base(&self) -> String {
        self.http_base.clone()
    }

    /// Returns the configuration the simulator runs with.
    pub fn config(&self) -> &SimConfig {
        self.state.config()
    }

    /// Reports of every accepted WebSocket, in the order they were accepted.
    pub fn connections(&self) -> Vec<ConnectionReport> {
        self.state.log().snapshot()
    }

    /// Number of WebSocket connections accepted so far. A client that reconnects adds one per
    /// connection; rejected handshakes do not count.
    pub fn connection_count(&self) -> usize {
        self.state.log().count()
    }

    /// Waits until at least `count` WebSocket connections have been accepted. Returns false if
    /// that has not happened within `timeout`.
    pub async fn wait_for_connections(&self, count: usize, timeout: Duration) -> bool {
        self.state.log().wait_count(count, timeout).await
    }

    /// Number of requests an image path received, 404s included. Takes a path such as
    /// `/upload/image/fault-slow.jpg` or a full URL on this simulator.
    pub fn image_requests(&self, path: &str) -> usize {
        let path = path.strip_prefix(&self.http_base).unwrap_or(path);
        self.state.image_request_count(path)
    }

    /// Waits until connection `index` has ended. Returns `None` if that has not happened
    /// (or the connection does not exist yet) within `timeout`.
    pub async fn wait_for_client_close(
        &self,
        index: usize,
        timeout: Duration,
    ) -> Option<ConnectionReport> {
        self.state.log().wait_ended(index, timeout).await
    }

    /// Stops accepting connections, sends Close (1001) on open WebSockets and waits for the
    /// server task and the sessions, each for at most 5 s.
    pub async fn shutdown(mut self) {
        tracing::info!(addr = %self.addr, "cabinet simulator shutting down");
        self.state.cancel_token().cancel();

        if let Some(server) = self.server.take() {
            match tokio::time::timeout(SHUTDOWN_TIMEOUT, server).await {
                Ok(Ok(())) => {}
                Ok(Err(error)) => tracing::error!(%error, "simulator server task failed"),
                Err(_) => {
                    tracing::warn!(timeout = ?SHUTDOWN_TIMEOUT, "simulator server did not stop in time")
                }
            }
        }

        let sessions = self.state.sessions();
        sessions.close();
        if tokio::time::timeout(SHUTDOWN_TIMEOUT, sessions.wait())
            .await
            .is_err()
        {
            tracing::warn!(
                open = sessions.len(),
                timeout = ?SHUTDOWN_TIMEOUT,
                "simulator sessions did not end in time"
            );
        }
        tracing::info!(addr = %self.addr, "cabinet simulator stopped");
    }
}

impl Drop for RunningSim {
    fn drop(&mut self) {
        self.state.cancel_token().cancel();
    }
}
