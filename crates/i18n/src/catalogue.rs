//! The message catalogues and the filling of their `{slot}` placeholders.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::Language;

const ZH_CN_JSON: &str = include_str!("../locales/zh-CN.json");
const EN_JSON: &str = include_str!("../locales/en.json");

/// The texts of one language, keyed by message key ("session.door_open").
#[derive(Debug)]
pub struct Catalogue {
    language: Language,
    entries: BTreeMap<String, String>,
}

impl Catalogue {
    /// Returns the catalogue of `language`, parsed on first use.
    ///
    /// # Panics
    ///
    /// Panics if the embedded JSON is not a flat object of strings. The tests of this crate parse
    /// both catalogues, so a build whose tests pass cannot reach that panic.
    pub fn get(language: Language) -> &'static Catalogue {
        static ZH_CN: OnceLock<Catalogue> = OnceLock::new();
        static EN: OnceLock<Catalogue> = OnceLock::new();

        match language {
            Language::ZhCn => ZH_CN.get_or_init(|| Catalogue::parse(language, ZH_CN_JSON)),
            Language::En => EN.get_or_init(|| Catalogue::parse(language, EN_JSON)),
        }
    }

    fn parse(language: Language, json: &str) -> Catalogue {
        let entries = serde_json::from_str(json).unwrap_or_else(|error| {
            panic!(
                "the {} catalogue is not a flat JSON object of strings: {error}",
                language.tag()
            )
        });
        Catalogue { language, entries }
    }

    /// Returns the language of this catalogue.
    pub fn language(&self) -> Language {
        self.language
    }

    /// Returns the text of `key` with its slots unfilled.
    ///
    /// A missing key returns the key itself, so the user sees something searchable instead of an
    /// empty space. Debug builds also fail a `debug_assert`, because a missing key is a bug.
    pub fn text<'a>(&'a self, key: &'a str) -> &'a str {
        match self.entries.get(key) {
            Some(text) => text,
            None => {
                debug_assert!(
                    false,
                    "missing catalogue key {key:?} in the {} catalogue",
                    self.language.tag()
                );
                key
            }
        }
    }

    /// Returns the text of `key` with each `{slot}` replaced by its value in `args`.
    ///
    /// A slot without a value stays as written, and values are inserted as they are, so a value
    /// that contains `{name}` is not filled again.
    pub fn format(&self, key: &str, args: &[(&str, &str)]) -> String {
        fill_slots(self.text(key), |name| {
            args.iter()
                .find(|(slot, _)| *slot == name)
                .map(|(_, value)| *value)
        })
    }

    /// Returns all entries, for sending the whole catalogue to the page.
    pub fn entries(&self) -> &BTreeMap<String, String> {
        &self.entries
    }
}

/// Returns whether `name` can be a slot name: ASCII letters, digits and underscores, not empty.
fn is_slot_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || byte == b'_')
}

/// A piece of a catalogue text: literal text or the name of a `{slot}`.
#[derive(Debug, PartialEq, Eq)]
enum Segment<'t> {
    Literal(&'t str),
    Slot(&'t str),
}

/// Splits `text` into literal text and slots.
///
/// A brace that does not open a valid `{name}` is literal text. The page's `i18n.js` follows the
/// same rule, so both sides fill a text alike.
fn segments(text: &str) -> Vec<Segment<'_>> {
    let mut segments = Vec::new();
    let mut rest = text;

    while let Some(open) = rest.find('{') {
        segments.push(Segment::Literal(&rest[..open]));
        let after_brace = &rest[open + 1..];

        match after_brace.find('}') {
            Some(close) if is_slot_name(&after_brace[..close]) => {
                segments.push(Segment::Slot(&after_brace[..close]));
                rest = &after_brace[close + 1..];
            }
            _ => {
                segments.push(Segment::Literal("{"));
                rest = after_brace;
            }
        }
    }

    segments.push(Segment::Literal(rest));
    segments
}

