//! Turns session events into the view models the window shows.
//!
//! The shell feeds every [`SessionEvent`] to a [`Presenter`] and forwards what comes out, so the
//! page and the command line never interpret an event themselves.

use std::collections::HashMap;

use crate::event::{ConnectErrorKind, LostCause, ProtocolErrorKind, SessionEvent};
use crate::model::{FinalList, PricingUnit, ProductLine};
use crate::money::{format_amount, format_price, format_signed};
use crate::state::{FailureReason, SessionState};
use crate::summary::{summarize, LineFigures, Totals};
use crate::view::{
    CabinetView, FinalView, LineView, Message, NoticeView, SessionView, Tone, TotalsView,
};

/// Shown in place of a figure that was missing or invalid.
const MISSING: &str = "—";

/// The identity of a session on screen. Contains no token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionContext {
    pub session_id: u64,
    pub device_no: String,
    pub device_name: Option<String>,
    pub endpoint_host: String,
    /// The endpoint URL, which contains no device number and no token.
    pub endpoint: String,
}

/// The changes one event makes to the screen.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ScreenUpdate {
    pub session: Option<SessionView>,
    pub final_list: Option<FinalView>,
    pub notice: Option<NoticeView>,
}

/// Follows one session's events and keeps its current view.
pub struct Presenter {
    context: SessionContext,
    state: SessionState,
    server_message: Option<String>,
    record_id: Option<String>,
    revision: u64,
    notice_counts: HashMap<(&'static str, String), u64>,
}

impl Presenter {
    /// Starts in the connecting state.
    pub fn new(context: SessionContext) -> Self {
        Self {
            context,
            state: SessionState::Connecting,
            server_message: None,
            record_id: None,
            revision: 0,
            notice_counts: HashMap::new(),
        }
    }

    pub fn state(&self) -> &SessionState {
        &self.state
    }

    /// Applies one event and returns what changed. `image_url` maps a product's picture URL to the
    /// URL the page loads it from.
    pub fn on_event(
        &mut self,
        event: &SessionEvent,
        image_url: &mut dyn FnMut(&str) -> Option<String>,
    ) -> ScreenUpdate {
        let mut update = ScreenUpdate::default();
        match event {
            SessionEvent::DoorOpened {
                message: Some(message),
                ..
            }
            | SessionEvent::DoorFailed {
                message: Some(message),
                ..
            }
            | SessionEvent::Failure {
                message: Some(message),
                ..
            } => {
                self.server_message = Some(message.clone());
            }
            SessionEvent::FinalList(list) => {
                self.record_id = list.record_id.map(|id| id.to_string());
                update.final_list = Some(final_view(self.context.session_id, list, image_url));
            }
            SessionEvent::ProtocolError { kind, .. } => {
                let key = match kind {
                    ProtocolErrorKind::NotJson => "notice.protocol.not_json",
                    ProtocolErrorKind::NotAnObject => "notice.protocol.not_object",
                    ProtocolErrorKind::MissingType => "notice.protocol.missing_type",
                    ProtocolErrorKind::MissingField => "notice.protocol.missing_field",
                    ProtocolErrorKind::InvalidField => "notice.protocol.invalid_field",
                    ProtocolErrorKind::Binary => "notice.protocol.binary",
                };
                update.notice = Some(self.notice(key, "kind", ""));
            }
            SessionEvent::UnknownType { type_name } => {
                update.notice = Some(self.notice("notice.unknown_type", "type", type_name));
            }
            _ => {}
        }

        let next = self.state.apply(event);
        if next != self.state || update.final_list.is_some() {
            self.state = next;
            self.revision += 1;
            update.session = Some(self.session_view());
        }
        update
    }

    /// Counts repeats of the same notice so the page can show one entry with a count.
    fn notice(&mut self, key: &'static str, slot: &'static str, value: &str) -> NoticeView {
        let count = self
            .notice_counts
            .entry((key, value.to_owned()))
            .or_insert(0);
        *count += 1;
        NoticeView {
            session_id: self.context.session_id,
            message: Message::new(key).arg(slot, value),
            count: *count,
        }
    }

