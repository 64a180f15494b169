//! Sessions requested from outside the window: the command line, a launch link, or a second
//! launch that the single-instance plugin hands to the running app.
//!
//! Every path turns its input into a [`SessionRequest`] and starts it through
//! [`commands::start`], so each is checked exactly like the start form. The token travels only
//! inside the request and is never logged.

use replenish_core::endpoint::{SessionRequest, SessionTarget};
use replenish_core::launch_link::{checked_request, LinkError};
use replenish_core::view::{Message, SessionView};
use serde::Serialize;
use std::sync::atomic::Ordering;
use tauri::{AppHandle, Emitter, Manager};
use tracing::{info, warn};

use crate::cli::{self, Args};
use crate::commands::{self, AppState, PendingStart, RejectedStart, StartFailure};

/// The event that reports a second launch's session to the page.
pub const LAUNCH_EVENT: &str = "launch://result";

/// A session requested from outside the window, before it is started.
pub enum Launch {
    Start(PendingStart),
    /// A launch link rejected before any session could start, shown on the start form.
    Rejected(RejectedStart),
}

/// The result of a second launch, as the page receives it.
#[derive(Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum LaunchOutcome {
    Started { session: Box<SessionView> },
    Rejected { rejected: RejectedStart },
}

/// Returns the session that `args` requests, from `--endpoint` or a launch link, if any.
pub fn from_args(args: &Args) -> Option<Launch> {
    if let Some(link) = &args.link {
        return Some(from_link(link));
    }

    let endpoint = args.endpoint.as_ref()?;
    Some(Launch::Start(PendingStart {
        request: SessionRequest {
            endpoint: endpoint.clone(),
            device_no: args.device.clone().unwrap_or_default(),
            token: args.token.clone().unwrap_or_default(),
            device_name: None,
        },
        remember: true,
    }))
}

/// Checks a launch link like the start form. A rejected link keeps its values, token excepted,
/// so the form can show them beside the reasons.
pub fn from_link(link: &str) -> Launch {
    match checked_request(link) {
        Ok(request) => {
            info!(device_no = %request.device_no, "launch link accepted");
            Launch::Start(PendingStart {
                request,
                remember: true,
            })
        }
        Err(error) => {
            // The error's text contains neither the link nor its token.
            warn!(%error, "launch link rejected");
            let (request, failure) = match error {
                LinkError::Fields { request, errors } => (request, StartFailure::invalid(&errors)),
                other => {
                    let message = other
                        .message()
                        .unwrap_or_else(|| Message::new("link.malformed"));
                    (SessionRequest::default(), StartFailure::Link { message })
                }
            };
            Launch::Rejected(RejectedStart::new(&request, failure))
        }
    }
}

/// Warns when Linux has no D-Bus session bus. The single-instance plugin hands a second launch
/// over through that bus and, without one, lets the second launch open a window of its own on
/// the same records, with nothing in the log to say why.
#[cfg(target_os = "linux")]
pub fn warn_without_session_bus() {
    let bus_address =
        std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some_and(|value| !value.is_empty());
    let runtime_bus = std::env::var_os("XDG_RUNTIME_DIR")
        .is_some_and(|folder| std::path::Path::new(&folder).join("bus").exists());
    if !bus_address && !runtime_bus {
        warn!("no D-Bus session bus: a second launch will open its own window instead of handing its session to this one; log in to a desktop session, or start the app under dbus-run-session");
    }
}

/// Handles a second launch: focuses the window, then starts the session its arguments request.
/// `argv` may contain the token, so it is never logged.
pub fn on_second_launch(app: &AppHandle, argv: Vec<String>) {
    info!(
        arguments = argv.len().saturating_sub(1),
        "a second launch was handed to this window"
    );
    focus_main_window(app);

    let args = match cli::parse_forwarded(argv) {
        Ok(args) => args,
        Err(error) => {
            // clap's message may quote an argument, which may be the token, so only its kind is
            // logged. The second launch's own parse already accepted the same command line.
            warn!(kind = ?error.kind(), "the second launch's command line is invalid");
            return;
        }
    };
    if args.demo || args.data_dir.is_some() || args.language.is_some() {
        info!(
            "--demo, --data-dir and --language apply to the first launch only, so they are ignored"
        );
    }
    match from_args(&args) {
        Some(launch) => deliver(app, launch),
        None => info!("the second launch requested no session"),
    }
}