fn fill_slots<'v>(text: &str, value_of: impl Fn(&str) -> Option<&'v str>) -> String {
    let mut filled = String::with_capacity(text.len());

    for segment in segments(text) {
        match segment {
            Segment::Literal(literal) => filled.push_str(literal),
            Segment::Slot(name) => match value_of(name) {
                Some(value) => filled.push_str(value),
                None => {
                    filled.push('{');
                    filled.push_str(name);
                    filled.push('}');
                }
            },
        }
    }

    filled
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    /// Returns the slot names that occur in `text`.
    fn slot_names(text: &str) -> BTreeSet<&str> {
        segments(text)
            .into_iter()
            .filter_map(|segment| match segment {
                Segment::Slot(name) => Some(name),
                Segment::Literal(_) => None,
            })
            .collect()
    }

    fn zh_cn() -> &'static Catalogue {
        Catalogue::get(Language::ZhCn)
    }

    fn en() -> &'static Catalogue {
        Catalogue::get(Language::En)
    }

    #[test]
    fn catalogues_parse() {
        for language in Language::ALL {
            let catalogue = Catalogue::get(language);
            assert_eq!(catalogue.language(), language);
            assert!(
                !catalogue.entries().is_empty(),
                "{} is empty",
                language.tag()
            );
        }
    }

    #[test]
    fn catalogues_have_same_keys() {
        let zh_keys: BTreeSet<&String> = zh_cn().entries().keys().collect();
        let en_keys: BTreeSet<&String> = en().entries().keys().collect();

        let only_zh: Vec<_> = zh_keys.difference(&en_keys).collect();
        let only_en: Vec<_> = en_keys.difference(&zh_keys).collect();
        assert!(only_zh.is_empty(), "keys only in zh-CN: {only_zh:?}");
        assert!(only_en.is_empty(), "keys only in en: {only_en:?}");
    }

    #[test]
    fn catalogues_have_same_slots() {
        for (key, zh_text) in zh_cn().entries() {
            let Some(en_text) = en().entries().get(key) else {
                continue;
            };
            assert_eq!(
                slot_names(zh_text),
                slot_names(en_text),
                "slots of {key:?} differ: zh-CN {zh_text:?}, en {en_text:?}"
            );
        }
    }

    #[test]
    fn catalogues_have_no_empty_text() {
        for language in Language::ALL {
            for (key, text) in Catalogue::get(language).entries() {
                assert!(
                    !text.trim().is_empty(),
                    "{key:?} is empty in {}",
                    language.tag()
                );
            }
        }
    }

    #[test]
    fn catalogue_keys_are_well_formed() {
        for key in zh_cn().entries().keys() {
            let well_formed = !key.is_empty()
                && key.split('.').all(|part| {
                    !part.is_empty()
                        && part.bytes().all(|byte| {
                            byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'_'
                        })
                });
            assert!(well_formed, "key {key:?} is not dotted lower_snake_case");
        }
    }

    /// The keys that the backend emits and the slots it fills for each.
    const BACKEND_KEYS: &[(&str, &[&str])] = &[
        ("session.connecting", &[]),
        ("session.waiting_for_door", &[]),
        ("session.door_open", &[]),
        ("session.finished", &[]),
        ("session.failed", &[]),
        ("session.door_failed", &[]),
        ("session.cancelled", &[]),
        ("session.connection_lost", &[]),
        ("session.detail.connecting", &["endpoint"]),
        ("session.detail.door_open", &[]),
        ("session.detail.finished_record", &["recordId"]),
        ("session.detail.finished_empty", &[]),
        ("session.detail.close_code", &["code", "reason"]),
        ("session.detail.connect_failed", &["error"]),
        ("session.detail.connect.refused", &["endpoint"]),
        ("session.detail.connect.timed_out", &["endpoint"]),
        ("session.detail.connect.dns", &["endpoint"]),
        ("session.detail.connect.tls", &["endpoint"]),
        ("session.detail.connect.reset", &["endpoint"]),
        ("session.detail.connect.not_websocket", &["endpoint"]),
        ("session.detail.lost.reset", &[]),
        ("session.detail.lost.dead_peer", &[]),
        ("session.detail.lost.too_large", &[]),
        ("session.detail.lost.invalid_text", &[]),
        ("session.detail.lost.other", &["error"]),
        ("session.detail.lost.unreachable", &["error"]),
        ("session.interrupted", &[]),
        ("session.detail.reconnecting", &["endpoint"]),
        (
            "session.reconnect.countdown",
            &["attempt", "max", "seconds"],
        ),
        ("session.reconnect.connecting", &["attempt", "max"]),
        ("next.reconnects_used_up", &["count"]),
        ("next.server_data", &[]),
        ("session.detail.handshake_rejected", &["body", "status"]),
        ("session.detail.timed_out", &["seconds"]),
        ("next.door_failed", &[]),
        ("next.failure", &[]),
        ("next.connection_lost", &[]),
        ("next.connect_failed", &[]),
        ("next.handshake_rejected", &[]),
        ("next.cancelled", &[]),
        ("form.endpoint.missing", &[]),
        ("form.endpoint.invalid", &["value"]),
        ("form.endpoint.scheme", &["scheme"]),
        ("form.device.missing", &[]),
        ("form.device.invalid", &[]),
        ("form.token.missing", &[]),
        ("form.token.invalid", &[]),
        ("form.name.too_long", &["max"]),
        ("error.busy", &[]),
        ("error.nothing_to_retry", &[]),
        ("settings.error.reconnect_attempts", &["max", "value"]),
        ("settings.error.door_wait", &["max", "min", "value"]),
        ("cabinet.title", &["no"]),
        ("unit.piece", &[]),
        ("unit.jin", &[]),
        ("notice.protocol.not_json", &[]),
        ("notice.protocol.not_object", &[]),
        ("notice.protocol.missing_type", &[]),
        ("notice.protocol.missing_field", &[]),
        ("notice.protocol.invalid_field", &[]),
        ("notice.protocol.binary", &[]),
        ("notice.protocol.not_utf8", &[]),
        ("notice.names_cleaned", &["count"]),
        ("notice.record_not_saved", &[]),
        ("notice.record_duplicate", &[]),
        ("error.records_unavailable", &[]),
        ("notice.unknown_type", &["type"]),
        ("notice.image_failed", &[]),
        ("outcome.in_progress", &[]),
        ("outcome.final", &[]),
        ("outcome.failure", &[]),
        ("outcome.door_failed", &[]),
        ("outcome.door_timed_out", &[]),
        ("outcome.connect_failed", &[]),
        ("outcome.connection_lost", &[]),
        ("outcome.cancelled", &[]),
        ("outcome.interrupted", &[]),
        ("history.duplicate_of", &["session"]),
        ("history.filter.date_invalid", &["value"]),
        ("history.filter.date_order", &[]),
        ("history.filter.outcome_invalid", &["value"]),
        ("history.filter.product_too_long", &["max"]),
        ("history.error.unavailable", &[]),
        ("history.error.load_failed", &["error"]),
        ("history.error.not_found", &["session"]),
        ("history.error.nothing_to_export", &[]),
        ("history.error.export_failed", &["error"]),
        ("notification.device", &["deviceNo"]),
        ("notification.device_named", &["deviceNo", "name"]),
        ("notification.door_open.title", &[]),
        ("notification.door_open.body", &[]),
        ("notification.final.title", &[]),
        (
            "notification.final.body",
            &["added", "removed", "saleValue"],
        ),
        ("notification.final.body_empty", &[]),
        ("notification.final.incomplete", &[]),
        ("notification.failure.connect_failed", &[]),
        ("notification.failure.handshake_rejected", &[]),
        ("notification.failure.refused", &[]),
        ("notification.failure.door_failed", &[]),
        ("notification.failure.door_timed_out", &[]),
        ("notification.failure.connection_lost", &[]),
        ("notification.failure.server_message", &["message"]),
        ("error.settings_not_saved", &["error"]),
    ];

    #[test]
    fn backend_keys_exist_with_their_slots() {
        for language in Language::ALL {
            let entries = Catalogue::get(language).entries();
            for (key, slots) in BACKEND_KEYS {
                let Some(text) = entries.get(*key) else {
                    panic!("{key:?} is missing in {}", language.tag());
                };
                let expected: BTreeSet<&str> = slots.iter().copied().collect();
                assert_eq!(
                    slot_names(text),
                    expected,
                    "slots of {key:?} in {}",
                    language.tag()
                );
            }
        }
    }

    #[test]
    fn field_terms_keep_their_chinese_names() {
        let catalogue = zh_cn();
        assert_eq!(catalogue.text("unit.piece"), "元/件");
        assert_eq!(catalogue.text("unit.jin"), "元/斤");
        assert_eq!(catalogue.format("cabinet.title", &[("no", "1")]), "货柜 1");
        assert_eq!(catalogue.text("session.connecting"), "正在连接货柜服务器…");

        let figure_labels = [
            ("ui.figure.added", "补货"),
            ("ui.figure.removed", "撤货"),
            ("ui.figure.aisle", "货道"),
            ("ui.figure.stock", "库存"),
            ("ui.figure.cost_price", "成本价"),
            ("ui.figure.sale_price", "销售价"),
            ("ui.nav.live", "补货"),
            ("ui.nav.history", "补货记录"),
        ];
        for (key, term) in figure_labels {
            assert_eq!(catalogue.text(key), term, "{key}");
        }
    }

    #[test]
    fn format_fills_every_slot() {
        let text = en().format(
            "session.detail.close_code",
            &[("code", "1006"), ("reason", "abnormal closure")],
        );
        assert!(text.contains("1006"), "{text}");
        assert!(text.contains("abnormal closure"), "{text}");
        assert!(!text.contains('{'), "{text}");
    }

    #[test]
    fn fill_slots_keeps_unknown_slots() {
        let filled = fill_slots("{known} and {unknown}", |name| {
            (name == "known").then_some("A")
        });
        assert_eq!(filled, "A and {unknown}");
    }

    #[test]
    fn fill_slots_does_not_refill_values() {
        let filled = fill_slots("{a}{b}", |name| match name {
            "a" => Some("{b}"),
            "b" => Some("B"),
            _ => None,
        });
        assert_eq!(filled, "{b}B");
    }

    #[test]
    fn fill_slots_treats_stray_braces_as_text() {
        let filled = fill_slots("{ x } {a{b} {} {", |name| (name == "b").then_some("B"));
        assert_eq!(filled, "{ x } {aB {} {");
    }

    #[test]
    fn slot_names_lists_each_slot() {
        let names: Vec<&str> = slot_names("HTTP {status}: {body} ({status})")
            .into_iter()
            .collect();
        assert_eq!(names, ["body", "status"]);
    }

    #[test]
    #[cfg_attr(
        debug_assertions,
        should_panic(expected = "missing catalogue key \"no.such.key\"")
    )]
    fn text_of_missing_key_is_key() {
        assert_eq!(en().text("no.such.key"), "no.such.key");
    }
}
