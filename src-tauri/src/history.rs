//! Tauri commands of the History screen (补货记录): list, open and export stored sessions.
//!
//! Validation and view building live in `record_store::history`, so these commands only fetch,
//! run the store's blocking calls off the async runtime and report failures.

use chrono::Local;
use record_store::export::{ExportOptions, ExportTimeZone};
use record_store::history::{history_view, record_view, FieldErrors, HistoryRequest};
use record_store::{Filter, RecordStore, SessionId};
use replenish_core::view::{HistoryView, Message, RecordView};
use serde::Serialize;
use std::sync::Arc;
use tauri::State;
use tracing::{info, warn};

use crate::commands::AppState;
use crate::exports::{write_export, ExportFormat, WriteExportError};

/// Times are shown, and filter dates read, in the PC's time zone.
const TIME_ZONE: ExportTimeZone = ExportTimeZone::Local;

/// The failure of a History command, in the shape the page shows.
#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum HistoryFailure {
    /// The filter form has invalid fields.
    Invalid {
        fields: FieldErrors,
    },
    Failed {
        message: Message,
    },
}

impl HistoryFailure {
    fn failed(message: Message) -> Self {
        HistoryFailure::Failed { message }
    }
}

/// A written export file.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportedFile {
    /// The file's full path, as the page shows it.
    path: String,
    session_count: usize,
}

#[tauri::command]
pub async fn list_records(
    filter: HistoryRequest,
    state: State<'_, AppState>,
) -> Result<HistoryView, HistoryFailure> {
    let filter = validate(&filter)?;
    let store = store_of(&state)?;

    let view = run_blocking("listing sessions", move || {
        let summaries = store.list_sessions(&filter)?;
        Ok(history_view(&summaries, TIME_ZONE))
    })
    .await?;
    Ok(view)
}

#[tauri::command]
pub async fn open_record(
    session_id: SessionId,
    state: State<'_, AppState>,
) -> Result<RecordView, HistoryFailure> {
    let store = store_of(&state)?;
    let stored = run_blocking("loading a session", move || store.load_session(session_id)).await?;
    let Some(stored) = stored else {
        warn!(%session_id, "the page opened a session that is not stored");
        return Err(HistoryFailure::failed(
            Message::new("history.error.not_found").arg("session", session_id.to_string()),
        ));
    };

    // The stored picture URLs are registered like a live list's, so the page loads them
    // through the picture scheme.
    let mut pictures = state.pictures.lock().expect("picture lock poisoned");
    Ok(record_view(&stored, TIME_ZONE, &mut |url| {
        Some(pictures.page_url(url))
    }))
}

#[tauri::command]
pub async fn export_records(
    filter: HistoryRequest,
    format: ExportFormat,
    state: State<'_, AppState>,
) -> Result<ExportedFile, HistoryFailure> {
    let filter = validate(&filter)?;
    let store = store_of(&state)?;
    let options = ExportOptions {
        language: state
            .settings
            .lock()
            .expect("settings lock poisoned")
            .language,
        time_zone: TIME_ZONE,
    };
    let folder = state.exports.clone();

    let sessions = run_blocking("loading sessions for an export", move || {
        store.load_sessions(&filter)
    })
    .await?;
    if sessions.is_empty() {
        info!(?format, "nothing to export");
        return Err(HistoryFailure::failed(Message::new(
            "history.error.nothing_to_export",
        )));
    }

    let session_count = sessions.len();
    let now = Local::now().naive_local();
    let written = tauri::async_runtime::spawn_blocking(move || {
        write_export(&folder, &sessions, &options, format, now)
    })
    .await;
    let path = match written {
        Ok(Ok(path)) => path,
        Ok(Err(error)) => return Err(export_failed(&error)),
        Err(error) => {
            warn!(%error, "export task failed");
            return Err(HistoryFailure::failed(
                Message::new("history.error.export_failed").arg("error", error.to_string()),
            ));
        }
    };

    info!(path = %path.display(), sessions = session_count, ?format, "records exported");
    Ok(ExportedFile {
        path: path.display().to_string(),
        session_count,
    })
}

fn validate(request: &HistoryRequest) -> Result<Filter, HistoryFailure> {
    request.to_filter(TIME_ZONE).map_err(|fields| {
        info!(fields = ?fields.keys().collect::<Vec<_>>(), "history filter rejected");
        HistoryFailure::Invalid { fields }
    })
}

fn store_of(state: &AppState) -> Result<Arc<RecordStore>, HistoryFailure> {
    state
        .records
        .as_ref()
        .map(|records| records.store())
        .ok_or_else(|| HistoryFailure::failed(Message::new("history.error.unavailable")))
}

/// Runs a store call on a blocking thread, turning its error into the page's message.
async fn run_blocking<T, F>(action: &'static str, call: F) -> Result<T, HistoryFailure>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T, record_store::StoreError> + Send + 'static,
{
    let result = tauri::async_runtime::spawn_blocking(call).await;
    let error = match result {
        Ok(Ok(value)) => return Ok(value),
        Ok(Err(error)) => error.to_string(),
        Err(error) => error.to_string(),
    };
    warn!(action, %error, "reading the records failed");
    Err(HistoryFailure::failed(
        Message::new("history.error.load_failed").arg("error", error),
    ))
}

fn export_failed(error: &WriteExportError) -> HistoryFailure {
    warn!(%error, "export failed");
    HistoryFailure::failed(
        Message::new("history.error.export_failed").arg("error", error.to_string()),
    )
}
