//! The History screen (补货记录) of the window, built here so the page only renders it.
//!
//! [`HistoryRequest`] validates the filter form into a [`crate::Filter`], and [`history_view`] and
//! [`record_view`] turn stored sessions into the view models of `replenish_core::view`. Times are
//! shown and dates are read in one [`crate::export::ExportTimeZone`], normally the PC's.

mod request;
mod views;

pub use crate::query::sum_sessions;
pub use request::{FieldErrors, HistoryRequest, MAX_PRODUCT_TEXT_CHARS};
pub use views::{
    history_rows, history_totals, history_view, outcome_options, record_view, MAX_HISTORY_ROWS,
};
