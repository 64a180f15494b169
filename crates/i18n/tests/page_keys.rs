//! Checks that the page under `ui/` and the catalogues agree on the `ui.*` keys.
//!
//! The page names each of its own texts by a quoted literal key ("ui.form.connect"), either in a
//! script or in a `data-i18n*` attribute of index.html. It never builds a key at run time, so
//! scanning the sources for quoted `ui.` keys finds every key it uses.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use i18n::{Catalogue, Language};

fn ui_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui")
}

/// Returns index.html and every script of the page, with their paths for error messages.
fn page_sources() -> Vec<(PathBuf, String)> {
    let mut paths = vec![ui_dir().join("index.html")];

    let scripts = fs::read_dir(ui_dir().join("js")).expect("ui/js is readable");
    for entry in scripts {
        let path = entry.expect("ui/js entry is readable").path();
        if path.extension().is_some_and(|extension| extension == "js") {
            paths.push(path);
        }
    }

    paths
        .into_iter()
        .map(|path| {
            let source = fs::read_to_string(&path)
                .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
            (path, source)
        })
        .collect()
}

/// Returns the keys of every quoted literal of the form "ui.…" or 'ui.…' in `source`.
fn quoted_ui_keys(source: &str) -> BTreeSet<String> {
    let mut keys = BTreeSet::new();

    for quote in ['"', '\''] {
        let opening = format!("{quote}ui.");
        let mut rest = source;

        while let Some(start) = rest.find(&opening) {
            let after_quote = &rest[start + 1..];
            let key_length = after_quote
                .find(|character: char| {
                    !(character.is_ascii_lowercase()
                        || character.is_ascii_digit()
                        || character == '_'
                        || character == '.')
                })
                .unwrap_or(after_quote.len());

            if after_quote[key_length..].starts_with(quote) {
                keys.insert(after_quote[..key_length].to_string());
            }
            rest = &after_quote[key_length..];
        }
    }

    keys
}

fn keys_used_by_page() -> BTreeSet<String> {
    page_sources()
        .iter()
        .flat_map(|(_, source)| quoted_ui_keys(source))
        .collect()
}

#[test]
fn quoted_ui_keys_finds_literals() {
    let source = r#"text("ui.form.connect"); x = 'ui.money'; y = "ui.partial" + z; w = "gui.x"; "ui.bad-key""#;
    let keys: Vec<String> = quoted_ui_keys(source).into_iter().collect();
    assert_eq!(keys, ["ui.form.connect", "ui.money", "ui.partial"]);
}

#[test]
fn page_keys_exist_in_catalogues() {
    let used = keys_used_by_page();
    assert!(
        used.len() > 20,
        "found only {} keys, so the scan is broken",
        used.len()
    );

    for language in Language::ALL {
        let entries = Catalogue::get(language).entries();
        let missing: Vec<&String> = used
            .iter()
            .filter(|key| !entries.contains_key(*key))
            .collect();
        assert!(
            missing.is_empty(),
            "keys used by ui/ but missing in {}: {missing:?}",
            language.tag()
        );
    }
}

#[test]
fn catalogue_ui_keys_are_used_by_page() {
    let used = keys_used_by_page();
    let unused: Vec<&String> = Catalogue::get(Language::ZhCn)
        .entries()
        .keys()
        .filter(|key| key.starts_with("ui.") && !used.contains(*key))
        .collect();
    assert!(
        unused.is_empty(),
        "ui keys that no page source uses: {unused:?}"
    );
}
