//! The languages of the user interface and how a locale tag maps to one of them.

use serde::{Deserialize, Serialize};

/// A language of the user interface.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Language {
    /// Simplified Chinese, the language of the first users and the default.
    #[default]
    #[serde(rename = "zh-CN")]
    ZhCn,
    #[serde(rename = "en")]
    En,
}

impl Language {
    /// Every language that has a catalogue.
    pub const ALL: [Language; 2] = [Language::ZhCn, Language::En];

    /// Returns the BCP 47 tag, as used in the catalogue file name and the page's `lang` attribute.
    pub fn tag(self) -> &'static str {
        match self {
            Language::ZhCn => "zh-CN",
            Language::En => "en",
        }
    }

    /// Parses a BCP 47 tag ("zh-CN", "en") or a POSIX locale name ("zh_CN.UTF-8", "en_US@euro").
    ///
    /// Only the primary language subtag counts, case-insensitively, so every Chinese locale maps
    /// to Simplified Chinese because it is the only Chinese catalogue. Returns `None` for other
    /// languages and for "C" and "POSIX".
    pub fn parse(tag: &str) -> Option<Language> {
        let without_encoding = tag.split(['.', '@']).next().unwrap_or_default();
        let primary = without_encoding
            .split(['-', '_'])
            .next()
            .unwrap_or_default()
            .trim();

        if primary.eq_ignore_ascii_case("zh") {
            Some(Language::ZhCn)
        } else if primary.eq_ignore_ascii_case("en") {
            Some(Language::En)
        } else {
            None
        }
    }

    /// Picks the language from the process environment, falling back to Simplified Chinese.
    ///
    /// The first non-empty variable of `LC_ALL`, `LC_MESSAGES` and `LANG` decides, in the order
    /// POSIX gives them precedence. A locale without a catalogue, such as "C", gives the default.
    pub fn from_env() -> Language {
        Self::from_locale_variables(|name| std::env::var(name).ok())
    }

    /// Applies the rule of [`Language::from_env`] to variables read through `lookup`.
    pub fn from_locale_variables(lookup: impl Fn(&str) -> Option<String>) -> Language {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .into_iter()
            .filter_map(&lookup)
            .find(|value| !value.trim().is_empty())
            .and_then(|value| Language::parse(&value))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_accepts_tags_and_locales() {
        let cases = [
            ("zh-CN", Some(Language::ZhCn)),
            ("zh", Some(Language::ZhCn)),
            ("zh_CN.UTF-8", Some(Language::ZhCn)),
            ("zh_CN", Some(Language::ZhCn)),
            ("ZH-cn", Some(Language::ZhCn)),
            ("zh-Hans-CN", Some(Language::ZhCn)),
            ("zh_TW.Big5", Some(Language::ZhCn)),
            ("en", Some(Language::En)),
            ("en_US.UTF-8", Some(Language::En)),
            ("en-GB", Some(Language::En)),
            ("en_IE@euro", Some(Language::En)),
            ("EN", Some(Language::En)),
            ("C", None),
            ("C.UTF-8", None),
            ("POSIX", None),
            ("de_DE.UTF-8", None),
            ("", None),
            ("english", None),
        ];

        for (tag, expected) in cases {
            assert_eq!(Language::parse(tag), expected, "tag {tag:?}");
        }
    }

    #[test]
    fn tag_round_trips_through_parse() {
        for language in Language::ALL {
            assert_eq!(Language::parse(language.tag()), Some(language));
        }
    }

    #[test]
    fn serde_uses_tags() {
        for language in Language::ALL {
            let json = serde_json::to_string(&language).unwrap();
            assert_eq!(json, format!("\"{}\"", language.tag()));

            let back: Language = serde_json::from_str(&json).unwrap();
            assert_eq!(back, language);
        }
    }

    fn lookup_in<'a>(variables: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            variables
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| value.to_string())
        }
    }

    #[test]
    fn locale_variables_default_to_chinese() {
        assert_eq!(
            Language::from_locale_variables(lookup_in(&[])),
            Language::ZhCn
        );
    }

    #[test]
    fn locale_variables_follow_posix_precedence() {
        let lang_only = [("LANG", "en_US.UTF-8")];
        assert_eq!(
            Language::from_locale_variables(lookup_in(&lang_only)),
            Language::En
        );

        let messages_over_lang = [("LANG", "zh_CN.UTF-8"), ("LC_MESSAGES", "en_US.UTF-8")];
        assert_eq!(
            Language::from_locale_variables(lookup_in(&messages_over_lang)),
            Language::En
        );

        let all_over_messages = [("LC_MESSAGES", "en_US.UTF-8"), ("LC_ALL", "zh_CN.UTF-8")];
        assert_eq!(
            Language::from_locale_variables(lookup_in(&all_over_messages)),
            Language::ZhCn
        );
    }

    #[test]
    fn locale_variables_skip_empty_values() {
        let empty_lc_all = [("LC_ALL", ""), ("LANG", "en_US.UTF-8")];
        assert_eq!(
            Language::from_locale_variables(lookup_in(&empty_lc_all)),
            Language::En
        );
    }

    #[test]
    fn locale_without_catalogue_gives_default() {
        let c_locale = [("LC_ALL", "C.UTF-8"), ("LANG", "en_US.UTF-8")];
        assert_eq!(
            Language::from_locale_variables(lookup_in(&c_locale)),
            Language::ZhCn
        );
    }
}
