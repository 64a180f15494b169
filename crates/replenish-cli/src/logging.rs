//! Diagnostic logs on stderr, off unless `--verbose` or `RUST_LOG` turns them on.

use std::io::{self, IsTerminal};

use tracing_subscriber::EnvFilter;

/// The filter of `--verbose` when `RUST_LOG` is unset: this command and the session core in
/// detail, other crates from info up.
const VERBOSE_FILTER: &str = "info,replenish=debug,replenish_core=debug";

/// Installs the stderr logger when `RUST_LOG` is set (its filter wins) or `verbose` is true.
///
/// Log lines never contain the token: the core masks it in every text it logs, and the `log`
/// records of tungstenite below DEBUG, one of which contains the handshake URL, are compiled out
/// by the core's build.
pub fn init(verbose: bool) {
    let from_env = std::env::var_os(EnvFilter::DEFAULT_ENV).is_some_and(|value| !value.is_empty());
    if !from_env && !verbose {
        return;
    }

    let filter = if from_env {
        EnvFilter::from_default_env()
    } else {
        EnvFilter::new(VERBOSE_FILTER)
    };
    let installed = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(io::stderr)
        .with_ansi(io::stderr().is_terminal())
        .try_init();
    if let Err(error) = installed {
        crate::output::stderr_line(&format!(
            "replenish: logging is off because the logger could not be installed: {error}"
        ));
    }
}
