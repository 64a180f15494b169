use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use crate::scenario::Scenario;
use crate::tls::TlsIdentity;

/// Device number the simulator accepts by default.
pub const DEFAULT_DEVICE_NO: u64 = 181_200_005;

/// Token the simulator accepts by default. A fixed test value, not a secret.
pub const DEFAULT_TOKEN: &str = "sim-token-3f9a2c7e81";

/// Settings of one simulator instance.
#[derive(Clone, PartialEq, Eq)]
pub struct SimConfig {
    /// Scenario played on every accepted WebSocket.
    pub scenario: Scenario,
    /// The only `deviceNo` the handshake accepts.
    pub device_no: u64,
    /// The only `token` the handshake accepts.
    pub token: String,
    /// Pause between the handshake and the door frame.
    pub door_delay: Duration,
    /// Pause between the door frame and the final frame (or the dropped connection).
    pub door_open_for: Duration,
    /// Listening address. Port 0 picks a free port.
    pub bind: SocketAddr,
    /// Certificate and key for `wss://` and `https://`. `None` serves plain `ws://`.
    pub tls: Option<TlsIdentity>,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            scenario: Scenario::ThreeDrinks,
            device_no: DEFAULT_DEVICE_NO,
            token: DEFAULT_TOKEN.to_owned(),
            door_delay: Duration::from_millis(300),
            door_open_for: Duration::from_secs(2),
            bind: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            tls: None,
        }
    }
}

impl SimConfig {
    /// Creates the default configuration with the given scenario.
    pub fn new(scenario: Scenario) -> Self {
        Self {
            scenario,
            ..Self::default()
        }
    }

    pub fn with_scenario(mut self, scenario: Scenario) -> Self {
        self.scenario = scenario;
        self
    }

    pub fn with_device_no(mut self, device_no: u64) -> Self {
        self.device_no = device_no;
        self
    }

    pub fn with_token(mut self, token: impl Into<String>) -> Self {
        self.token = token.into();
        self
    }

    pub fn with_door_delay(mut self, door_delay: Duration) -> Self {
        self.door_delay = door_delay;
        self
    }

    pub fn with_door_open_for(mut self, door_open_for: Duration) -> Self {
        self.door_open_for = door_open_for;
        self
    }

    pub fn with_bind(mut self, bind: SocketAddr) -> Self {
        self.bind = bind;
        self
    }

    /// Serves TLS with `identity`: the endpoint becomes `wss://` and pictures `https://`.
    pub fn with_tls(mut self, identity: TlsIdentity) -> Self {
        self.tls = Some(identity);
        self
    }
}

// The token is masked so that a configuration can be logged even when a caller passes a real
// token.
impl fmt::Debug for SimConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SimConfig")
            .field("scenario", &self.scenario)
            .field("device_no", &self.device_no)
            .field("token", &"<masked>")
            .field("door_delay", &self.door_delay)
            .field("door_open_for", &self.door_open_for)
            .field("bind", &self.bind)
            .field("tls", &self.tls)
            .finish()
    }
}
