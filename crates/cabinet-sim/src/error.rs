use std::net::SocketAddr;

/// Errors of starting the simulator.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// The listening socket could not be opened.
    #[error("failed to bind the simulator to {addr}: {source}; pick a free port or port 0")]
    Bind {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },

    /// The TLS configuration could not be built from the certificate and key.
    #[error("failed to set up TLS for the simulator: {0}; check the certificate and key PEM")]
    Tls(#[from] crate::tls::TlsSetupError),

    /// The bound socket did not report its address.
    #[error("failed to read the local address of the simulator socket: {0}")]
    LocalAddr(#[source] std::io::Error),
}

/// A scenario name that [`crate::Scenario::from_str`](std::str::FromStr) does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown scenario {name:?}; valid scenarios are: {valid}")]
pub struct ParseScenarioError {
    /// The rejected name, as given.
    pub name: String,
    /// The valid names, comma-separated.
    pub valid: String,
}
