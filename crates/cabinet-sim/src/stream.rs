//! The accepted connection under every HTTP request and WebSocket of the simulator.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;

/// One accepted connection, plain TCP or TLS.
#[derive(Debug)]
pub(crate) enum SimStream {
    Plain(TcpStream),
    Tls(Box<tokio_rustls::server::TlsStream<TcpStream>>),
}

impl SimStream {
    /// Returns the TCP connection under any encryption, for socket options such as SO_LINGER.
    pub(crate) fn tcp(&self) -> &TcpStream {
        match self {
            SimStream::Plain(stream) => stream,
            SimStream::Tls(stream) => stream.get_ref().0,
        }
    }
}

impl AsyncRead for SimStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            SimStream::Plain(stream) => Pin::new(stream).poll_read(cx, buf),
            SimStream::Tls(stream) => Pin::new(stream.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for SimStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            SimStream::Plain(stream) => Pin::new(stream).poll_write(cx, buf),
            SimStream::Tls(stream) => Pin::new(stream.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            SimStream::Plain(stream) => Pin::new(stream).poll_flush(cx),
            SimStream::Tls(stream) => Pin::new(stream.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            SimStream::Plain(stream) => Pin::new(stream).poll_shutdown(cx),
            SimStream::Tls(stream) => Pin::new(stream.as_mut()).poll_shutdown(cx),
        }
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            SimStream::Plain(stream) => Pin::new(stream).poll_write_vectored(cx, bufs),
            SimStream::Tls(stream) => Pin::new(stream.as_mut()).poll_write_vectored(cx, bufs),
        }
    }

    fn is_write_vectored(&self) -> bool {
        match self {
            SimStream::Plain(stream) => stream.is_write_vectored(),
            SimStream::Tls(stream) => stream.is_write_vectored(),
        }
    }
}
