//! Session filters for listing and totalling.

use rust_decimal::Decimal;

use crate::outcome::Outcome;

/// Selects sessions. Every condition that is set must hold, so the default selects all sessions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Only this device number.
    pub device_no: Option<String>,
    /// Only sessions started at or after this time, in ms since the Unix epoch.
    pub from_ms: Option<u64>,
    /// Only sessions started before this time (exclusive), in ms since the Unix epoch.
    pub to_ms: Option<u64>,
    /// Only these outcomes. Empty selects every outcome.
    pub outcomes: Vec<Outcome>,
    /// Only sessions with at least one product whose name contains this text. ASCII letters match
    /// case-insensitively, other characters exactly.
    pub product_name_contains: Option<String>,
}

/// Sums over the selected sessions, whole sessions each, even when a product name selected them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FilterTotals {
    pub session_count: usize,
    pub line_count: usize,
    /// Settled pieces added.
    pub added: i64,
    /// Settled pieces removed.
    pub removed: i64,
    pub net: i64,
    /// Net change valued at cost price: the sum of the line values, each rounded to the fen.
    pub cost_value: Decimal,
    /// Net change valued at sale price: the sum of the line values, each rounded to the fen.
    pub sale_value: Decimal,
    /// True when a line missed a figure or a sum overflowed, so the sums leave something out.
    pub incomplete: bool,
}
