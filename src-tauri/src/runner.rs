//! Runs sessions for the window: one at a time, with every event forwarded as a view model.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use record_store::recorder::Records;
use record_store::{FinalOutcome, SessionId};
use replenish_core::endpoint::SessionTarget;
use replenish_core::event::SessionEvent;
use replenish_core::presenter::{Presenter, SessionContext};
use replenish_core::session::{run_journaled_session, FrameJournal, SessionConfig};
use replenish_core::view::{FinalView, Message, NoticeView, SessionView};
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
    /// Set once the session's connection is closed and its ending is stored.
    done: Arc<AtomicBool>,
}

/// Starts, cancels and remembers sessions.
#[derive(Clone)]
pub struct SessionRunner {
    current: Arc<Mutex<Option<CurrentSession>>>,
    next_id: Arc<AtomicU64>,
    pictures: Arc<Mutex<PictureRegistry>>,
    records: Option<Records>,
    config: Arc<Mutex<SessionConfig>>,
    /// The target of the latest session, so the user can try it again by hand. Kept in memory
    /// only, because it contains the token.
    last_target: Arc<Mutex<Option<SessionTarget>>>,
}

/// The reason a session could not be started.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("a session is still running: cancel it or wait for it to end")]
    Busy,
    #[error("no session ran since the app started, so there is nothing to retry")]
    NothingToRetry,
}

impl SessionRunner {
    /// Creates the runner. Without `records`, sessions run but are not kept.
    pub fn new(
        pictures: Arc<Mutex<PictureRegistry>>,
        records: Option<Records>,
        config: SessionConfig,
    ) -> Self {
        Self {
            current: Arc::default(),
            next_id: Arc::new(AtomicU64::new(1)),
            pictures,
            records,
            config: Arc::new(Mutex::new(config)),
            last_target: Arc::default(),
        }
    }

    /// Sets the configuration of the sessions started from now on.
    pub fn set_config(&self, config: SessionConfig) {
        *self.config.lock().expect("config lock poisoned") = config;
    }

    /// True when `target` is the running session's endpoint, device and token.
    pub fn is_running_target(&self, target: &SessionTarget) -> bool {
        let running = self
            .current
            .lock()
            .expect("session lock poisoned")
            .as_ref()
            .is_some_and(|current| !current.view.ended);
        running
            && self
                .last_target
                .lock()
                .expect("target lock poisoned")
                .as_ref()
                .is_some_and(|last| {
                    last.endpoint() == target.endpoint()
                        && last.device_no() == target.device_no()
                        && last.token() == target.token()
                })
    }

