//! The History screen's filter validation and view models, built from a real store.

mod common;

use common::*;
use record_store::export::ExportTimeZone;
use record_store::history::{
    history_view, outcome_options, record_view, HistoryRequest, MAX_HISTORY_ROWS,
};
use record_store::{Ending, Filter, Outcome, RecordStore, SessionId};
use replenish_core::view::Tone;

/// China Standard Time, so the expected local times do not depend on the test machine.
const CHINA: ExportTimeZone = ExportTimeZone::FixedOffset {
    seconds_east: 8 * 3600,
};

/// 2024-05-01 00:00:00 in UTC+8, in ms since the Unix epoch.
const MAY_FIRST_CHINA_MS: u64 = MAY_FIRST_2024_MS - 8 * 3_600_000;

const DAY_MS: u64 = 86_400_000;

fn request(fields: &[(&str, &str)]) -> HistoryRequest {
    let mut request = HistoryRequest::default();
    for (name, value) in fields {
        let value = (*value).to_owned();
        match *name {
            "deviceNo" => request.device_no = value,
            "from" => request.from = value,
            "to" => request.to = value,
            "outcome" => request.outcome = value,
            "product" => request.product = value,
            other => panic!("no field {other}"),
        }
    }
    request
}

/// Stores a three-drinks final list started at `started_at_ms`, then a door that failed one
/// minute later. Returns their ids in that order.
fn final_and_door_failed(store: &RecordStore, started_at_ms: u64) -> (SessionId, SessionId) {
    let drinks = store.begin_session(&new_session(started_at_ms)).unwrap();
    store
        .record_final(
            drinks,
            &final_list(&three_drinks_frame(33116)),
            started_at_ms + 5_000,
        )
        .unwrap();

    let door = store
        .begin_session(&new_session(started_at_ms + 60_000))
        .unwrap();
    store
        .end_session(
            door,
            &Ending {
                outcome: Outcome::DoorFailed,
                server_message: Some("网络不畅,请稍后再试".to_owned()),
                code: Some(1),
                close_code: Some(1000),
                detail: None,
                at_ms: started_at_ms + 62_000,
            },
        )
        .unwrap();
    (drinks, door)
}

#[test]
fn empty_request_selects_everything() {
    let filter = HistoryRequest::default().to_filter(CHINA).unwrap();
    assert_eq!(filter, Filter::default());

    let blank = request(&[("deviceNo", "  "), ("product", " "), ("outcome", "")]);
    assert_eq!(blank.to_filter(CHINA).unwrap(), Filter::default());
}

#[test]
fn request_builds_filter() {
    let filter = request(&[
        ("deviceNo", " 181200005 "),
        ("from", "2024-05-01"),
        ("to", "2024-05-02"),
        ("outcome", "door_failed"),
        ("product", " 可口 "),
    ])
    .to_filter(CHINA)
    .unwrap();

    assert_eq!(filter.device_no.as_deref(), Some("181200005"));
    assert_eq!(filter.from_ms, Some(MAY_FIRST_CHINA_MS));
    // The last day is included: the filter ends where 2024-05-03 begins.
    assert_eq!(filter.to_ms, Some(MAY_FIRST_CHINA_MS + 2 * DAY_MS));
    assert_eq!(filter.outcomes, vec![Outcome::DoorFailed]);
    assert_eq!(filter.product_name_contains.as_deref(), Some("可口"));
}

#[test]
fn request_accepts_slashed_dates() {
    let filter = request(&[("from", "2024/05/01"), ("to", "2024/05/01")])
        .to_filter(CHINA)
        .unwrap();
    assert_eq!(filter.from_ms, Some(MAY_FIRST_CHINA_MS));
    assert_eq!(filter.to_ms, Some(MAY_FIRST_CHINA_MS + DAY_MS));
}

#[test]
fn request_reports_each_invalid_field() {
    let long_product = "奶".repeat(101);
    let errors = request(&[
        ("deviceNo", "12a"),
        ("from", "2024-13-01"),
        ("to", "yesterday"),
        ("outcome", "finished"),
        ("product", &long_product),
    ])
    .to_filter(CHINA)
    .unwrap_err();

    let fields: Vec<&str> = errors.keys().copied().collect();
    assert_eq!(fields, ["deviceNo", "from", "outcome", "product", "to"]);
    assert_eq!(errors["deviceNo"].key, "form.device.invalid");
    assert_eq!(errors["from"].key, "history.filter.date_invalid");
    assert_eq!(errors["from"].args["value"], "2024-13-01");
    assert_eq!(errors["to"].args["value"], "yesterday");
    assert_eq!(errors["outcome"].key, "history.filter.outcome_invalid");
    assert_eq!(errors["outcome"].args["value"], "finished");
    assert_eq!(errors["product"].key, "history.filter.product_too_long");
    assert_eq!(errors["product"].args["max"], "100");
}