/// Handles links that the system sends to the running app (macOS sends every link this way).
#[cfg(target_os = "macos")]
pub fn listen_for_links(app: &AppHandle) {
    use tauri_plugin_deep_link::DeepLinkExt;

    let handle = app.clone();
    app.deep_link().on_open_url(move |event| {
        for url in event.urls() {
            focus_main_window(&handle);
            deliver(&handle, from_link(url.as_str()));
        }
    });
}

/// Starts a launch's session, or keeps it for the page's first state request when the page is
/// still loading.
fn deliver(app: &AppHandle, launch: Launch) {
    // The single-instance plugin listens before the set-up has finished, so a second launch in
    // the first moments may arrive before the app's state exists.
    let Some(state) = app.try_state::<AppState>() else {
        warn!("a second launch arrived while the app was starting, so its session was dropped");
        return;
    };
    {
        let mut pending = state.pending_start.lock().expect("pending lock poisoned");
        if !state.page_ready.load(Ordering::SeqCst) {
            if pending.is_some() {
                info!("a second launch replaces the session waiting for the page");
            }
            *pending = Some(launch);
            return;
        }
    }

    let outcome = match launch {
        Launch::Start(pending) => start(app, &state, pending),
        Launch::Rejected(rejected) => Some(LaunchOutcome::Rejected { rejected }),
    };
    if let Some(outcome) = outcome {
        if let Err(error) = app.emit(LAUNCH_EVENT, outcome) {
            warn!(%error, "could not send the second launch's result to the window");
        }
    }
}

/// Starts the session unless one is running. A running session is kept, because its cabinet door
/// may be open with a restock under way: replacing it would lose the live view and its final
/// list, and a double-clicked link would cancel the very session it started. The new token is
/// not sent anywhere, so the same link works again once the running session has ended.
fn start(app: &AppHandle, state: &AppState, pending: PendingStart) -> Option<LaunchOutcome> {
    let request = &pending.request;
    match commands::start(app, state, request, pending.remember) {
        Ok(session) => {
            info!(
                session_id = session.session_id,
                "started the second launch's session"
            );
            Some(LaunchOutcome::Started {
                session: Box::new(session),
            })
        }
        Err(StartFailure::Busy { .. }) => {
            // The same link opened twice asks for the running session: focusing is enough. A
            // new token or server for the same device is a new session, which must wait.
            let same = SessionTarget::parse(request)
                .is_ok_and(|target| state.runner.is_running_target(&target));
            if same {
                info!("the second launch requested the running session, so the window is only focused");
                return None;
            }

            info!("a session is running, so the second launch's session was not started");
            let message = Message::new("launch.busy").arg("device", request.device_no.trim());
            Some(LaunchOutcome::Rejected {
                rejected: RejectedStart::new(request, StartFailure::Busy { message }),
            })
        }
        Err(failure) => {
            warn!(?failure, "the second launch's session could not start");
            Some(LaunchOutcome::Rejected {
                rejected: RejectedStart::new(request, failure),
            })
        }
    }
}

fn focus_main_window(app: &AppHandle) {
    let Some(window) = app.get_webview_window("main") else {
        warn!("no main window to focus");
        return;
    };
    for (step, result) in [
        ("unminimize", window.unminimize()),
        ("show", window.show()),
        ("focus", window.set_focus()),
    ] {
        if let Err(error) = result {
            warn!(step, %error, "could not bring the window to the front");
        }
    }
}
