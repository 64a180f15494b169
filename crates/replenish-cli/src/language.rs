//! The language of the output, chosen before the command line is parsed.

use std::ffi::OsString;

use i18n::Language;

/// The option that names the language.
pub const LANGUAGE_OPTION: &str = "--language";

/// Picks the language from `--language TAG` or `--language=TAG` in `argv`, else from the locale
/// variables.
///
/// This runs before clap, because the help text and clap's errors are already in the chosen
/// language. An unsupported tag falls back to the locale here; the parsed options reject it
/// later with a usage error.
pub fn from_argv_or_env(argv: &[OsString]) -> Language {
    tag_in_argv(argv)
        .and_then(|tag| Language::parse(&tag))
        .unwrap_or_else(Language::from_env)
}

/// Returns the value of the last `--language` in `argv`, as clap keeps the last one too.
fn tag_in_argv(argv: &[OsString]) -> Option<String> {
    let mut tag = None;
    let mut arguments = argv
        .iter()
        .skip(1)
        .map(|argument| argument.to_string_lossy());

    while let Some(argument) = arguments.next() {
        // Everything after `--` is a value, never an option.
        if argument == "--" {
            break;
        }
        if argument == LANGUAGE_OPTION {
            tag = arguments.next().map(|value| value.into_owned());
        } else if let Some(value) = argument.strip_prefix("--language=") {
            tag = Some(value.to_owned());
        }
    }
    tag
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(arguments: &[&str]) -> Vec<OsString> {
        arguments.iter().map(OsString::from).collect()
    }

    #[test]
    fn tag_in_argv_forms() {
        let cases = [
            (vec!["replenish", "watch", "--language", "en"], Some("en")),
            (
                vec!["replenish", "--language=zh-CN", "watch"],
                Some("zh-CN"),
            ),
            (
                vec!["replenish", "--language", "en", "--language", "zh-CN"],
                Some("zh-CN"),
            ),
            (vec!["replenish", "watch", "--language"], None),
            (vec!["replenish", "--", "--language", "en"], None),
            (vec!["replenish", "watch"], None),
        ];
        for (arguments, expected) in cases {
            assert_eq!(
                tag_in_argv(&argv(&arguments)).as_deref(),
                expected,
                "{arguments:?}"
            );
        }
    }

    #[test]
    fn argv_language_wins() {
        let language = from_argv_or_env(&argv(&["replenish", "--language", "en"]));
        assert_eq!(language, Language::En);
    }
}