#[test]
fn request_rejects_reversed_dates() {
    let errors = request(&[("from", "2024-05-02"), ("to", "2024-05-01")])
        .to_filter(CHINA)
        .unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors["to"].key, "history.filter.date_order");
}

#[test]
fn request_rejects_dates_before_1970() {
    let errors = request(&[("from", "1969-12-31")])
        .to_filter(CHINA)
        .unwrap_err();
    assert_eq!(errors["from"].key, "history.filter.date_invalid");
}

#[test]
fn request_echoes_at_most_40_characters() {
    let long = "x".repeat(200);
    let errors = request(&[("outcome", &long)]).to_filter(CHINA).unwrap_err();
    assert_eq!(errors["outcome"].args["value"].chars().count(), 40);
}

#[test]
fn date_filter_selects_local_days() {
    let dir = tempfile::tempdir().unwrap();
    let store = RecordStore::open(dir.path()).unwrap();
    // Sessions at 23:29 and 23:30 on April 30, and at 00:30 and 00:31 on May 1, in UTC+8.
    let (late_april, _) = final_and_door_failed(&store, MAY_FIRST_CHINA_MS - 1_800_000 - 60_000);
    let (early_may, _) = final_and_door_failed(&store, MAY_FIRST_CHINA_MS + 1_800_000);

    let may_first = request(&[("from", "2024-05-01"), ("to", "2024-05-01")])
        .to_filter(CHINA)
        .unwrap();
    let ids: Vec<SessionId> = store
        .list_sessions(&may_first)
        .unwrap()
        .iter()
        .map(|summary| summary.id)
        .collect();
    assert!(ids.contains(&early_may), "{ids:?}");
    assert!(!ids.contains(&late_april), "{ids:?}");
    assert_eq!(ids.len(), 2, "the door session after 00:30 counts too");
}

#[test]
fn history_rows_show_each_session() {
    let dir = tempfile::tempdir().unwrap();
    let store = RecordStore::open(dir.path()).unwrap();
    // 14:30:15 on May 1 in UTC+8.
    let (drinks, door) = final_and_door_failed(&store, MAY_FIRST_CHINA_MS + 52_215_000);

    let view = history_view(&store.list_sessions(&Filter::default()).unwrap(), CHINA);

    assert_eq!(view.session_count, 2);
    let ids: Vec<i64> = view.rows.iter().map(|row| row.session_id).collect();
    assert_eq!(ids, [door.0, drinks.0], "newest first");

    let door_row = &view.rows[0];
    assert_eq!(door_row.started_at, "2024-05-01 14:31:15");
    assert_eq!(door_row.outcome, "door_failed");
    assert_eq!(door_row.outcome_label.key, "outcome.door_failed");
    assert_eq!(door_row.tone, Tone::Error);
    assert_eq!(
        door_row.server_message.as_deref(),
        Some("网络不畅,请稍后再试")
    );
    assert_eq!(door_row.record_id, None);
    assert_eq!(door_row.totals, None, "a failed door stored no list");

    let drinks_row = &view.rows[1];
    assert_eq!(drinks_row.started_at, "2024-05-01 14:30:15");
    assert_eq!(drinks_row.device_no, "181200005");
    assert_eq!(drinks_row.device_name.as_deref(), Some("一楼东门柜"));
    assert_eq!(drinks_row.outcome, "final");
    assert_eq!(drinks_row.outcome_label.key, "outcome.final");
    assert_eq!(drinks_row.tone, Tone::Success);
    assert_eq!(drinks_row.record_id.as_deref(), Some("33116"));
    assert_eq!(drinks_row.duplicate_note, None);
    let totals = drinks_row
        .totals
        .as_ref()
        .expect("totals of the final list");
    assert_eq!(totals.line_count, 3);
    assert_eq!(totals.added, "30");
    assert_eq!(totals.removed, "0");
    assert_eq!(totals.net, "+30");
    assert_eq!(totals.sale_value, "¥178.50");
    assert_eq!(totals.cost_value, "¥84.00");

    assert_eq!(view.totals.line_count, 3);
    assert_eq!(view.totals.sale_value, "¥178.50");
    assert_eq!(view.totals.cost_value, "¥84.00");
    assert!(!view.totals.incomplete);
}

