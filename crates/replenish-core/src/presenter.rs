//! Turns session events into the view models the window shows.
//!
//! The shell feeds every [`SessionEvent`] to a [`Presenter`] and forwards what comes out, so the
//! page and the command line never interpret an event themselves.

use std::collections::HashMap;

use crate::connect_message;
use crate::display_text::clean;
use crate::event::{LostCause, ProtocolErrorKind, SessionEvent};
use crate::model::{FinalList, PricingUnit, ProductLine};
use crate::money::{format_amount, format_price, format_signed};
use crate::state::{FailureReason, SessionState};
use crate::summary::{summarize, LineFigures, Totals};
use crate::view::{
    CabinetView, FinalView, LineView, Message, NoticeView, ReconnectView, SessionView, Tone,
    TotalsView,
};

/// Counts the lines whose name, category or aisle had characters removed or cut for showing.
fn lines_shown_cleaned(list: &FinalList) -> usize {
    list.lines
        .iter()
        .filter(|line| {
            clean(&line.name).1
                || clean(&line.aisle_no).1
                || line
                    .type_name
                    .as_deref()
                    .is_some_and(|category| clean(category).1)
        })
        .count()
}

/// How often one notice was raised, and the count last sent to the page.
#[derive(Debug)]
struct NoticeCount {
    message: Message,
    seen: u64,
    sent: u64,
}

/// True for 1, 2, 5, 10, 20, 50, 100 and so on.
fn is_round_count(count: u64) -> bool {
    let mut scale = 1;
    while scale <= count {
        if count == scale || count == 2 * scale || count == 5 * scale {
            return true;
        }
        match scale.checked_mul(10) {
            Some(next) => scale = next,
            None => return false,
        }
    }
    false
}

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
    /// Notices raised or recounted by this event. A notice that repeats is sent again only at
    /// counts 1, 2, 5, 10, 20, 50 and so on, and once more with its final count when the session
    /// ends, so a flood of bad frames costs the page a few dozen updates, not thousands.
    pub notices: Vec<NoticeView>,
}

