//! The replenish protocol and session, free of Tauri so it builds and tests without a window.
//!
//! - [`frame`] decodes the server's frames into typed values ([`model`]), reading every scalar
//!   leniently and every number exactly ([`scalar`]).
//! - [`session`] runs one WebSocket session and reports [`event`]s; the [`state`] machine decides
//!   what each one means.
//! - [`summary`] groups and totals a final list; [`money`] formats amounts; [`view`] builds what
//!   the window shows from all of these.
//! - [`endpoint`] validates what the user entered; [`token`] keeps the token out of every text.

pub mod endpoint;
pub mod event;
pub mod frame;
pub mod model;
pub mod money;
pub mod presenter;
pub mod scalar;
pub mod session;
pub mod state;
pub mod summary;
pub mod token;
pub mod view;
