//! The commands of the connection limits: reconnect attempts and the door wait.
//!
//! The limits, their ranges and their checks live in `replenish_core::connection_settings`; this
//! module stores them and hands the resulting configuration to the session runner.

use std::collections::BTreeMap;

use replenish_core::connection_settings::{ConnectionSettings, ConnectionSettingsInput};
use replenish_core::view::Message;
use serde::Serialize;
use tauri::State;
use tracing::{info, warn};

use crate::commands::AppState;

/// The failure of `set_connection_settings`, in the shape the page shows.
#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ConnectionSettingsFailure {
    /// A value is not a whole number in its range; nothing changed.
    Invalid {
        fields: BTreeMap<&'static str, Message>,
    },
    /// The limits apply until the app closes but could not be saved.
    NotSaved {
        message: Message,
        settings: ConnectionSettings,
    },
}

#[tauri::command]
pub fn connection_settings(state: State<'_, AppState>) -> ConnectionSettings {
    state
        .settings
        .lock()
        .expect("settings lock poisoned")
        .connection
        .clamped()
}

/// Checks the typed limits, applies them to the sessions started from now on and saves them.
#[tauri::command]
pub fn set_connection_settings(
    input: ConnectionSettingsInput,
    state: State<'_, AppState>,
) -> Result<ConnectionSettings, ConnectionSettingsFailure> {
    let limits = input.parse().map_err(|fields| {
        info!(fields = ?fields.keys().collect::<Vec<_>>(), "connection settings rejected");
        ConnectionSettingsFailure::Invalid { fields }
    })?;
    state.runner.set_config(limits.session_config());
    info!(?limits, "connection settings changed");

    let mut stored = state.settings.lock().expect("settings lock poisoned");
    stored.connection = limits;
    state.settings_file.save(&stored).map_err(|error| {
        warn!(%error, "connection settings not saved, the change lasts until the app closes");
        ConnectionSettingsFailure::NotSaved {
            message: Message::new("error.settings_not_saved").arg("error", error.to_string()),
            settings: limits,
        }
    })?;
    Ok(limits)
}