    /// Starts the latest session's target again.
    pub fn retry(&self, app: &AppHandle) -> Result<SessionView, StartError> {
        let target = self
            .last_target
            .lock()
            .expect("target lock poisoned")
            .clone()
            .ok_or(StartError::NothingToRetry)?;
        info!(
            device_no = target.device_no(),
            "retrying the latest session by hand"
        );
        self.start(app, target)
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
        let done = Arc::new(AtomicBool::new(false));
        *current = Some(CurrentSession {
            id,
            cancel: cancel.clone(),
            view: view.clone(),
            final_list: None,
            done: done.clone(),
        });
        drop(current);
        *self.last_target.lock().expect("target lock poisoned") = Some(target.clone());

        info!(session_id = id, device_no = target.device_no(), host = %target.endpoint_host(), "starting session");
        let stored = self
            .records
            .as_ref()
            .and_then(|records| records.begin(&target));
        let journal = stored.as_ref().map(|(_, journal)| journal.clone());
        // The journal's last reference, kept until the ending is stored, holds the session's lock.
        let record = stored
            .and_then(|(record_id, journal)| Some((self.records.clone()?, record_id, journal)));

        let (sender, receiver) = mpsc::channel(EVENT_BUFFER);
        let config = self.config.lock().expect("config lock poisoned").clone();
        tauri::async_runtime::spawn(run_journaled_session(
            target, config, cancel, sender, journal,
        ));
        tauri::async_runtime::spawn(self.clone().forward(
            app.clone(),
            id,
            presenter,
            receiver,
            record,
            done,
        ));

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

    /// Cancels the running session and waits, up to `limit`, until its connection is closed and
    /// its ending stored. Called as the app exits, so closing the window with the door open
    /// still tells the server with a normal close and leaves a complete record.
    pub fn stop_for_exit(&self, limit: Duration) {
        let done = match self.current.lock().expect("session lock poisoned").as_ref() {
            Some(current) if !current.done.load(Ordering::Acquire) => {
                info!(
                    session_id = current.id,
                    "app exiting, stopping the running session"
                );
                current.cancel.cancel();
                current.done.clone()
            }
            _ => return,
        };

        // The session runs on the async runtime's threads, so this thread may simply wait.
        let started = Instant::now();
        while !done.load(Ordering::Acquire) {
            if started.elapsed() > limit {
                warn!(
                    waited_ms = limit.as_millis() as u64,
                    "session did not stop in time, exiting anyway"
                );
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        info!(
            waited_ms = started.elapsed().as_millis() as u64,
            "session stopped before exit"
        );
    }

    /// Turns each event into view models, keeps them as the current screen and sends them to
    /// the page. A final list is committed to the record store, then kept, then sent, so neither
    /// a crash nor a page reload loses it.
    async fn forward(
        self,
        app: AppHandle,
        id: u64,
        mut presenter: Presenter,
        mut events: mpsc::Receiver<SessionEvent>,
        record: Option<(Records, SessionId, Arc<dyn FrameJournal>)>,
        done: Arc<AtomicBool>,
    ) {
        let mut close_code = None;
        while let Some(event) = events.recv().await {
            match &event {
                SessionEvent::Closed { close_code: code } => close_code = Some(*code),
                SessionEvent::ConnectionLost {
                    close_code: code, ..
                } => close_code = *code,
                _ => {}
            }
            if let (SessionEvent::FinalList(list), Some((records, record_id, _))) =
                (&event, &record)
            {
                let stored = records.store_final(*record_id, list.clone()).await;
                if let Some(notice) = storage_notice(id, &stored) {
                    emit(&app, NOTICE_EVENT, &notice);
                }
            }

            let update = {
                let mut pictures = self.pictures.lock().expect("picture lock poisoned");
                presenter.on_event(&event, &mut |url| Some(pictures.page_url(url)))
            };
            self.keep_on_screen(id, &update.session, &update.final_list);
            crate::notifications::notify(&app, &event, presenter.state(), &update);

            if let Some(list) = &update.final_list {
                emit(&app, FINAL_EVENT, list);
            }
            if let Some(view) = &update.session {
                emit(&app, STATE_EVENT, view);
            }
            for notice in &update.notices {
                emit(&app, NOTICE_EVENT, notice);
            }
        }

        info!(phase = presenter.state().phase(), "session events finished");
        if let Some((records, record_id, _journal)) = record {
            records
                .end(record_id, presenter.state().clone(), close_code)
                .await;
        }
        done.store(true, Ordering::Release);
    }

    fn keep_on_screen(&self, id: u64, view: &Option<SessionView>, final_list: &Option<FinalView>) {
        if let Some(current) = self.current.lock().expect("session lock poisoned").as_mut() {
            if current.id != id {
                return;
            }
            if let Some(view) = view {
                current.view = view.clone();
            }
            if let Some(list) = final_list {
                current.final_list = Some(list.clone());
            }
        }
    }
}

/// Returns the notice for a final list that was not stored, or was stored before.
fn storage_notice(session_id: u64, stored: &Result<FinalOutcome, String>) -> Option<NoticeView> {
    let key = match stored {
        Ok(FinalOutcome::Stored) => return None,
        Ok(FinalOutcome::Duplicate { .. }) => "notice.record_duplicate",
        Err(_) => "notice.record_not_saved",
    };
    Some(NoticeView {
        session_id,
        message: Message::new(key),
        count: 1,
    })
}

fn emit<T: serde::Serialize + Clone>(app: &AppHandle, name: &str, payload: &T) {
    if let Err(error) = app.emit(name, payload.clone()) {
        warn!(event = name, %error, "could not send an event to the window");
    }
}
