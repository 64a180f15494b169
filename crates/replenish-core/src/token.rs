//! The replenishment token: a secret that only the session URL may contain.

use std::fmt;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// A replenishment token returned by the vendor's open-door API.
///
/// `Debug` and `Display` print the masked form, so a token that slips into a log line or an error
/// through formatting still does not leak. Only [`Token::expose`] returns the secret.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// Wraps a token. Validation of its characters happens in [`crate::endpoint::SessionTarget`].
    pub fn new(secret: impl Into<String>) -> Self {
        Self(secret.into())
    }

    /// Returns the secret, for building the session URL only.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Returns the masked form, `abcd…wxyz`, or `…` alone for tokens too short to show any part.
    pub fn masked(&self) -> String {
        mask(&self.0)
    }

    /// Replaces every occurrence of this token in `text`, raw or percent-encoded, by its masked
    /// form. Servers and libraries may echo the URL in any of those forms.
    pub fn scrub(&self, text: &str) -> String {
        if self.0.is_empty() {
            return text.to_owned();
        }

        let masked = self.masked();
        let mut scrubbed = text.to_owned();
        for form in self.echoed_forms() {
            scrubbed = scrubbed.replace(&form, &masked);
        }
        scrubbed
    }

    /// Returns every form in which a server may echo the token, longest first, so a longer form
    /// is replaced before a shorter one inside it. The forms are the raw token, its HTML-escaped
    /// form (as error pages show it) and three percent-encoded forms: as the app sends it, with
    /// every non-alphanumeric byte encoded, and form-urlencoded. Each encoded form also appears
    /// with lower-case hex digits.
    fn echoed_forms(&self) -> Vec<String> {
        let encoded = [
            utf8_percent_encode(&self.0, QUERY_VALUE).to_string(),
            utf8_percent_encode(&self.0, NON_ALPHANUMERIC).to_string(),
            url::form_urlencoded::byte_serialize(self.0.as_bytes()).collect::<String>(),
        ];

        let mut forms = vec![self.0.clone(), html_escape(&self.0)];
        for form in encoded {
            forms.push(lowercase_hex(&form));
            forms.push(form);
        }
        forms.sort_by_key(|form| std::cmp::Reverse(form.len()));

        let mut unique: Vec<String> = Vec::with_capacity(forms.len());
        for form in forms {
            if !unique.contains(&form) {
                unique.push(form);
            }
        }
        unique
    }
}

/// Characters left literal in a query value: RFC 3986's unreserved set. Everything else is
/// percent-encoded, including `+`, which some servers decode as a space.
pub(crate) const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Escapes `&`, `<`, `>`, `"` and `'` as HTML does, the way an error page echoes a value.
fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// Lower-cases the two hex digits after each `%`, leaving every other character as it is.
fn lowercase_hex(encoded: &str) -> String {
    let mut result = String::with_capacity(encoded.len());
    let mut hex_digits_left = 0;
    for c in encoded.chars() {
        if c == '%' {
            hex_digits_left = 2;
            result.push(c);
        } else if hex_digits_left > 0 {
            hex_digits_left -= 1;
            result.push(c.to_ascii_lowercase());
        } else {
            result.push(c);
        }
    }
    result
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Token({})", self.masked())
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

/// Masks a secret as its first four and last four characters around an ellipsis. Secrets of
/// twelve characters or fewer show nothing, since eight shown characters would reveal most of it.
pub fn mask(secret: &str) -> String {
    let chars: Vec<char> = secret.chars().collect();
    if chars.len() <= 12 {
        return "…".to_owned();
    }

    let head: String = chars[..4].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}…{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mask_long_token_keeps_ends() {
        assert_eq!(mask("abcdefghijklmnopqrstuvwxyz"), "abcd…wxyz");
    }

    #[test]
    fn mask_short_token_hides_all() {
        assert_eq!(mask("abc"), "…");
        assert_eq!(mask("abcdefghijkl"), "…");
    }

    #[test]
    fn scrub_replaces_html_escaped_form() {
        let token = Token::new("Zq+&=%~secret<TOKEN>9876");
        let scrubbed = token.scrub("<p>bad token Zq+&amp;=%~secret&lt;TOKEN&gt;9876</p>");
        assert_eq!(scrubbed, "<p>bad token Zq+&…9876</p>");
    }

    #[test]
    fn debug_and_display_are_masked() {
        let token = Token::new("secret-token-value-123");
        assert_eq!(format!("{token}"), "secr…-123");
        assert_eq!(format!("{token:?}"), "Token(secr…-123)");
    }

    #[test]
    fn scrub_replaces_raw_and_encoded_forms() {
        let token = Token::new("a b/c+d=e&f-token-long");
        let text = "raw a b/c+d=e&f-token-long, pct a%20b%2Fc%2Bd%3De%26f%2Dtoken%2Dlong, \
                    form a+b%2Fc%2Bd%3De%26f-token-long, lower a%20b%2fc%2bd%3de%26f%2dtoken%2dlong";
        let scrubbed = token.scrub(text);
        assert!(!scrubbed.contains("token-long"), "{scrubbed}");
        assert!(!scrubbed.contains("token%2Dlong"), "{scrubbed}");
        assert!(!scrubbed.contains("token%2dlong"), "{scrubbed}");
        assert_eq!(scrubbed.matches(&token.masked()).count(), 4);
    }
}
