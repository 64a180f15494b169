//! Desktop notifications of a session: which state change gives one, and its text in the user's
//! language.
//!
//! The shell passes each event here with the [`ScreenUpdate`] that the
//! [`Presenter`](crate::presenter::Presenter) made of it and the presenter's new state, and shows
//! what comes back when the user's [`NotificationSwitches`] allow its kind. Three moments give a
//! notification: the door opens, the final list arrives, and the session ends in a failure. A
//! cancel by the user gives none, and neither does a wait to reconnect.

use i18n::Catalogue;
use serde::{Deserialize, Serialize};

use crate::event::SessionEvent;
use crate::presenter::ScreenUpdate;
use crate::state::{FailureReason, SessionState};
use crate::view::{FinalView, Message, SessionView};

/// The kinds of notification, each of which the user can switch off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    DoorOpen,
    FinalList,
    /// Connect failure, refused session, failed door, door timeout or lost connection.
    Failure,
}

/// The user's choice of notifications, kept in the settings. Every kind is on by default, and a
/// settings file written before a switch existed reads that switch as on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct NotificationSwitches {
    pub door_open: bool,
    pub final_list: bool,
    pub failure: bool,
}

impl Default for NotificationSwitches {
    fn default() -> Self {
        Self {
            door_open: true,
            final_list: true,
            failure: true,
        }
    }
}

impl NotificationSwitches {
    /// Returns whether notifications of `kind` are switched on.
    pub fn allows(&self, kind: NotificationKind) -> bool {
        match kind {
            NotificationKind::DoorOpen => self.door_open,
            NotificationKind::FinalList => self.final_list,
            NotificationKind::Failure => self.failure,
        }
    }
}

/// A notification ready to show, with its title and body in the catalogue's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NotificationView {
    pub session_id: u64,
    pub kind: NotificationKind,
    pub title: String,
    /// One or more lines, joined by line breaks.
    pub body: String,
}

/// Returns the notification that `event` gives, or `None`.
///
/// `update` is what the presenter made of `event`, and `state` is the presenter's state after
/// it. Only a state change or a new final list gives a notification.
pub fn notification_for(
    event: &SessionEvent,
    state: &SessionState,
    update: &ScreenUpdate,
    catalogue: &Catalogue,
) -> Option<NotificationView> {
    let view = update.session.as_ref()?;
    let (kind, title, body) = match state {
        SessionState::DoorOpen { since_ms } if opens_door(event, *since_ms) => (
            NotificationKind::DoorOpen,
            Message::new("notification.door_open.title"),
            vec![Message::new("notification.door_open.body")],
        ),
        SessionState::Finished => (
            NotificationKind::FinalList,
            Message::new("notification.final.title"),
            final_body(update.final_list.as_ref()?),
        ),
        SessionState::Failed(reason) => (
            NotificationKind::Failure,
            Message::new(failure_title(reason)),
            failure_body(view),
        ),
        SessionState::ConnectionLost { .. } => (
            NotificationKind::Failure,
            Message::new("notification.failure.connection_lost"),
            failure_body(view),
        ),
        // A wait to reconnect gives none, because only giving up on it ends the session. A door
        // found open again after a reconnect was notified when it first opened.
        SessionState::DoorOpen { .. }
        | SessionState::Connecting
        | SessionState::WaitingForDoor
        | SessionState::Cancelled
        | SessionState::Interrupted { .. }
        | SessionState::Reconnecting { .. } => return None,
    };

    let lines: Vec<String> = std::iter::once(device_label(view))
        .chain(body)
        .map(|message| localize(catalogue, &message))
        .collect();
    Some(NotificationView {
        session_id: view.session_id,
        kind,
        title: localize(catalogue, &title),
        body: lines.join("\n"),
    })
}

/// Returns whether `event` is the first door frame of the session. The state machine keeps the
/// first opening time, so a door frame after a reconnect, with a later time, gives no second
/// notification.
fn opens_door(event: &SessionEvent, since_ms: u64) -> bool {
    matches!(event, SessionEvent::DoorOpened { at_ms, .. } if *at_ms == since_ms)
}

/// Names the device by its name and number, or by its number alone.
fn device_label(view: &SessionView) -> Message {
    match &view.device_name {
        Some(name) => Message::new("notification.device_named")
            .arg("deviceNo", &view.device_no)
            .arg("name", name),
        None => Message::new("notification.device").arg("deviceNo", &view.device_no),
    }
}

/// Sums up a final list with the totals the final list screen shows.
fn final_body(list: &FinalView) -> Vec<Message> {
    if list.cabinets.is_empty() {
        return vec![Message::new("notification.final.body_empty")];
    }

    let totals = &list.totals;
    let mut body = vec![Message::new("notification.final.body")
        .arg("added", &totals.added)
        .arg("removed", &totals.removed)
        .arg("saleValue", &totals.sale_value)];
    if totals.incomplete {
        body.push(Message::new("notification.final.incomplete"));
    }
    body
}

fn failure_title(reason: &FailureReason) -> &'static str {
    match reason {
        FailureReason::ConnectFailed { .. } => "notification.failure.connect_failed",
        FailureReason::HandshakeRejected { .. } => "notification.failure.handshake_rejected",
        FailureReason::Refused { .. } => "notification.failure.refused",
        FailureReason::DoorFailed { .. } => "notification.failure.door_failed",
        FailureReason::DoorTimedOut { .. } => "notification.failure.door_timed_out",
    }
}

/// Gives the banner's reason for the failure: the server's own message when it sent one, else
/// the banner's detail, else its next step.
fn failure_body(view: &SessionView) -> Vec<Message> {
    if let Some(server_message) = &view.server_message {
        return vec![
            Message::new("notification.failure.server_message").arg("message", server_message)
        ];
    }
    view.detail
        .clone()
        .or_else(|| view.next_step.clone())
        .into_iter()
        .collect()
}

fn localize(catalogue: &Catalogue, message: &Message) -> String {
    let args: Vec<(&str, &str)> = message
        .args
        .iter()
        .map(|(name, value)| (*name, value.as_str()))
        .collect();
    catalogue.format(message.key, &args)
}
