//! Runs sessions for the window: one at a time, with every event forwarded as a view model.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use replenish_core::endpoint::SessionTarget;
use replenish_core::event::SessionEvent;
use replenish_core::presenter::{Presenter, SessionContext};
use replenish_core::session::{run_session, SessionConfig};
use replenish_core::view::{FinalView, SessionView};
use tauri::{AppHandle, Emitter};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use tracing::{info, warn};

use crate::pictures::PictureRegistry;

/// Event names the page listens to.
pub const STATE_EVENT: &str = "session://state";
pub const FINAL_EVENT: &str = "session://final";
pub const NOTICE_EVENT: &str = "session://notice";

/// How many session events may wait for the forwarder before the client waits in turn.
const EVENT_BUFFER: usize = 64;

/// The session on screen: the running one, or the last one that ended.
struct CurrentSession {
    id: u64,
    cancel: CancellationToken,
    view: SessionView,
    final_list: Option<FinalView>,
}

/// Starts, cancels and remembers sessions.
#[derive(Clone)]
pub struct SessionRunner {
    current: Arc<Mutex<Option<CurrentSession>>>,
    next_id: Arc<AtomicU64>,
    pictures: Arc<Mutex<PictureRegistry>>,
    config: SessionConfig,
}

/// The reason a session could not be started.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("a session is still running: cancel it or wait for it to end")]
    Busy,
}

impl SessionRunner {
    pub fn new(pictures: Arc<Mutex<PictureRegistry>>) -> Self {
        Self {
            current: Arc::default(),
            next_id: Arc::new(AtomicU64::new(1)),
            pictures,
            config: SessionConfig::default(),
        }
    }

    /// Returns the banner and final list currently on screen, for a page that loads mid-session.
    pub fn snapshot(&self) -> (Option<SessionView>, Option<FinalView>) {
        match self.current.lock().expect("session lock poisoned").as_ref() {
            Some(current) => (Some(current.view.clone()), current.final_list.clone()),
            None => (None, None),
        }
    }

    /// Starts a session unless one is running, and returns its first banner.
    pub fn start(&self, app: &AppHandle, target: SessionTarget) -> Result<SessionView, StartError> {
        let mut current = self.current.lock().expect("session lock poisoned");
        if current.as_ref().is_some_and(|session| !session.view.ended) {
            return Err(StartError::Busy);
        }

        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let presenter = Presenter::new(SessionContext {
            session_id: id,
            device_no: target.device_no().to_owned(),
            device_name: target.device_name().map(str::to_owned),
            endpoint_host: target.endpoint_host(),
            endpoint: target.endpoint().to_string(),
        });
        let view = presenter.session_view();
        let cancel = CancellationToken::new();
        *current = Some(CurrentSession {
            id,
            cancel: cancel.clone(),
            view: view.clone(),
            final_list: None,
        });
        drop(current);

        info!(session_id = id, device_no = target.device_no(), host = %target.endpoint_host(), "starting session");
        let (sender, receiver) = mpsc::channel(EVENT_BUFFER);
        let config = self.config.clone();
        tauri::async_runtime::spawn(run_session(target, config, cancel, sender));
        tauri::async_runtime::spawn(self.clone().forward(app.clone(), id, presenter, receiver));

        emit(app, STATE_EVENT, &view);
        Ok(view)
    }

    /// Cancels the running session, if any. The session reports its own end.
    pub fn cancel(&self) {
        if let Some(current) = self.current.lock().expect("session lock poisoned").as_ref() {
            info!(session_id = current.id, "cancel requested");
            current.cancel.cancel();
        }
    }

    /// Turns each event into view models, keeps them as the current screen and sends them to
    /// the page. The final list is kept before it is sent, so a page that reloads still gets it.
    async fn forward(
        self,
        app: AppHandle,
        id: u64,
        mut presenter: Presenter,
        mut events: mpsc::Receiver<SessionEvent>,
    ) {
        while let Some(event) = events.recv().await {
            let update = {
                let mut pictures = self.pictures.lock().expect("picture lock poisoned");
                presenter.on_event(&event, &mut |url| Some(pictures.page_url(url)))
            };

            if let Some(current) = self.current.lock().expect("session lock poisoned").as_mut() {
                if current.id == id {
                    if let Some(view) = &update.session {
                        current.view = view.clone();
                    }
                    if let Some(list) = &update.final_list {
                        current.final_list = Some(list.clone());
                    }
                }
            }

            if let Some(list) = &update.final_list {
                emit(&app, FINAL_EVENT, list);
            }
            if let Some(view) = &update.session {
                emit(&app, STATE_EVENT, view);
            }
            if let Some(notice) = &update.notice {
                emit(&app, NOTICE_EVENT, notice);
            }
        }
        info!(phase = presenter.state().phase(), "session events finished");
    }
}

fn emit<T: serde::Serialize + Clone>(app: &AppHandle, name: &str, payload: &T) {
    if let Err(error) = app.emit(name, payload.clone()) {
        warn!(event = name, %error, "could not send an event to the window");
    }
}
