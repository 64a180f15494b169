//! Logging to a daily file in the app's log folder, and to stderr in debug builds.

use std::path::Path;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{fmt, EnvFilter, Layer};

/// Default level filter; `RUST_LOG` overrides it.
const DEFAULT_FILTER: &str =
    "info,replenish_desk=debug,replenish_core=debug,thumb_cache=info,tungstenite=info";

/// Starts logging. The returned guard flushes the file when dropped, so keep it for the life of
/// the process. Log lines carry no token: the core masks it in everything it formats.
pub fn init(log_folder: &Path) -> Option<WorkerGuard> {
    let filter =
        || EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(DEFAULT_FILTER));
    let stderr = cfg!(debug_assertions).then(|| {
        fmt::layer()
            .with_writer(std::io::stderr)
            .with_filter(filter())
    });

    let (file, guard) = match std::fs::create_dir_all(log_folder) {
        Ok(()) => {
            let appender = tracing_appender::rolling::daily(log_folder, "replenish-desk.log");
            let (writer, guard) = tracing_appender::non_blocking(appender);
            let layer = fmt::layer()
                .with_writer(writer)
                .with_ansi(false)
                .with_filter(filter());
            (Some(layer), Some(guard))
        }
        Err(error) => {
            eprintln!(
                "Replenish Desk: cannot create the log folder {}: {error}; logging to stderr only",
                log_folder.display()
            );
            (None, None)
        }
    };

    let installed = tracing_subscriber::registry()
        .with(stderr)
        .with(file)
        .try_init();
    if installed.is_err() {
        eprintln!("Replenish Desk: a logger was already installed; this one is not used");
    }
    guard
}
