//! A cabinet server on loopback that plays the replenish WebSocket contract.
//!
//! [`start`] binds one axum server that serves the WebSocket
//! `/websocket/ssib/replenish?deviceNo=N&token=T` and the product pictures under
//! `/upload/image/`. Every accepted WebSocket plays the configured [`Scenario`] on its own,
//! and [`RunningSim`] records what each client did (pings, close code) for tests to assert.
//!
//! ```no_run
//! use std::time::Duration;
//!
//! use cabinet_sim::{Scenario, SimConfig, DEFAULT_DEVICE_NO, DEFAULT_TOKEN};
//!
//! # async fn example() -> Result<(), cabinet_sim::SimError> {
//! let config = SimConfig::new(Scenario::ThreeDrinks).with_door_open_for(Duration::from_millis(200));
//! let sim = cabinet_sim::start(config).await?;
//! let url = format!("{}?deviceNo={DEFAULT_DEVICE_NO}&token={DEFAULT_TOKEN}", sim.ws_endpoint());
//!
//! // ... connect a client to `url`, read the door and final frames, send Close(1000) ...
//!
//! let report = sim.wait_for_client_close(0, Duration::from_secs(10)).await;
//! assert_eq!(report.and_then(|report| report.client_close_code), Some(1000));
//! sim.shutdown().await;
//! # Ok(())
//! # }
//! ```

mod config;
mod error;
mod frames;
mod handshake;
mod hostile;
mod images;
mod large_frame;
mod listener;
mod plan;
mod products;
mod report;
mod scenario;
mod server;
mod session;
mod stream;
pub mod tls;
mod upgrade;

pub use config::{SimConfig, DEFAULT_DEVICE_NO, DEFAULT_TOKEN};
pub use error::{ParseScenarioError, SimError};
pub use handshake::REDIRECT_LOCATION;
pub use images::{FaultImage, IMAGE_ROUTE_PREFIX};
pub use report::ConnectionReport;
pub use scenario::Scenario;
pub use server::{start, RunningSim, WS_PATH};
pub use session::CLIENT_CLOSE_GRACE;
pub use tls::{TestCa, TlsIdentity, Validity};