    /// Builds the banner for the current state.
    pub fn session_view(&self) -> SessionView {
        let mut view = SessionView {
            session_id: self.context.session_id,
            revision: self.revision,
            phase: self.state.phase(),
            tone: Tone::Progress,
            title: Message::new("session.connecting"),
            detail: None,
            server_message: None,
            next_step: None,
            door_opened_at_ms: None,
            device_no: self.context.device_no.clone(),
            device_name: self.context.device_name.clone(),
            endpoint_host: self.context.endpoint_host.clone(),
            endpoint: self.context.endpoint.clone(),
            can_cancel: !self.state.is_ended(),
            ended: self.state.is_ended(),
        };

        match &self.state {
            SessionState::Connecting => {
                view.detail = Some(
                    Message::new("session.detail.connecting")
                        .arg("endpoint", &self.context.endpoint_host),
                );
            }
            SessionState::WaitingForDoor => {
                view.title = Message::new("session.waiting_for_door");
            }
            SessionState::DoorOpen { since_ms } => {
                view.title = Message::new("session.door_open");
                view.tone = Tone::Success;
                view.detail = Some(Message::new("session.detail.door_open"));
                view.server_message = self.server_message.clone();
                view.door_opened_at_ms = Some(*since_ms);
            }
            SessionState::Finished => {
                view.title = Message::new("session.finished");
                view.tone = Tone::Success;
                view.detail = Some(match &self.record_id {
                    Some(record_id) => {
                        Message::new("session.detail.finished_record").arg("recordId", record_id)
                    }
                    None => Message::new("session.detail.finished_empty"),
                });
            }
            SessionState::Failed(reason) => {
                view.tone = Tone::Error;
                self.describe_failure(reason, &mut view);
            }
            SessionState::Cancelled => {
                view.title = Message::new("session.cancelled");
                view.tone = Tone::Warning;
                view.next_step = Some(Message::new("next.cancelled"));
            }
            SessionState::ConnectionLost {
                cause,
                close_code,
                reason,
            } => {
                view.title = Message::new("session.connection_lost");
                view.tone = Tone::Error;
                view.detail = Some(lost_detail(*cause, *close_code, reason));
                view.next_step = Some(Message::new("next.connection_lost"));
            }
        }
        view
    }

