//! Tauri commands: the page's intents, handed to the runner and the settings.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use i18n::{Catalogue, Language};
use record_store::history::outcome_options;
use record_store::recorder::Records;
use replenish_core::endpoint::{FieldError, SessionRequest, SessionTarget, DEFAULT_ENDPOINT};
use replenish_core::view::{FinalView, Message, OutcomeOption, SessionView};
use serde::Serialize;
use tauri::{AppHandle, State};
use tracing::{info, warn};

use crate::pictures::PictureRegistry;
use crate::runner::{SessionRunner, StartError};
use crate::settings::{RecentDevice, Settings, SettingsFile};

/// State shared by the commands.
pub struct AppState {
    pub runner: SessionRunner,
    pub settings: Mutex<Settings>,
    pub settings_file: SettingsFile,
    /// A session requested on the command line, started when the page first requests its state,
    /// so no event is sent before the page listens.
    pub pending_start: Mutex<Option<PendingStart>>,
    /// False when the record store could not open, so sessions are not kept.
    pub records_available: bool,
    /// The record store, shared with the runner, or `None` when it could not open.
    pub records: Option<Records>,
    /// The picture scheme's registry, where an opened record registers its pictures.
    pub pictures: Arc<Mutex<PictureRegistry>>,
    /// The folder of the History screen's exports.
    pub exports: PathBuf,
}

/// A session to start once the page is ready.
pub struct PendingStart {
    pub request: SessionRequest,
    /// False for demo sessions, whose simulator address is of no use later.
    pub remember: bool,
}

/// A command-line session that did not pass validation, shown on the start form with its errors.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RejectedStart {
    endpoint: String,
    device_no: String,
    device_name: Option<String>,
    failure: StartFailure,
}

/// Everything the page needs to draw its first screen.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Bootstrap {
    language: Language,
    catalogue: &'static BTreeMap<String, String>,
    preset_endpoint: &'static str,
    recent_devices: Vec<RecentDevice>,
    session: Option<SessionView>,
    final_list: Option<FinalView>,
    rejected_start: Option<RejectedStart>,
    records_available: bool,
    /// The choices of the History screen's outcome filter.
    outcome_options: Vec<OutcomeOption>,
}

/// The catalogue of a newly chosen language.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LanguageChange {
    language: Language,
    catalogue: &'static BTreeMap<String, String>,
}

/// The failure of `start_session`, in the shape the page shows.
#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StartFailure {
    Invalid {
        fields: BTreeMap<&'static str, Message>,
    },
    Busy {
        message: Message,
    },
}

#[tauri::command]
pub fn ui_bootstrap(app: AppHandle, state: State<'_, AppState>) -> Bootstrap {
    let pending = state
        .pending_start
        .lock()
        .expect("pending lock poisoned")
        .take();
    let mut rejected_start = None;
    if let Some(pending) = pending {
        info!("starting the session given on the command line");
        if let Err(failure) = start(&app, &state, &pending.request, pending.remember) {
            warn!(
                ?failure,
                "the session given on the command line could not start"
            );
            rejected_start = Some(RejectedStart {
                endpoint: pending.request.endpoint,
                device_no: pending.request.device_no,
                device_name: pending.request.device_name,
                failure,
            });
        }
    }

    let settings = state
        .settings
        .lock()
        .expect("settings lock poisoned")
        .clone();
    let (session, final_list) = state.runner.snapshot();
    Bootstrap {
        language: settings.language,
        catalogue: Catalogue::get(settings.language).entries(),
        preset_endpoint: DEFAULT_ENDPOINT,
        recent_devices: settings.recent_devices,
        session,
        final_list,
        rejected_start,
        records_available: state.records_available,
        outcome_options: outcome_options(),
    }
}

#[tauri::command]
pub fn set_language(language: Language, state: State<'_, AppState>) -> LanguageChange {
    let mut settings = state.settings.lock().expect("settings lock poisoned");
    settings.language = language;
    save(&state.settings_file, &settings);
    info!(language = language.tag(), "language changed");
    LanguageChange {
        language,
        catalogue: Catalogue::get(language).entries(),
    }
}

#[tauri::command]
pub fn start_session(
    app: AppHandle,
    request: SessionRequest,
    state: State<'_, AppState>,
) -> Result<SessionView, StartFailure> {
    start(&app, &state, &request, true)
}

#[tauri::command]
pub fn cancel_session(state: State<'_, AppState>) {
    state.runner.cancel();
}

#[tauri::command]
pub fn forget_device(device_no: String, state: State<'_, AppState>) -> Vec<RecentDevice> {
    let mut settings = state.settings.lock().expect("settings lock poisoned");
    settings.forget(&device_no);
    save(&state.settings_file, &settings);
    settings.recent_devices.clone()
}

/// Validates the request, remembers the device when `remember` is set, and starts the session.
pub fn start(
    app: &AppHandle,
    state: &AppState,
    request: &SessionRequest,
    remember: bool,
) -> Result<SessionView, StartFailure> {
    let target = SessionTarget::parse(request).map_err(|errors| {
        info!(fields = ?errors.iter().map(FieldError::field).collect::<Vec<_>>(), "start form rejected");
        StartFailure::Invalid {
            fields: errors.iter().map(|error| (error.field().name(), error.message())).collect(),
        }
    })?;

    let view = state
        .runner
        .start(app, target.clone())
        .map_err(|error| match error {
            StartError::Busy => StartFailure::Busy {
                message: Message::new("error.busy"),
            },
        })?;

    if remember {
        let mut settings = state.settings.lock().expect("settings lock poisoned");
        settings.remember(RecentDevice {
            device_no: target.device_no().to_owned(),
            name: target.device_name().map(str::to_owned),
            endpoint: target.endpoint().to_string(),
        });
        save(&state.settings_file, &settings);
    }
    Ok(view)
}

fn save(file: &SettingsFile, settings: &Settings) {
    if let Err(error) = file.save(settings) {
        warn!(%error, "settings not saved, the change lasts until the app closes");
    }
}
