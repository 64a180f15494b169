//! Desktop notifications of the running session, and the commands of their switches.
//!
//! `replenish-core` decides which event gives a notification and writes its text. This module
//! only checks the user's switches and hands the text to the notification plugin. The backend
//! sends the notifications itself, so the page needs no notification permission.

use std::sync::atomic::{AtomicBool, Ordering};

use i18n::Catalogue;
use replenish_core::event::SessionEvent;
use replenish_core::notification::{notification_for, NotificationSwitches, NotificationView};
use replenish_core::presenter::ScreenUpdate;
use replenish_core::state::SessionState;
use replenish_core::view::Message;
use serde::Serialize;
use tauri::{AppHandle, Manager, State};
use tauri_plugin_notification::NotificationExt;
use tracing::{info, warn};

use crate::commands::AppState;

/// Set after the first failed notification, so a PC without a notification service logs one
/// warning instead of one per session event.
static FAILURE_LOGGED: AtomicBool = AtomicBool::new(false);

/// The failure of `set_notification_settings`, in the shape the page shows.
#[derive(Debug, Serialize)]
pub struct SettingsNotSaved {
    message: Message,
}

/// Shows the notification that `event` gives, unless the user switched its kind off. `update` is
/// what the presenter made of `event`, and `state` is the presenter's state after it.
pub fn notify(app: &AppHandle, event: &SessionEvent, state: &SessionState, update: &ScreenUpdate) {
    let Some(app_state) = app.try_state::<AppState>() else {
        return;
    };
    let (language, switches) = {
        let settings = app_state.settings.lock().expect("settings lock poisoned");
        (settings.language, settings.notifications)
    };

    let Some(view) = notification_for(event, state, update, Catalogue::get(language)) else {
        return;
    };
    if !switches.allows(view.kind) {
        info!(session_id = view.session_id, kind = ?view.kind, "notification switched off, not shown");
        return;
    }
    show(app, &view);
}

/// Hands the notification to the plugin, and logs only the first failure.
///
/// NOTE: on Linux and Windows the plugin (tauri-plugin-notification 2.x) delivers the
/// notification on a background task and drops a delivery error, such as a missing D-Bus
/// notification service. Only a failure to prepare the notification reaches this function.
fn show(app: &AppHandle, view: &NotificationView) {
    let prepared = app
        .notification()
        .builder()
        .title(&view.title)
        .body(&view.body)
        .show();

    match prepared {
        Ok(()) => info!(session_id = view.session_id, kind = ?view.kind, "notification sent"),
        Err(error) => {
            if !FAILURE_LOGGED.swap(true, Ordering::Relaxed) {
                warn!(session_id = view.session_id, kind = ?view.kind, %error,
                    "desktop notification failed, later failures are not logged");
            }
        }
    }
}

#[tauri::command]
pub fn notification_settings(state: State<'_, AppState>) -> NotificationSwitches {
    state
        .settings
        .lock()
        .expect("settings lock poisoned")
        .notifications
}

/// Applies the switches at once and saves them. When saving fails, the switches still apply
/// until the app closes, and the returned error lets the page show that they were not saved.
#[tauri::command]
pub fn set_notification_settings(
    switches: NotificationSwitches,
    state: State<'_, AppState>,
) -> Result<NotificationSwitches, SettingsNotSaved> {
    let mut settings = state.settings.lock().expect("settings lock poisoned");
    settings.notifications = switches;
    info!(?switches, "notification switches changed");

    state.settings_file.save(&settings).map_err(|error| {
        warn!(%error, "notification switches not saved, the change lasts until the app closes");
        SettingsNotSaved {
            message: Message::new("error.settings_not_saved").arg("error", error.to_string()),
        }
    })?;
    Ok(switches)
}
