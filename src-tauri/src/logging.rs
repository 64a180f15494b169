//! Logging to a daily file in the app's log folder, and to stderr in debug builds.

use std::path::Path;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{fmt, EnvFilter, Layer};

/// Daily log files kept; older ones are deleted as new days start, so the log folder stays small
/// on a PC that runs for years.
const KEPT_LOG_FILES: usize = 30;

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
        Ok(()) => match daily_appender(log_folder) {
            Ok(appender) => {
                let (writer, guard) = tracing_appender::non_blocking(appender);
                let layer = fmt::layer()
                    .with_writer(writer)
                    .with_ansi(false)
                    .with_filter(filter());
                (Some(layer), Some(guard))
            }
            Err(error) => {
                eprintln!(
                    "Replenish Desk: cannot open a log file in {}: {error}; logging to stderr only",
                    log_folder.display()
                );
                (None, None)
            }
        },
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

/// Opens `replenish-desk.log.<date>` in `log_folder`, starting a new file each day.
fn daily_appender(
    log_folder: &Path,
) -> Result<tracing_appender::rolling::RollingFileAppender, tracing_appender::rolling::InitError> {
    tracing_appender::rolling::Builder::new()
        .rotation(tracing_appender::rolling::Rotation::DAILY)
        .filename_prefix("replenish-desk.log")
        .max_log_files(KEPT_LOG_FILES)
        .build(log_folder)
}
