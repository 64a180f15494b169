//! Filling catalogue messages, and making server text safe to print on a terminal.

use i18n::Catalogue;
use replenish_core::view::Message;

/// Returns the text of `message` in the catalogue's language with its slots filled.
pub fn render(catalogue: &Catalogue, message: &Message) -> String {
    let args: Vec<(&str, &str)> = message
        .args
        .iter()
        .map(|(slot, value)| (*slot, value.as_str()))
        .collect();
    catalogue.format(message.key, &args)
}

/// Replaces control characters in text from the server or the network with U+FFFD, so a product
/// name cannot move the cursor, clear the screen or split one output line into two.
pub fn printable(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use i18n::Language;

    use super::*;

    #[test]
    fn render_fills_slots() {
        let message = Message::new("cabinet.title").arg("no", "3");
        assert_eq!(render(Catalogue::get(Language::En), &message), "Cabinet 3");
    }

    #[test]
    fn printable_replaces_controls() {
        assert_eq!(
            printable("a\u{1b}[2Jb\nc\td"),
            "a\u{FFFD}[2Jb\u{FFFD}c\u{FFFD}d"
        );
        assert_eq!(printable("阿莎姆奶茶 <b>"), "阿莎姆奶茶 <b>");
    }
}