#[test]
fn history_rows_name_duplicate_source() {
    let dir = tempfile::tempdir().unwrap();
    let store = RecordStore::open(dir.path()).unwrap();
    let frame = three_drinks_frame(7);
    let first = store
        .begin_session(&new_session(MAY_FIRST_2024_MS))
        .unwrap();
    store
        .record_final(first, &final_list(&frame), MAY_FIRST_2024_MS + 1)
        .unwrap();
    let again = store
        .begin_session(&new_session(MAY_FIRST_2024_MS + 10))
        .unwrap();
    store
        .record_final(again, &final_list(&frame), MAY_FIRST_2024_MS + 11)
        .unwrap();

    let view = history_view(&store.list_sessions(&Filter::default()).unwrap(), CHINA);

    let duplicate = &view.rows[0];
    assert_eq!(duplicate.session_id, again.0);
    let note = duplicate.duplicate_note.as_ref().expect("duplicate note");
    assert_eq!(note.key, "history.duplicate_of");
    assert_eq!(note.args["session"], first.0.to_string());
    assert_eq!(duplicate.totals, None, "a duplicate counts no pieces");
    assert_eq!(view.totals.added, "30", "the list counts once");
}

#[test]
fn history_rows_stop_at_maximum() {
    let dir = tempfile::tempdir().unwrap();
    let store = RecordStore::open(dir.path()).unwrap();
    final_and_door_failed(&store, MAY_FIRST_2024_MS);
    let summaries = store.list_sessions(&Filter::default()).unwrap();
    let drinks = summaries
        .iter()
        .find(|summary| summary.outcome == Outcome::Final)
        .unwrap();
    let many = vec![drinks.clone(); MAX_HISTORY_ROWS + 1];

    let view = history_view(&many, CHINA);

    assert_eq!(view.rows.len(), MAX_HISTORY_ROWS);
    assert_eq!(view.session_count, MAX_HISTORY_ROWS + 1);
    // 501 × 30 pieces: the totals count the sessions beyond the rows too.
    assert_eq!(view.totals.added, "15030");
}

#[test]
fn record_view_has_facts_and_cards() {
    let dir = tempfile::tempdir().unwrap();
    let store = RecordStore::open(dir.path()).unwrap();
    let session = store
        .begin_session(&new_session(MAY_FIRST_2024_MS))
        .unwrap();
    store
        .record_final(
            session,
            &final_list(HARD_FINAL_FRAME),
            MAY_FIRST_2024_MS + 90_000,
        )
        .unwrap();
    let stored = store.load_session(session).unwrap().unwrap();

    let mut pictures = Vec::new();
    let view = record_view(&stored, CHINA, &mut |url| {
        pictures.push(url.to_owned());
        Some(format!("thumb://localhost/{}", pictures.len()))
    });

    assert_eq!(view.summary.session_id, session.0);
    assert_eq!(view.summary.started_at, "2024-05-01 08:00:00");
    assert_eq!(view.ended_at.as_deref(), Some("2024-05-01 08:01:30"));
    assert_eq!(view.endpoint_host, "test.ssib.gzncloud.com");
    let list = view.final_list.expect("final list");
    assert_eq!(list.record_id.as_deref(), Some("900000000000000001"));
    assert_eq!(list.cabinets.len(), 2);
    let cards: usize = list
        .cabinets
        .iter()
        .map(|cabinet| cabinet.lines.len())
        .sum();
    assert_eq!(cards, 4);
    assert_eq!(
        pictures,
        ["http://ssib.gzncloud.com:10053/upload/image/1.jpg"]
    );
    assert_eq!(
        list.cabinets[0].lines[0].image_url.as_deref(),
        Some("thumb://localhost/1")
    );
}

#[test]
fn record_view_of_failed_door_has_no_list() {
    let dir = tempfile::tempdir().unwrap();
    let store = RecordStore::open(dir.path()).unwrap();
    let (_, door) = final_and_door_failed(&store, MAY_FIRST_2024_MS);
    let stored = store.load_session(door).unwrap().unwrap();

    let view = record_view(&stored, CHINA, &mut |_| None);

    assert_eq!(view.final_list, None);
    assert_eq!(view.code.as_deref(), Some("1"));
    assert_eq!(view.close_code.as_deref(), Some("1000"));
    assert_eq!(
        view.summary.server_message.as_deref(),
        Some("网络不畅,请稍后再试")
    );
}

#[test]
fn outcome_options_cover_every_outcome() {
    let options = outcome_options();
    let values: Vec<&str> = options.iter().map(|option| option.value).collect();
    let expected: Vec<&str> = Outcome::ALL
        .iter()
        .map(|outcome| outcome.as_str())
        .collect();
    assert_eq!(values, expected);
    for option in &options {
        assert_eq!(option.label.key, format!("outcome.{}", option.value));
    }
}
