//! The listening socket, as an axum [`Listener`] that yields [`SimStream`]s.
//!
//! With TLS, each accepted connection does its TLS handshake on a task of its own, so that one
//! slow or silent client does not hold up the others.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::serve::Listener;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_rustls::rustls;
use tokio_rustls::TlsAcceptor;

use crate::stream::SimStream;

/// Pause after a failed `accept`, so that running out of file descriptors does not spin.
const ACCEPT_RETRY_DELAY: Duration = Duration::from_millis(50);

/// How long a client may take to complete the TLS handshake.
const TLS_HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Connections whose TLS handshake completed but that axum has not taken yet.
const TLS_QUEUE: usize = 64;

/// The simulator's listening socket.
pub(crate) enum SimListener {
    Plain(TcpListener),
    Tls {
        local_addr: SocketAddr,
        accepted: mpsc::Receiver<(SimStream, SocketAddr)>,
    },
}

impl SimListener {
    pub(crate) fn plain(tcp: TcpListener) -> Self {
        SimListener::Plain(tcp)
    }

    /// Starts accepting on `tcp` and doing TLS handshakes in the background. The background
    /// task ends when the returned listener is dropped.
    pub(crate) fn tls(tcp: TcpListener, config: Arc<rustls::ServerConfig>) -> io::Result<Self> {
        let local_addr = tcp.local_addr()?;
        let (sender, accepted) = mpsc::channel(TLS_QUEUE);
        tokio::spawn(accept_tls(tcp, TlsAcceptor::from(config), sender));

        Ok(SimListener::Tls {
            local_addr,
            accepted,
        })
    }
}

async fn accept_tls(
    tcp: TcpListener,
    acceptor: TlsAcceptor,
    sender: mpsc::Sender<(SimStream, SocketAddr)>,
) {
    loop {
        let (stream, peer) = tokio::select! {
            () = sender.closed() => return,
            accepted = accept_tcp(&tcp) => accepted,
        };
        tokio::spawn(handshake(stream, peer, acceptor.clone(), sender.clone()));
    }
}

async fn handshake(
    stream: TcpStream,
    peer: SocketAddr,
    acceptor: TlsAcceptor,
    sender: mpsc::Sender<(SimStream, SocketAddr)>,
) {
    match tokio::time::timeout(TLS_HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await {
        Ok(Ok(tls)) => {
            // A send fails only when the listener, and so the server, is gone: the stream is
            // then dropped, which closes it.
            let _ = sender.send((SimStream::Tls(Box::new(tls)), peer)).await;
        }
        Ok(Err(error)) => tracing::info!(%peer, %error, "TLS handshake failed"),
        Err(_) => {
            tracing::info!(%peer, timeout = ?TLS_HANDSHAKE_TIMEOUT, "TLS handshake timed out")
        }
    }
}

async fn accept_tcp(tcp: &TcpListener) -> (TcpStream, SocketAddr) {
    loop {
        match tcp.accept().await {
            Ok(accepted) => return accepted,
            Err(error) => {
                tracing::warn!(%error, "failed to accept a connection; retrying");
                tokio::time::sleep(ACCEPT_RETRY_DELAY).await;
            }
        }
    }
}

impl Listener for SimListener {
    type Io = SimStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self {
            SimListener::Plain(tcp) => {
                let (stream, peer) = accept_tcp(tcp).await;
                (SimStream::Plain(stream), peer)
            }
            SimListener::Tls { accepted, .. } => match accepted.recv().await {
                Some(accepted) => accepted,
                // The accept task ended, which happens only if it panicked: accept nothing more.
                None => std::future::pending().await,
            },
        }
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        match self {
            SimListener::Plain(tcp) => tcp.local_addr(),
            SimListener::Tls { local_addr, .. } => Ok(*local_addr),
        }
    }
}
