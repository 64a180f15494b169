//! Replenish Desk (补货助手): the Tauri shell.
//!
//! The shell stays thin: it parses the command line, sets up folders, logging and settings, and
//! connects the page to the Tauri-free crates. Protocol, session and figures live in
//! `replenish-core`, pictures in `thumb-cache`, texts in `i18n`.

// Release builds on Windows start without a console window.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

#[cfg(test)]
mod capability_check;
mod cli;
mod commands;
mod connection;
mod demo;
#[cfg(unix)]
mod exit_signals;
mod exports;
mod folders;
mod history;
mod launch;
mod logging;
mod notifications;
mod pictures;
mod runner;
mod settings;
mod updates;

use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};

use clap::Parser;
use tauri::Manager;
use thumb_cache::{ThumbCache, ThumbConfig};
use tracing::{error, info};

use crate::cli::Args;
use crate::commands::{AppState, PendingStart};
use crate::folders::Folders;
use crate::launch::Launch;
use crate::pictures::PictureRegistry;
use crate::runner::SessionRunner;
use crate::settings::SettingsFile;
use record_store::recorder::Records;

/// The picture scheme's registry and cache, managed once the folders are known.
struct Pictures {
    registry: Arc<Mutex<PictureRegistry>>,
    cache: ThumbCache,
}

/// Keeps the log writer alive until the app exits.
struct LogGuard(#[allow(dead_code)] Option<tracing_appender::non_blocking::WorkerGuard>);

fn main() {
    let args = Args::parse();

    let result = tauri::Builder::default()
        // First, so a second launch hands its arguments to the running app and exits before any
        // other plugin or the set-up runs.
        .plugin(tauri_plugin_single_instance::init(|app, argv, _cwd| {
            launch::on_second_launch(app, argv)
        }))
        .plugin(tauri_plugin_deep_link::init())
        .plugin(tauri_plugin_updater::Builder::new().build())
        .register_asynchronous_uri_scheme_protocol(
            pictures::SCHEME,
            |context, request, responder| {
                let app = context.app_handle().clone();
                tauri::async_runtime::spawn(async move {
                    match app.try_state::<Pictures>() {
                        Some(pictures) => {
                            let registry = pictures.registry.clone();
                            let cache = pictures.cache.clone();
                            pictures::respond(registry, cache, request, responder).await;
                        }
                        None => responder.respond(
                            tauri::http::Response::builder()
                                .status(503)
                                .body(Vec::new())
                                .unwrap_or_default(),
                        ),
                    }
                });
            },
        )
        .plugin(tauri_plugin_notification::init())
        .setup(move |app| {
            set_up(app, &args)?;
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::ui_bootstrap,
            commands::set_language,
            commands::start_session,
            commands::cancel_session,
            commands::retry_session,
            connection::connection_settings,
            connection::set_connection_settings,
            commands::forget_device,
            history::list_records,
            history::open_record,
            history::export_records,
            updates::check_update,
            updates::postpone_update,
            updates::download_update,
            updates::install_update,
            notifications::notification_settings,
            notifications::set_notification_settings,
        ])
        .build(tauri::generate_context!())
        .map(|app| app.run(on_run_event));

    if let Err(failure) = result {
        error!(%failure, "the app stopped with an error");
        eprintln!("Replenish Desk could not run: {failure}");
        std::process::exit(1);
    }
}

/// Stops a running session before the app exits, so the server gets a normal close and the
/// record its ending, rather than a reset and an interrupted session found on the next start.
fn on_run_event(app: &tauri::AppHandle, event: tauri::RunEvent) {
    if let tauri::RunEvent::Exit = event {
        if let Some(state) = app.try_state::<AppState>() {
            state.runner.stop_for_exit(EXIT_SESSION_STOP_LIMIT);
        }
    }
}

/// How long the exit waits for a running session to close: the client's own close timeout (3 s)
/// plus a little for storing the ending.
const EXIT_SESSION_STOP_LIMIT: std::time::Duration = std::time::Duration::from_secs(4);

/// Prepares folders, logging, settings, the picture cache and any session from the command line.
fn set_up(app: &mut tauri::App, args: &Args) -> anyhow::Result<()> {
    let folders = Folders::resolve(app.handle(), args.data_dir.as_deref())?;
    app.manage(LogGuard(logging::init(&folders.logs)));
    info!(version = env!("CARGO_PKG_VERSION"), data = %folders.settings.display(), "Replenish Desk starting");
    #[cfg(target_os = "linux")]
    launch::warn_without_session_bus();

    let settings_file = SettingsFile::new(&folders.settings);
    let mut settings = settings_file.load();
    if let Some(language) = args.language {
        settings.language = language;
    }

    // The app still watches sessions when the store cannot open (a full or read-only disk), and
    // the page shows that records are not being kept.
    let records = match Records::open(&folders.records) {
        Ok(records) => Some(records),
        Err(error) => {
            error!(%error, folder = %folders.records.display(), "record store unavailable");
            None
        }
    };
    let records_available = records.is_some();

    let cache = ThumbCache::new(ThumbConfig {
        cache_dir: folders.pictures.clone(),
        ..ThumbConfig::default()
    })?;
    let registry = Arc::new(Mutex::new(PictureRegistry::default()));
    app.manage(Pictures {
        registry: registry.clone(),
        cache,
    });

    // A demo session talks to a simulator on a random loopback port, so it is not remembered.
    let pending_start = if args.demo {
        Some(Launch::Start(PendingStart {
            request: demo::start(app, args.demo_scenario)?,
            remember: false,
        }))
    } else {
        launch::from_args(args)
    };

    app.manage(updates::Updates::new(
        args.update_endpoint
            .as_deref()
            .or(settings.update_endpoint.as_deref()),
        update_pubkey(args),
    ));

    info!(folder = %folders.exports.display(), "exports go to this folder");
    app.manage(AppState {
        runner: SessionRunner::new(
            registry.clone(),
            records.clone(),
            settings.connection.session_config(),
        ),
        settings: Mutex::new(settings),
        settings_file,
        pending_start: Mutex::new(pending_start),
        page_ready: AtomicBool::new(false),
        records_available,
        records,
        pictures: registry,
        exports: folders.exports,
    });
    #[cfg(target_os = "macos")]
    launch::listen_for_links(app.handle());
    #[cfg(unix)]
    exit_signals::exit_on_signals(app.handle().clone());
    Ok(())
}

/// Returns the test key given with `--update-pubkey`, which only debug builds accept.
#[cfg(debug_assertions)]
fn update_pubkey(args: &Args) -> Option<String> {
    args.update_pubkey.clone()
}

#[cfg(not(debug_assertions))]
fn update_pubkey(_args: &Args) -> Option<String> {
    None
}