    fn describe_failure(&self, reason: &FailureReason, view: &mut SessionView) {
        view.title = Message::new("session.failed");
        match reason {
            FailureReason::DoorFailed { message, .. } => {
                view.title = Message::new("session.door_failed");
                view.server_message = message.clone();
                view.next_step = Some(Message::new("next.door_failed"));
            }
            FailureReason::Refused { message, .. } => {
                view.server_message = message.clone();
                view.next_step = Some(Message::new("next.failure"));
            }
            FailureReason::ConnectFailed { kind, reason } => {
                view.detail = Some(connect_failed_detail(
                    *kind,
                    reason,
                    &self.context.endpoint_host,
                ));
                view.next_step = Some(Message::new("next.connect_failed"));
            }
            FailureReason::HandshakeRejected {
                status,
                body_excerpt,
            } => {
                view.detail = Some(
                    Message::new("session.detail.handshake_rejected")
                        .arg("status", status.to_string())
                        .arg("body", body_excerpt),
                );
                view.next_step = Some(Message::new("next.handshake_rejected"));
            }
            FailureReason::DoorTimedOut { waited_secs } => {
                view.detail = Some(
                    Message::new("session.detail.timed_out")
                        .arg("seconds", waited_secs.to_string()),
                );
                view.next_step = Some(Message::new("next.door_failed"));
            }
        }
    }
}

/// Describes a failed connect in the user's words. Only an unrecognized failure shows the
/// library's English message.
fn connect_failed_detail(kind: ConnectErrorKind, reason: &str, endpoint_host: &str) -> Message {
    let key = match kind {
        ConnectErrorKind::Refused => "session.detail.connect.refused",
        ConnectErrorKind::TimedOut => "session.detail.connect.timed_out",
        ConnectErrorKind::Dns => "session.detail.connect.dns",
        ConnectErrorKind::Tls => "session.detail.connect.tls",
        ConnectErrorKind::Reset => "session.detail.connect.reset",
        ConnectErrorKind::NotWebSocket => "session.detail.connect.not_websocket",
        ConnectErrorKind::Other => {
            return Message::new("session.detail.connect_failed").arg("error", reason)
        }
    };
    Message::new(key).arg("endpoint", endpoint_host)
}

/// Describes how a connection was lost. The server's own close reason is shown as sent.
fn lost_detail(cause: LostCause, close_code: Option<u16>, reason: &str) -> Message {
    match (cause, close_code) {
        (LostCause::ServerClosed, Some(code)) => Message::new("session.detail.close_code")
            .arg("code", code.to_string())
            .arg("reason", reason),
        (LostCause::ServerClosed, None) | (LostCause::Reset, _) => {
            Message::new("session.detail.lost.reset")
        }
        (LostCause::DeadPeer, _) => Message::new("session.detail.lost.dead_peer"),
        (LostCause::TooLarge, _) => Message::new("session.detail.lost.too_large"),
        (LostCause::Other, _) => Message::new("session.detail.lost.other").arg("error", reason),
    }
}

/// Builds the grouped, totalled final list.
pub fn final_view(
    session_id: u64,
    list: &FinalList,
    image_url: &mut dyn FnMut(&str) -> Option<String>,
) -> FinalView {
    let summary = summarize(list);
    let mut next_key = 0_usize;
    let cabinets = summary
        .cabinets
        .iter()
        .map(|group| {
            let cabinet_no = group
                .cabinet_no
                .map(|no| no.to_string())
                .unwrap_or_else(|| MISSING.to_owned());
            let lines = group
                .lines
                .iter()
                .map(|(line, figures)| {
                    next_key += 1;
                    line_view(format!("line-{next_key}"), line, figures, image_url)
                })
                .collect();
            CabinetView {
                title: Message::new("cabinet.title").arg("no", &cabinet_no),
                cabinet_no,
                lines,
                totals: totals_view(&group.totals),
            }
        })
        .collect();

    FinalView {
        session_id,
        record_id: list.record_id.map(|id| id.to_string()),
        cabinets,
        totals: totals_view(&summary.totals),
    }
}

fn line_view(
    key: String,
    line: &ProductLine,
    figures: &LineFigures,
    image_url: &mut dyn FnMut(&str) -> Option<String>,
) -> LineView {
    let count = |value: Option<i64>| {
        value
            .map(|value| value.to_string())
            .unwrap_or_else(|| MISSING.to_owned())
    };
    let price = |value: Option<rust_decimal::Decimal>| {
        value
            .map(format_price)
            .unwrap_or_else(|| MISSING.to_owned())
    };
    let amount = |value: Option<rust_decimal::Decimal>| {
        value
            .map(format_amount)
            .unwrap_or_else(|| MISSING.to_owned())
    };

    LineView {
        key,
        product_id: count(line.product_id),
        name: line.name.clone(),
        category: line.type_name.clone(),
        aisle_no: line.aisle_no.clone(),
        image_url: line.thumb_image.as_deref().and_then(&mut *image_url),
        added: count(line.settled_added()),
        added_first_count: line.first_added_if_revised().map(|value| value.to_string()),
        removed: count(line.settled_removed()),
        removed_first_count: line
            .first_removed_if_revised()
            .map(|value| value.to_string()),
        net: figures
            .net
            .map(format_signed)
            .unwrap_or_else(|| MISSING.to_owned()),
        stock: count(line.storage),
        unit: Message::new(match line.unit {
            PricingUnit::Piece => "unit.piece",
            PricingUnit::Jin => "unit.jin",
        }),
        sale_price: price(line.sale_price),
        cost_price: price(line.cost_price),
        sale_value: amount(figures.sale_value),
        cost_value: amount(figures.cost_value),
        incomplete: figures.incomplete,
    }
}

/// Formats totals for a totals block: the net change with its sign, and money in yuan to the fen.
pub fn totals_view(totals: &Totals) -> TotalsView {
    TotalsView {
        line_count: totals.line_count,
        added: totals.added.to_string(),
        removed: totals.removed.to_string(),
        net: format_signed(totals.net),
        cost_value: format_amount(totals.cost_value),
        sale_value: format_amount(totals.sale_value),
        incomplete: totals.incomplete,
    }
}
