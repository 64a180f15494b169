//! Standard output, with the token masked in every line, and the interface of the two formats.

use std::io::{self, Write};

use record_store::SessionId;
use replenish_core::endpoint::SessionTarget;
use replenish_core::event::SessionEvent;
use replenish_core::token::Token;

use crate::signals::StopCause;

/// Writes one line on stderr. A closed stderr, such as a pipe whose reader has exited, is
/// ignored: the exit status still tells the caller, where `eprintln!` would panic.
pub fn stderr_line(line: &str) {
    let _ = writeln!(io::stderr().lock(), "{line}");
}

/// Prints a session as it happens: readable text or JSON lines.
pub trait EventSink {
    /// Reports that the session is about to connect.
    fn connecting(&mut self, target: &SessionTarget) -> io::Result<()>;

    /// Reports one event of the session.
    fn event(&mut self, event: &SessionEvent) -> io::Result<()>;

    /// Reports that the command is cancelling the session. `timeout_secs` is the `--timeout`.
    fn stopping(&mut self, cause: StopCause, timeout_secs: Option<u64>) -> io::Result<()>;

    /// Reports that the final list just printed was already stored: the same server sent its
    /// record id before, and session `existing` of the record store contains it.
    fn already_stored(&mut self, stored: &AlreadyStored) -> io::Result<()>;
}

/// A final list that the record store already contained, so it was not stored again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AlreadyStored {
    pub record_id: Option<i64>,
    /// This session's id in the record store.
    pub session: SessionId,
    /// The session that stored the list first.
    pub existing: SessionId,
}

/// Masks the token in text that is about to be printed.
///
/// The core already scrubs every text it takes from the network, and the session URL is only
/// shown masked. This is the last check before output, for text the core passes on unchanged
/// (a product name, a server message) and for forms only the output creates: the token as a JSON
/// string escapes it.
pub struct Redactor {
    token: Token,
    json_escaped: Option<String>,
}

impl Redactor {
    pub fn new(token: &Token) -> Self {
        let quoted = serde_json::to_string(token.expose()).unwrap_or_default();
        let escaped = quoted
            .strip_prefix('"')
            .and_then(|rest| rest.strip_suffix('"'))
            .unwrap_or_default();
        let json_escaped =
            (!escaped.is_empty() && escaped != token.expose()).then(|| escaped.to_owned());

        Self {
            token: token.clone(),
            json_escaped,
        }
    }

    /// Replaces the token, raw, percent-encoded or JSON-escaped, by its masked form.
    pub fn redact(&self, text: &str) -> String {
        let scrubbed = self.token.scrub(text);
        match &self.json_escaped {
            Some(escaped) => scrubbed.replace(escaped.as_str(), &self.token.masked()),
            None => scrubbed,
        }
    }
}

/// Standard output, one redacted line at a time.
pub struct Output {
    writer: Box<dyn Write>,
    redactor: Redactor,
}

impl Output {
    pub fn stdout(token: &Token) -> Self {
        Self {
            writer: Box::new(io::stdout()),
            redactor: Redactor::new(token),
        }
    }

    /// Writes `text` and a newline, then flushes, so a script that reads the pipe gets each event
    /// when it happens.
    pub fn line(&mut self, text: &str) -> io::Result<()> {
        let redacted = self.redactor.redact(text);
        writeln!(self.writer, "{redacted}")?;
        self.writer.flush()
    }

    /// Writes a diagnostic line on stderr, redacted like stdout. Errors are ignored, because
    /// nothing is left to report them on.
    pub fn diagnostic(&self, text: &str) {
        let _ = writeln!(io::stderr(), "{}", self.redactor.redact(text));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redact_masks_every_form() {
        let token = Token::new(r#"tok+en/=&~"quote\slash-0123"#);
        let redactor = Redactor::new(&token);
        let forms = [
            token.expose().to_owned(),
            serde_json::to_string(token.expose()).unwrap(),
            "tok%2Ben%2F%3D%26~%22quote%5Cslash-0123".to_owned(),
            "tok%2ben%2f%3d%26~%22quote%5cslash-0123".to_owned(),
        ];

        for form in forms {
            let redacted = redactor.redact(&format!("before {form} after"));
            assert!(!redacted.contains("quote"), "{form} became {redacted}");
            assert!(
                redacted.contains(&token.masked()),
                "{form} became {redacted}"
            );
        }
    }
}