/// Follows one session's events and keeps its current view.
pub struct Presenter {
    context: SessionContext,
    state: SessionState,
    server_message: Option<String>,
    record_id: Option<String>,
    revision: u64,
    notice_counts: HashMap<(&'static str, String), NoticeCount>,
    /// Reconnect attempts started in this session.
    reconnects: u32,
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
            reconnects: 0,
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
                self.server_message = Some(clean(message).0.into_owned());
            }
            SessionEvent::FinalList(list) => {
                self.record_id = list.record_id.map(|id| id.to_string());
                update.final_list = Some(final_view(self.context.session_id, list, image_url));
                let cleaned = lines_shown_cleaned(list);
                if cleaned > 0 {
                    update.notices.extend(self.notice(
                        "notice.names_cleaned",
                        "count",
                        &cleaned.to_string(),
                    ));
                }
            }
            SessionEvent::ProtocolError { kind, .. } => {
                let key = match kind {
                    ProtocolErrorKind::NotJson => "notice.protocol.not_json",
                    ProtocolErrorKind::NotAnObject => "notice.protocol.not_object",
                    ProtocolErrorKind::MissingType => "notice.protocol.missing_type",
                    ProtocolErrorKind::MissingField => "notice.protocol.missing_field",
                    ProtocolErrorKind::InvalidField => "notice.protocol.invalid_field",
                    ProtocolErrorKind::Binary => "notice.protocol.binary",
                    ProtocolErrorKind::NotUtf8 => "notice.protocol.not_utf8",
                };
                update.notices.extend(self.notice(key, "kind", ""));
            }
            SessionEvent::UnknownType { type_name } => {
                update
                    .notices
                    .extend(self.notice("notice.unknown_type", "type", type_name));
            }
            SessionEvent::Reconnecting { attempt, .. } => {
                self.reconnects = *attempt;
            }
            _ => {}
        }

        let next = self.state.apply(event);
        if next != self.state || update.final_list.is_some() {
            self.state = next;
            self.revision += 1;
            update.session = Some(self.session_view());
            if self.state.is_ended() {
                update.notices.extend(self.unsent_counts());
            }
        }
        update
    }

    /// Counts repeats of the same notice so the page can show one entry with a count. Returns
    /// the notice when its count is worth sending now.
    fn notice(&mut self, key: &'static str, slot: &'static str, value: &str) -> Option<NoticeView> {
        let entry = self
            .notice_counts
            .entry((key, value.to_owned()))
            .or_insert_with(|| NoticeCount {
                message: Message::new(key).arg(slot, value),
                seen: 0,
                sent: 0,
            });
        entry.seen += 1;
        if !is_round_count(entry.seen) {
            return None;
        }

        entry.sent = entry.seen;
        Some(NoticeView {
            session_id: self.context.session_id,
            message: entry.message.clone(),
            count: entry.seen,
        })
    }

    /// Returns the notices whose latest count has not been sent, with that count.
    fn unsent_counts(&mut self) -> Vec<NoticeView> {
        let session_id = self.context.session_id;
        let mut unsent: Vec<NoticeView> = self
            .notice_counts
            .iter_mut()
            .filter(|(_, count)| count.sent != count.seen)
            .map(|(_, count)| {
                count.sent = count.seen;
                NoticeView {
                    session_id,
                    message: count.message.clone(),
                    count: count.seen,
                }
            })
            .collect();
        unsent.sort_by(|a, b| a.message.key.cmp(b.message.key));
        unsent
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
            reconnect: None,
            can_retry: matches!(
                self.state,
                SessionState::Failed(_) | SessionState::ConnectionLost { .. }
            ),
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
            SessionState::Interrupted {
                cause,
                close_code,
                reason,
                next_attempt,
                max_attempts,
                retry_at_ms,
                ..
            } => {
                view.title = Message::new("session.interrupted");
                view.tone = Tone::Warning;
                view.detail = Some(lost_detail(*cause, *close_code, reason));
                view.reconnect = Some(ReconnectView {
                    attempt: *next_attempt,
                    max_attempts: *max_attempts,
                    retry_at_ms: Some(*retry_at_ms),
                    countdown: Message::new("session.reconnect.countdown")
                        .arg("attempt", next_attempt.to_string())
                        .arg("max", max_attempts.to_string()),
                });
                view.server_message = self.server_message.clone();
                view.door_opened_at_ms = self.state.door_opened_at_ms();
            }
            SessionState::Reconnecting {
                attempt,
                max_attempts,
                ..
            } => {
                view.title = Message::new("session.interrupted");
                view.tone = Tone::Warning;
                view.detail = Some(
                    Message::new("session.detail.reconnecting")
                        .arg("endpoint", &self.context.endpoint_host),
                );
                view.reconnect = Some(ReconnectView {
                    attempt: *attempt,
                    max_attempts: *max_attempts,
                    retry_at_ms: None,
                    countdown: Message::new("session.reconnect.connecting")
                        .arg("attempt", attempt.to_string())
                        .arg("max", max_attempts.to_string()),
                });
                view.server_message = self.server_message.clone();
                view.door_opened_at_ms = self.state.door_opened_at_ms();
            }
            SessionState::ConnectionLost {
                cause,
                close_code,
                reason,
            } => {
                view.title = Message::new("session.connection_lost");
                view.tone = Tone::Error;
                view.detail = Some(lost_detail(*cause, *close_code, reason));
                view.next_step = Some(match (cause, self.reconnects) {
                    // An oversized message is the server's doing, not the network's.
                    (LostCause::TooLarge | LostCause::InvalidText, _) => {
                        Message::new("next.server_data")
                    }
                    (_, 0) => Message::new("next.connection_lost"),
                    (_, tried) => {
                        Message::new("next.reconnects_used_up").arg("count", tried.to_string())
                    }
                });
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
                let (detail, next_step) =
                    connect_message::connect_failed(*kind, reason, &self.context.endpoint_host);
                view.detail = Some(detail);
                view.next_step = Some(next_step);
            }
            FailureReason::HandshakeRejected {
                status,
                body_excerpt,
            } => {
                let (detail, next_step) = connect_message::handshake_rejected(
                    *status,
                    body_excerpt,
                    &self.context.endpoint_host,
                );
                view.detail = Some(detail);
                view.next_step = Some(next_step);
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
        (LostCause::InvalidText, _) => Message::new("session.detail.lost.invalid_text"),
        (LostCause::Unreachable, _) => {
            Message::new("session.detail.lost.unreachable").arg("error", reason)
        }
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
        name: clean(&line.name).0.into_owned(),
        category: line
            .type_name
            .as_deref()
            .map(|category| clean(category).0.into_owned()),
        aisle_no: clean(&line.aisle_no).0.into_owned(),
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
