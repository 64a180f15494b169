//! Tauri commands: the page's intents, handed to the runner and the settings.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use i18n::{Catalogue, Language};
use record_store::history::outcome_options;
use record_store::recorder::Records;
use replenish_core::endpoint::{FieldError, SessionRequest, SessionTarget, DEFAULT_ENDPOINT};
use replenish_core::view::{FinalView, Message, OutcomeOption, SessionView};
use serde::Serialize;
use tauri::{AppHandle, State};
use tracing::{info, warn};

use crate::launch::Launch;
use crate::pictures::PictureRegistry;
use crate::runner::{SessionRunner, StartError};
use crate::settings::{RecentDevice, Settings, SettingsFile};

/// State shared by the commands.
pub struct AppState {
    pub runner: SessionRunner,
    pub settings: Mutex<Settings>,
    pub settings_file: SettingsFile,
    /// A session requested on the command line or by a launch link, started when the page first
    /// requests its state, so no event is sent before the page listens.
    pub pending_start: Mutex<Option<Launch>>,
    /// Set under the `pending_start` lock once the page has requested its state, after which a
    /// second launch's session is started at once and reported by an event.
    pub page_ready: AtomicBool,
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

/// A command-line session or launch link that did not pass validation, shown on the start form
/// with its errors. It never contains the token.
#[derive(Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RejectedStart {
    endpoint: String,
    device_no: String,
    device_name: Option<String>,
    failure: StartFailure,
}

impl RejectedStart {
    /// Keeps the values of `request` that the form shows again, all but the token.
    pub fn new(request: &SessionRequest, failure: StartFailure) -> Self {
        Self {
            endpoint: request.endpoint.clone(),
            device_no: request.device_no.clone(),
            device_name: request.device_name.clone(),
            failure,
        }
    }
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
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StartFailure {
    Invalid {
        fields: BTreeMap<&'static str, Message>,
    },
    Busy {
        message: Message,
    },
    /// The session asked for cannot be started, e.g. a retry before any session ran.
    Unavailable {
        message: Message,
    },
    /// A launch link rejected as a whole: wrong scheme or action, or malformed.
    Link {
        message: Message,
    },
}

impl StartFailure {
    /// Puts each field error beside its field, as the start form shows them.
    pub fn invalid(errors: &[FieldError]) -> Self {
        info!(fields = ?errors.iter().map(FieldError::field).collect::<Vec<_>>(), "start request rejected");
        Self::Invalid {
            fields: errors
                .iter()
                .map(|error| (error.field().name(), error.message()))
                .collect(),
        }
    }
}

#[tauri::command]
pub fn ui_bootstrap(app: AppHandle, state: State<'_, AppState>) -> Bootstrap {
    let pending = {
        let mut pending = state.pending_start.lock().expect("pending lock poisoned");
        state.page_ready.store(true, Ordering::SeqCst);
        pending.take()
    };
    let mut rejected_start = None;
    match pending {
        Some(Launch::Start(pending)) => {
            info!("starting the session given on the command line");
            if let Err(failure) = start(&app, &state, &pending.request, pending.remember) {
                warn!(
                    ?failure,
                    "the session given on the command line could not start"
                );
                rejected_start = Some(RejectedStart::new(&pending.request, failure));
            }
        }
        Some(Launch::Rejected(rejected)) => rejected_start = Some(rejected),
        None => {}
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

/// Starts the latest session again, with the same endpoint, device and token.
#[tauri::command]
pub fn retry_session(
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<SessionView, StartFailure> {
    state.runner.retry(&app).map_err(start_failure)
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
    let target = SessionTarget::parse(request).map_err(|errors| StartFailure::invalid(&errors))?;

    let view = state
        .runner
        .start(app, target.clone())
        .map_err(start_failure)?;

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

fn start_failure(error: StartError) -> StartFailure {
    match error {
        StartError::Busy => StartFailure::Busy {
            message: Message::new("error.busy"),
        },
        StartError::NothingToRetry => StartFailure::Unavailable {
            message: Message::new("error.nothing_to_retry"),
        },
    }
}

fn save(file: &SettingsFile, settings: &Settings) {
    if let Err(error) = file.save(settings) {
        warn!(%error, "settings not saved, the change lasts until the app closes");
    }
}
