//! Readable output: the banner texts of the desktop app, one line each, in the user's language.

use std::io;
use std::time::{SystemTime, UNIX_EPOCH};

use i18n::Catalogue;
use replenish_core::endpoint::SessionTarget;
use replenish_core::event::SessionEvent;
use replenish_core::presenter::{Presenter, SessionContext};
use replenish_core::view::{Message, ReconnectView, SessionView};

use crate::human_final::final_lines;
use crate::output::{AlreadyStored, EventSink, Output};
use crate::signals::StopCause;
use crate::text::{printable, render};

/// Indent of the lines that belong to the line above.
const INDENT: &str = "  ";

/// Prints the session as the app's [`Presenter`] describes it.
pub struct HumanSink {
    output: Output,
    catalogue: &'static Catalogue,
    presenter: Presenter,
}

impl HumanSink {
    pub fn new(output: Output, catalogue: &'static Catalogue, target: &SessionTarget) -> Self {
        let presenter = Presenter::new(SessionContext {
            session_id: 1,
            device_no: target.device_no().to_owned(),
            device_name: None,
            endpoint_host: target.endpoint_host(),
            endpoint: target.endpoint().to_string(),
        });
        Self {
            output,
            catalogue,
            presenter,
        }
    }

    /// Prints each line with control characters replaced, since many contain server text.
    fn print(&mut self, lines: &[String]) -> io::Result<()> {
        for line in lines {
            self.output.line(&printable(line))?;
        }
        Ok(())
    }

    fn render(&self, message: &Message) -> String {
        render(self.catalogue, message)
    }

    fn session_lines(&self, view: &SessionView) -> Vec<String> {
        let mut lines = vec![self.render(&view.title)];

        if let Some(detail) = &view.detail {
            lines.push(format!("{INDENT}{}", self.render(detail)));
        }
        if let Some(reconnect) = &view.reconnect {
            lines.push(format!("{INDENT}{}", self.reconnect_line(reconnect)));
        }
        // The server's message was printed when it arrived; a reconnect line does not repeat it.
        if let Some(server_message) = view
            .server_message
            .as_ref()
            .filter(|_| view.reconnect.is_none())
        {
            let line = self
                .catalogue
                .format("cli.watch.server_message", &[("message", server_message)]);
            lines.push(format!("{INDENT}{line}"));
        }
        if let Some(next_step) = &view.next_step {
            lines.push(format!("{INDENT}{}", self.next_step(next_step)));
        }
        lines
    }

    /// Renders the reconnect line once. A terminal line cannot tick like the window's countdown,
    /// so it names the wait as it was when the connection dropped.
    fn reconnect_line(&self, reconnect: &ReconnectView) -> String {
        let mut countdown = reconnect.countdown.clone();
        if let Some(retry_at_ms) = reconnect.retry_at_ms {
            let seconds = retry_at_ms.saturating_sub(now_ms()).div_ceil(1000);
            countdown = countdown.arg("seconds", seconds.to_string());
        }
        self.render(&countdown)
    }

    /// Renders the next step. The app's sentence after a cancel points at its start form, which a
    /// terminal lacks, so this command has its own.
    fn next_step(&self, next_step: &Message) -> String {
        if next_step.key == "next.cancelled" {
            return self.catalogue.text("cli.next.cancelled").to_owned();
        }
        // The window's sentence points at its Retry button; here the command is run again.
        if next_step.key == "next.reconnects_used_up" {
            let count = next_step.args.get("count").map_or("", String::as_str);
            return self
                .catalogue
                .format("cli.next.reconnects_used_up", &[("count", count)]);
        }
        self.render(next_step)
    }
}

impl EventSink for HumanSink {
    fn connecting(&mut self, target: &SessionTarget) -> io::Result<()> {
        let mut lines = self.session_lines(&self.presenter.session_view());
        let device = self
            .catalogue
            .format("ui.session.device", &[("deviceNo", target.device_no())]);
        lines.push(format!("{INDENT}{device}"));
        self.print(&lines)
    }

    fn event(&mut self, event: &SessionEvent) -> io::Result<()> {
        // Pictures are not shown on a terminal, so no picture URL is needed.
        let update = self.presenter.on_event(event, &mut |_| None);
        let mut lines = Vec::new();

        if let Some(view) = &update.session {
            lines.extend(self.session_lines(view));
        }
        if let Some(list) = &update.final_list {
            lines.extend(final_lines(self.catalogue, list));
        }
        for notice in &update.notices {
            let message = self.render(&notice.message);
            lines.push(
                self.catalogue
                    .format("cli.watch.notice", &[("message", &message)]),
            );
        }
        if let SessionEvent::Closed { close_code } = event {
            lines.push(
                self.catalogue
                    .format("cli.watch.closed", &[("code", &close_code.to_string())]),
            );
        }
        self.print(&lines)
    }

    fn stopping(&mut self, cause: StopCause, timeout_secs: Option<u64>) -> io::Result<()> {
        let line = match cause {
            StopCause::Timeout => {
                let seconds = timeout_secs.unwrap_or_default().to_string();
                self.catalogue
                    .format("cli.watch.timeout", &[("seconds", &seconds)])
            }
            StopCause::Interrupt => self.catalogue.text("cli.watch.interrupted").to_owned(),
            StopCause::Terminate => self.catalogue.text("cli.watch.terminated").to_owned(),
        };
        self.print(&[line])
    }

    fn already_stored(&mut self, stored: &AlreadyStored) -> io::Result<()> {
        let record = stored
            .record_id
            .map_or_else(|| "—".to_owned(), |id| id.to_string());
        let line = self.catalogue.format(
            "cli.watch.already_stored",
            &[
                ("record", &record),
                ("existing", &stored.existing.to_string()),
            ],
        );
        self.print(&[line])
    }
}

/// Returns the local time in ms since the Unix epoch, the clock of the session's reconnect times.
fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or_default()
}
