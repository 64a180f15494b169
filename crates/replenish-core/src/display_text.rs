//! Makes server text safe to show: no control characters, no direction overrides, no invisible
//! characters, and no name so long that it buries the card.
//!
//! A right-to-left override in a product name reverses what follows it on screen, so "可口可乐"
//! could pass for another product's name. An escape sequence would recolour a terminal. The
//! records keep the text exactly as received, and only the text on screen is cleaned.

use std::borrow::Cow;

/// Maximum length of text on screen, in characters. Product names are rarely over 40; the rest of a longer
/// name is cut and marked with an ellipsis.
pub const MAX_SHOWN_CHARS: usize = 200;

/// The treatment of one character on screen.
enum Shown {
    Kept,
    Space,
    Dropped,
}

fn classify(character: char) -> Shown {
    match character {
        '\t' | '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}' => Shown::Space,
        // Direction marks, embeddings, overrides and isolates.
        '\u{61C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => {
            Shown::Dropped
        }
        // Zero-width space, word joiner, byte order mark and soft hyphen. The zero-width joiner
        // and non-joiner stay: emoji and some scripts need them.
        '\u{200B}' | '\u{2060}' | '\u{FEFF}' | '\u{AD}' => Shown::Dropped,
        character if character.is_control() => Shown::Dropped,
        _ => Shown::Kept,
    }
}

/// Returns `text` as it should be shown, and whether anything was removed or cut.
pub fn clean(text: &str) -> (Cow<'_, str>, bool) {
    let needs_work = text.chars().count() > MAX_SHOWN_CHARS
        || text
            .chars()
            .any(|character| !matches!(classify(character), Shown::Kept))
        || text.starts_with(' ')
        || text.ends_with(' ');
    if !needs_work {
        return (Cow::Borrowed(text), false);
    }

    let mut shown = String::with_capacity(text.len().min(MAX_SHOWN_CHARS * 4));
    let mut changed = false;
    let mut pending_space = false;
    let mut count = 0;
    for character in text.chars() {
        let character = match classify(character) {
            Shown::Kept if character == ' ' => {
                pending_space = true;
                continue;
            }
            Shown::Kept => character,
            Shown::Space => {
                changed = true;
                pending_space = true;
                continue;
            }
            Shown::Dropped => {
                changed = true;
                continue;
            }
        };

        // Runs of spaces become one, and none leads or trails.
        if pending_space && count > 0 {
            shown.push(' ');
            count += 1;
        }
        pending_space = false;
        if count >= MAX_SHOWN_CHARS {
            shown.push('…');
            return (Cow::Owned(shown), true);
        }
        shown.push(character);
        count += 1;
    }
    // Collapsed or trimmed spaces change the text without a dropped character.
    let changed = changed || shown != text;
    (Cow::Owned(shown), changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(text: &str) -> String {
        clean(text).0.into_owned()
    }

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        let (text, changed) = clean("阿莎姆奶茶 500ml");
        assert!(matches!(text, Cow::Borrowed("阿莎姆奶茶 500ml")));
        assert!(!changed);
    }

    #[test]
    fn control_characters_dropped() {
        assert_eq!(
            shown("阿莎姆\u{0}奶茶\u{7}\u{1b}[31m\r\n\t"),
            "阿莎姆奶茶[31m"
        );
        assert_eq!(shown("饮\u{7f}料\u{85}\u{2028}"), "饮料");
        assert_eq!(shown("可口\n可乐"), "可口 可乐");
    }

    #[test]
    fn direction_overrides_and_invisible_characters_are_dropped() {
        let (text, changed) = clean("\u{202E}乐可口可\u{202C}");
        assert_eq!(text, "乐可口可");
        assert!(changed);
        assert_eq!(
            shown("脉\u{200B}动\u{200D}\u{200C}\u{FEFF}"),
            "脉动\u{200D}\u{200C}"
        );
    }

    #[test]
    fn long_text_is_cut_with_an_ellipsis() {
        let long = "奶".repeat(10_000);
        let (text, changed) = clean(&long);
        assert!(changed);
        assert_eq!(text.chars().count(), MAX_SHOWN_CHARS + 1);
        assert!(text.ends_with('…'));

        let exact = "奶".repeat(MAX_SHOWN_CHARS);
        assert_eq!(clean(&exact), (Cow::Borrowed(exact.as_str()), false));
    }

    #[test]
    fn spaces_are_collapsed_and_trimmed() {
        let (text, changed) = clean("  可口   可乐 ");
        assert_eq!(text, "可口 可乐");
        assert!(changed);
    }
}
