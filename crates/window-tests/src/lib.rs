//! Window tests of Replenish Desk. The tests live in `tests/`; this crate has no library code.
//!
//! They need a display (run them under `xvfb-run`), `tauri-driver` and `WebKitWebDriver` on the
//! PATH, and a built app binary (`REPLENISH_DESK_BINARY`, by default `target/debug/replenish-desk`).
//!
//! `tests/installed.rs` drives the app installed from the `.deb` instead. It is ignored unless
//! run with `--ignored` by `scripts/package-test.sh`, which sets `REPLENISH_DESK_INSTALLED`.
