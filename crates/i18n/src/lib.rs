//! Message catalogues of Replenish Desk in Simplified Chinese (the default) and English.
//!
//! Each language has one flat JSON catalogue under `locales/`, compiled into the binary. A text
//! may contain `{slot}` placeholders, which [`Catalogue::format`] fills. The backend sends the
//! whole catalogue of the chosen language to the page once, and the page fills the slots of each
//! message itself, so both sides share one set of texts.

mod catalogue;
mod language;

pub use catalogue::Catalogue;
pub use language::Language;
