//! The replenish protocol and session, free of Tauri so it builds and tests without a window.
//!
//! - [`frame`] decodes the server's frames into typed values ([`model`]), reading every scalar
//!   leniently and every number exactly ([`scalar`]).
//! - [`session`] runs one WebSocket session and reports [`event`]s; the [`state`] machine decides
//!   what each one means, and [`reconnect`] when a dropped connection is tried again.
//! - [`summary`] groups and totals a final list; [`money`] formats amounts; [`view`] builds what
//!   the window shows from all of these.
//! - [`notification`] decides which state changes give a desktop notification, and its text.
//! - [`endpoint`] validates what the user entered, and [`launch_link`] reads the same fields from a
//!   `replenish-desk://session` link; [`token`] keeps the token out of every text.

mod connect_message;
pub mod connection_settings;
pub mod connector;
pub mod display_text;
pub mod endpoint;
pub mod event;
pub mod frame;
pub mod launch_link;
pub mod model;
pub mod money;
pub mod notification;
pub mod presenter;
pub mod problems;
pub mod reconnect;
pub mod scalar;
pub mod session;
pub mod state;
pub mod summary;
pub mod token;
pub mod view;
