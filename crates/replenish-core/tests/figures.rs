//! Derived figures of a final list (grouping, order, exact totals) and the presenter's views.

use replenish_core::event::{LostCause, ProtocolErrorKind, SessionEvent};
use replenish_core::frame::{decode, Frame};
use replenish_core::model::{FinalList, PricingUnit, ProductLine};
use replenish_core::presenter::{final_view, Presenter, SessionContext};
use replenish_core::scalar::FieldProblem;
use replenish_core::summary::{summarize, Totals};
use replenish_core::view::{LineView, Message, Tone, TotalsView};
use rust_decimal::Decimal;

const OPENED_AT: u64 = 1_700_000_000_000;

fn dec(text: &str) -> Decimal {
    Decimal::from_str_exact(text).unwrap()
}

fn three_drinks() -> FinalList {
    let text = include_str!("frames/final-three-drinks.json");
    match decode(text).unwrap().frame {
        Frame::Final(list) => list,
        other => panic!("expected a final list, got {other:?}"),
    }
}

/// Builds a complete line sold by piece, with no correction of the first counts.
fn line(
    aisle_no: &str,
    cabinet_no: i64,
    added: i64,
    removed: i64,
    cost: &str,
    sale: &str,
) -> ProductLine {
    ProductLine {
        product_id: Some(1),
        name: format!("货道{aisle_no}"),
        aisle_no: aisle_no.to_owned(),
        cabinet_no: Some(cabinet_no),
        unit: PricingUnit::Piece,
        type_name: None,
        thumb_image: None,
        storage: Some(10),
        add_quantity: Some(added),
        add_quantity_revise: Some(added),
        remove_quantity: Some(removed),
        remove_quantity_revise: Some(removed),
        sale_price: Some(dec(sale)),
        cost_price: Some(dec(cost)),
        problems: Vec::new(),
    }
}

fn list_of(lines: Vec<ProductLine>) -> FinalList {
    FinalList {
        record_id: Some(7),
        lines,
    }
}

/// Maps every picture URL to a fixed prefix, the way the shell maps it to its picture scheme.
fn image_url(url: &str) -> Option<String> {
    Some(format!("pic://{url}"))
}

fn no_images(_: &str) -> Option<String> {
    None
}

fn aisles_of(view: &replenish_core::view::CabinetView) -> Vec<&str> {
    view.lines
        .iter()
        .map(|line| line.aisle_no.as_str())
        .collect()
}

// ---- Three drinks: summary ----

#[test]
fn three_drinks_cabinets() {
    let list = three_drinks();
    let summary = summarize(&list);

    let cabinets: Vec<Option<i64>> = summary
        .cabinets
        .iter()
        .map(|group| group.cabinet_no)
        .collect();
    assert_eq!(cabinets, vec![Some(1), Some(2)]);
    assert_eq!(summary.cabinets[0].lines.len(), 2);
    assert_eq!(summary.cabinets[1].lines.len(), 1);
}

#[test]
fn three_drinks_line_figures() {
    let list = three_drinks();
    let summary = summarize(&list);

    let (milk_tea, figures) = summary.cabinets[0].lines[0];
    assert_eq!(milk_tea.name, "阿莎姆奶茶");
    assert_eq!(figures.net, Some(13));
    // 13 × 3.10000 = 40.30000 and 13 × 6.50000 = 84.50000.
    assert_eq!(figures.cost_value, Some(dec("40.3")));
    assert_eq!(figures.sale_value, Some(dec("84.5")));
    assert!(!figures.incomplete);
}

#[test]
fn three_drinks_cabinet_totals() {
    let list = three_drinks();
    let summary = summarize(&list);

    // Cabinet 1: 阿莎姆奶茶 13 and 可口可乐 8 pieces.
    // Cost 13 × 3.1 + 8 × 2.2 = 40.3 + 17.6 = 57.9. Sale 13 × 6.5 + 8 × 5.0 = 84.5 + 40 = 124.5.
    let expected_first = Totals {
        line_count: 2,
        added: 21,
        removed: 0,
        net: 21,
        cost_value: dec("57.9"),
        sale_value: dec("124.5"),
        incomplete: false,
    };
    // Cabinet 2: 脉动 9 pieces. Cost 9 × 2.9 = 26.1. Sale 9 × 6.0 = 54.
    let expected_second = Totals {
        line_count: 1,
        added: 9,
        removed: 0,
        net: 9,
        cost_value: dec("26.1"),
        sale_value: dec("54"),
        incomplete: false,
    };
    assert_eq!(summary.cabinets[0].totals, expected_first);
    assert_eq!(summary.cabinets[1].totals, expected_second);
}

#[test]
fn three_drinks_record_totals() {
    let list = three_drinks();
    let summary = summarize(&list);

    // 21 + 9 = 30 pieces. Cost 57.9 + 26.1 = 84.0. Sale 124.5 + 54 = 178.5.
    let expected = Totals {
        line_count: 3,
        added: 30,
        removed: 0,
        net: 30,
        cost_value: dec("84"),
        sale_value: dec("178.5"),
        incomplete: false,
    };
    assert_eq!(summary.totals, expected);
}

// ---- Three drinks: final view ----

#[test]
fn three_drinks_view_record() {
    let view = final_view(5, &three_drinks(), &mut image_url);

    assert_eq!(view.session_id, 5);
    assert_eq!(view.record_id.as_deref(), Some("33116"));
    let cabinet_numbers: Vec<&str> = view
        .cabinets
        .iter()
        .map(|c| c.cabinet_no.as_str())
        .collect();
    assert_eq!(cabinet_numbers, vec!["1", "2"]);
    assert_eq!(
        view.cabinets[0].title,
        Message::new("cabinet.title").arg("no", "1")
    );
    assert_eq!(aisles_of(&view.cabinets[0]), vec!["101", "102"]);
    assert_eq!(aisles_of(&view.cabinets[1]), vec!["202"]);
}

#[test]
fn three_drinks_view_first_line() {
    let view = final_view(5, &three_drinks(), &mut image_url);

    let expected = LineView {
        key: "line-1".to_owned(),
        product_id: "3297".to_owned(),
        name: "阿莎姆奶茶".to_owned(),
        category: Some("饮料".to_owned()),
        aisle_no: "101".to_owned(),
        image_url: Some(
            "pic://http://ssib.gzncloud.com:10053/upload/image/19082818381970086303.jpg".to_owned(),
        ),
        added: "13".to_owned(),
        added_first_count: None,
        removed: "0".to_owned(),
        removed_first_count: None,
        net: "+13".to_owned(),
        stock: "41".to_owned(),
        unit: Message::new("unit.piece"),
        sale_price: "¥6.50".to_owned(),
        cost_price: "¥3.10".to_owned(),
        sale_value: "¥84.50".to_owned(),
        cost_value: "¥40.30".to_owned(),
        incomplete: false,
    };
    assert_eq!(view.cabinets[0].lines[0], expected);
}

#[test]
fn three_drinks_view_other_lines() {
    let view = final_view(5, &three_drinks(), &mut no_images);

    let cola = &view.cabinets[0].lines[1];
    assert_eq!(cola.key, "line-2");
    assert_eq!(cola.name, "可口可乐");
    assert_eq!(cola.net, "+8");
    // 8 × 2.2 = 17.6 and 8 × 5 = 40.
    assert_eq!(cola.cost_value, "¥17.60");
    assert_eq!(cola.sale_value, "¥40.00");
    assert_eq!(cola.sale_price, "¥5.00");
    assert_eq!(cola.image_url, None);

    let mizone = &view.cabinets[1].lines[0];
    assert_eq!(mizone.key, "line-3");
    assert_eq!(mizone.name, "脉动");
    assert_eq!(mizone.net, "+9");
    // 9 × 2.9 = 26.1 and 9 × 6 = 54.
    assert_eq!(mizone.cost_value, "¥26.10");
    assert_eq!(mizone.sale_value, "¥54.00");
}

#[test]
fn three_drinks_view_totals() {
    let view = final_view(5, &three_drinks(), &mut no_images);

    let first_cabinet = TotalsView {
        line_count: 2,
        added: "21".to_owned(),
        removed: "0".to_owned(),
        net: "+21".to_owned(),
        cost_value: "¥57.90".to_owned(),
        sale_value: "¥124.50".to_owned(),
        incomplete: false,
    };
    let second_cabinet = TotalsView {
        line_count: 1,
        added: "9".to_owned(),
        removed: "0".to_owned(),
        net: "+9".to_owned(),
        cost_value: "¥26.10".to_owned(),
        sale_value: "¥54.00".to_owned(),
        incomplete: false,
    };
    let record = TotalsView {
        line_count: 3,
        added: "30".to_owned(),
        removed: "0".to_owned(),
        net: "+30".to_owned(),
        cost_value: "¥84.00".to_owned(),
        sale_value: "¥178.50".to_owned(),
        incomplete: false,
    };
    assert_eq!(view.cabinets[0].totals, first_cabinet);
    assert_eq!(view.cabinets[1].totals, second_cabinet);
    assert_eq!(view.totals, record);
}

#[test]
fn empty_list_view() {
    let empty = FinalList {
        record_id: None,
        lines: Vec::new(),
    };
    let view = final_view(1, &empty, &mut no_images);

    assert_eq!(view.record_id, None);
    assert!(view.cabinets.is_empty());
    assert_eq!(view.totals.line_count, 0);
    assert_eq!(view.totals.cost_value, "¥0.00");
    assert_eq!(view.totals.net, "0");
    assert!(!view.totals.incomplete);
}

// ---- Order ----

#[test]
fn order_by_cabinet_then_aisle() {
    let list = list_of(vec![
        line("202", 2, 1, 0, "1", "2"),
        line("110", 1, 1, 0, "1", "2"),
        line("9", 1, 1, 0, "1", "2"),
        line("102", 1, 1, 0, "1", "2"),
        line("201", 2, 1, 0, "1", "2"),
        line("0101", 1, 1, 0, "1", "2"),
    ]);
    let view = final_view(1, &list, &mut no_images);

    // Aisles compare as numbers, so "9" comes before "0101" (101) and "110".
    assert_eq!(
        aisles_of(&view.cabinets[0]),
        vec!["9", "0101", "102", "110"]
    );
    assert_eq!(aisles_of(&view.cabinets[1]), vec!["201", "202"]);
    let keys: Vec<&str> = view.cabinets[0]
        .lines
        .iter()
        .map(|l| l.key.as_str())
        .collect();
    assert_eq!(keys, vec!["line-1", "line-2", "line-3", "line-4"]);
}

#[test]
fn unknown_cabinet_last() {
    let mut lost = line("301", 3, 1, 0, "1", "2");
    lost.cabinet_no = None;
    lost.problems.push(FieldProblem {
        field: "cabinetNo".to_owned(),
        problem: "missing".to_owned(),
    });
    let list = list_of(vec![
        lost,
        line("501", 5, 1, 0, "1", "2"),
        line("101", 1, 1, 0, "1", "2"),
    ]);
    let view = final_view(1, &list, &mut no_images);

    let cabinets: Vec<&str> = view
        .cabinets
        .iter()
        .map(|c| c.cabinet_no.as_str())
        .collect();
    assert_eq!(cabinets, vec!["1", "5", "—"]);
    assert!(view.cabinets[2].lines[0].incomplete);
}

#[test]
fn text_aisles_after_numbers() {
    let list = list_of(vec![
        line("A2", 1, 1, 0, "1", "2"),
        line("A10", 1, 1, 0, "1", "2"),
        line("12", 1, 1, 0, "1", "2"),
    ]);
    let view = final_view(1, &list, &mut no_images);

    assert_eq!(aisles_of(&view.cabinets[0]), vec!["12", "A10", "A2"]);
}

// ---- Counts and units ----

#[test]
fn revised_counts_show_first_count() {
    let mut revised = line("101", 1, 12, 1, "1", "2");
    revised.add_quantity = Some(13);
    revised.remove_quantity = Some(1);
    let view = final_view(1, &list_of(vec![revised]), &mut no_images);

    let card = &view.cabinets[0].lines[0];
    assert_eq!(card.added, "12");
    assert_eq!(card.added_first_count.as_deref(), Some("13"));
    assert_eq!(card.removed, "1");
    assert_eq!(card.removed_first_count, None);
    assert_eq!(card.net, "+11");
}

#[test]
fn revised_removal_shows_first_count() {
    let mut revised = line("101", 1, 4, 2, "1", "2");
    revised.remove_quantity = Some(3);
    let view = final_view(1, &list_of(vec![revised]), &mut no_images);

    let card = &view.cabinets[0].lines[0];
    assert_eq!(card.removed, "2");
    assert_eq!(card.removed_first_count.as_deref(), Some("3"));
    assert_eq!(card.added_first_count, None);
    assert_eq!(card.net, "+2");
}

#[test]
fn missing_revise_uses_first_count() {
    let mut first_only = line("101", 1, 5, 1, "1", "2");
    first_only.add_quantity_revise = None;
    first_only.remove_quantity_revise = None;
    let view = final_view(1, &list_of(vec![first_only]), &mut no_images);

    let card = &view.cabinets[0].lines[0];
    assert_eq!(card.added, "5");
    assert_eq!(card.added_first_count, None);
    assert_eq!(card.net, "+4");
    assert!(!card.incomplete);
}

#[test]
fn weighed_goods_unit() {
    let mut nuts = line("301", 3, 4, 0, "12.00000", "20.00000");
    nuts.unit = PricingUnit::Jin;
    let view = final_view(1, &list_of(vec![nuts]), &mut no_images);

    let card = &view.cabinets[0].lines[0];
    assert_eq!(card.unit, Message::new("unit.jin"));
    // Quantities of weighed goods are card as sent: 4 × 20 = 80.
    assert_eq!(card.added, "4");
    assert_eq!(card.sale_value, "¥80.00");
    assert_eq!(card.sale_price, "¥20.00");
}

#[test]
fn price_shows_every_digit() {
    let view = final_view(
        1,
        &list_of(vec![line("101", 1, 3, 0, "2.12345", "6.505")]),
        &mut no_images,
    );

    let card = &view.cabinets[0].lines[0];
    assert_eq!(card.cost_price, "¥2.12345");
    assert_eq!(card.sale_price, "¥6.505");
    // 3 × 2.12345 = 6.37035 and 3 × 6.505 = 19.515, rounded half away from zero.
    assert_eq!(card.cost_value, "¥6.37");
    assert_eq!(card.sale_value, "¥19.52");
}

// ---- Missing and extreme figures ----

#[test]
fn missing_price_line_incomplete() {
    let mut no_sale = line("102", 1, 8, 0, "2.2", "5");
    no_sale.sale_price = None;
    no_sale.problems.push(FieldProblem {
        field: "salePrice".to_owned(),
        problem: "missing".to_owned(),
    });
    let list = list_of(vec![line("101", 1, 13, 0, "3.1", "6.5"), no_sale]);
    let view = final_view(1, &list, &mut no_images);

    let card = &view.cabinets[0].lines[1];
    assert!(card.incomplete);
    assert_eq!(card.sale_price, "—");
    assert_eq!(card.sale_value, "—");
    // The cost is known: 8 × 2.2 = 17.6.
    assert_eq!(card.cost_value, "¥17.60");
    assert_eq!(card.net, "+8");
}

#[test]
fn missing_price_totals_incomplete() {
    let mut no_sale = line("102", 1, 8, 0, "2.2", "5");
    no_sale.sale_price = None;
    let list = list_of(vec![line("101", 1, 13, 0, "3.1", "6.5"), no_sale]);
    let view = final_view(1, &list, &mut no_images);

    assert!(view.cabinets[0].totals.incomplete);
    assert!(view.totals.incomplete);
    // Sale: only 13 × 6.5 = 84.5 is known. Cost: 40.3 + 17.6 = 57.9.
    assert_eq!(view.totals.sale_value, "¥84.50");
    assert_eq!(view.totals.cost_value, "¥57.90");
    assert_eq!(view.totals.added, "21");
}

#[test]
fn incomplete_cabinet_leaves_other_complete() {
    let mut no_cost = line("201", 2, 1, 0, "1", "2");
    no_cost.cost_price = None;
    let list = list_of(vec![line("101", 1, 1, 0, "1", "2"), no_cost]);
    let view = final_view(1, &list, &mut no_images);

    assert!(!view.cabinets[0].totals.incomplete);
    assert!(view.cabinets[1].totals.incomplete);
    assert!(view.totals.incomplete);
}

#[test]
fn missing_quantity_line_incomplete() {
    let mut no_count = line("101", 1, 5, 0, "1", "2");
    no_count.add_quantity = None;
    no_count.add_quantity_revise = None;
    let view = final_view(1, &list_of(vec![no_count]), &mut no_images);

    let card = &view.cabinets[0].lines[0];
    assert!(card.incomplete);
    assert_eq!(card.added, "—");
    assert_eq!(card.net, "—");
    assert_eq!(card.cost_value, "—");
    assert!(view.totals.incomplete);
}

#[test]
fn picture_problem_keeps_line_complete() {
    let mut bad_picture = line("101", 1, 1, 0, "1", "2");
    bad_picture.problems.push(FieldProblem {
        field: "thumbImage".to_owned(),
        problem: "expected text".to_owned(),
    });
    let view = final_view(1, &list_of(vec![bad_picture]), &mut no_images);

    assert!(!view.cabinets[0].lines[0].incomplete);
    assert!(!view.totals.incomplete);
}

#[test]
fn negative_net() {
    let list = list_of(vec![
        line("101", 1, 0, 5, "2", "3"),
        line("102", 1, 1, 0, "2", "3"),
    ]);
    let view = final_view(1, &list, &mut no_images);

    let card = &view.cabinets[0].lines[0];
    assert_eq!(card.net, "-5");
    // -5 × 2 = -10 and -5 × 3 = -15.
    assert_eq!(card.cost_value, "-¥10.00");
    assert_eq!(card.sale_value, "-¥15.00");
    // Totals: net -5 + 1 = -4, cost -10 + 2 = -8, sale -15 + 3 = -12.
    assert_eq!(view.totals.net, "-4");
    assert_eq!(view.totals.removed, "5");
    assert_eq!(view.totals.cost_value, "-¥8.00");
    assert_eq!(view.totals.sale_value, "-¥12.00");
    assert!(!view.totals.incomplete);
}

#[test]
fn huge_value_overflow_incomplete() {
    // 12345678901234.56789 × 9223372036854775807 is about 1.1e32, beyond Decimal's 7.9e28.
    let huge = line(
        "101",
        1,
        i64::MAX,
        0,
        "12345678901234.56789",
        "12345678901234.56789",
    );
    let list = list_of(vec![huge, line("102", 1, 2, 0, "1", "3")]);
    let view = final_view(1, &list, &mut no_images);

    let card = &view.cabinets[0].lines[0];
    assert!(card.incomplete);
    assert_eq!(card.cost_value, "—");
    assert_eq!(card.sale_value, "—");
    assert_eq!(card.net, format!("+{}", i64::MAX));
    assert!(view.totals.incomplete);
    // Only the second line's 2 × 3 = 6 is summed.
    assert_eq!(view.totals.sale_value, "¥6.00");
}

#[test]
fn big_price_exact_value() {
    let big = line(
        "101",
        1,
        3,
        0,
        "12345678901234.56789",
        "12345678901234.56789",
    );
    let summary_list = list_of(vec![big]);
    let summary = summarize(&summary_list);

    // 3 × 12345678901234.56789 = 37037036703703.70367 exactly, rounded to the fen.
    let (_, figures) = summary.cabinets[0].lines[0];
    assert_eq!(figures.sale_value, Some(dec("37037036703703.70")));
    assert!(!figures.incomplete);
}

#[test]
fn total_value_overflow_incomplete() {
    // Each line is worth Decimal::MAX (about 7.9e28), so their sum overflows.
    let max = Decimal::MAX.to_string();
    let list = list_of(vec![
        line("101", 1, 1, 0, &max, &max),
        line("102", 1, 1, 0, &max, &max),
    ]);
    let summary = summarize(&list);

    let (_, first) = summary.cabinets[0].lines[0];
    assert!(!first.incomplete);
    assert!(summary.totals.incomplete);
    assert_eq!(summary.totals.sale_value, Decimal::MAX);
}

#[test]
fn net_overflow_incomplete() {
    let list = list_of(vec![line("101", 1, i64::MAX, -1, "1", "1")]);
    let summary = summarize(&list);

    let (_, figures) = summary.cabinets[0].lines[0];
    assert_eq!(figures.net, None);
    assert!(figures.incomplete);
    assert!(summary.totals.incomplete);
}

#[test]
fn total_count_overflow_incomplete() {
    let list = list_of(vec![
        line("101", 1, i64::MAX, 0, "0", "0"),
        line("102", 1, 1, 0, "0", "0"),
    ]);
    let summary = summarize(&list);

    assert!(summary.totals.incomplete);
    assert_eq!(summary.totals.added, i64::MAX);
}

// ---- Presenter ----

fn context() -> SessionContext {
    SessionContext {
        session_id: 42,
        device_no: "181200005".to_owned(),
        device_name: Some("一楼大厅".to_owned()),
        endpoint_host: "127.0.0.1:9000".to_owned(),
        endpoint: "ws://127.0.0.1:9000/x".to_owned(),
    }
}

#[test]
fn presenter_starts_connecting() {
    let presenter = Presenter::new(context());
    let view = presenter.session_view();

    assert_eq!(view.phase, "connecting");
    assert_eq!(view.tone, Tone::Progress);
    assert_eq!(view.title, Message::new("session.connecting"));
    assert_eq!(
        view.detail,
        Some(Message::new("session.detail.connecting").arg("endpoint", "127.0.0.1:9000"))
    );
    assert!(view.can_cancel);
    assert!(!view.ended);
    assert_eq!(view.revision, 0);
}

#[test]
fn presenter_connect_door_final() {
    let mut presenter = Presenter::new(context());

    let connected = presenter.on_event(&SessionEvent::Connected, &mut no_images);
    let waiting = connected.session.expect("a view after Connected");
    assert_eq!(waiting.phase, "waiting_for_door");
    assert_eq!(waiting.title, Message::new("session.waiting_for_door"));
    assert_eq!(waiting.tone, Tone::Progress);
    assert_eq!(waiting.session_id, 42);
    assert_eq!(waiting.device_no, "181200005");
    assert_eq!(waiting.device_name.as_deref(), Some("一楼大厅"));
    assert!(waiting.can_cancel);
    assert_eq!(connected.final_list, None);

    let door = SessionEvent::DoorOpened {
        message: Some("开门成功,请补货".to_owned()),
        at_ms: OPENED_AT,
    };
    let open = presenter
        .on_event(&door, &mut no_images)
        .session
        .expect("a view after DoorOpened");
    assert_eq!(open.phase, "door_open");
    assert_eq!(open.title, Message::new("session.door_open"));
    assert_eq!(open.tone, Tone::Success);
    assert_eq!(open.detail, Some(Message::new("session.detail.door_open")));
    assert_eq!(open.server_message.as_deref(), Some("开门成功,请补货"));
    assert_eq!(open.door_opened_at_ms, Some(OPENED_AT));
    assert!(open.can_cancel);
    assert!(!open.ended);
    assert!(open.revision > waiting.revision, "revisions must increase");

    let update = presenter.on_event(&SessionEvent::FinalList(three_drinks()), &mut no_images);
    let finished = update.session.expect("a view after FinalList");
    assert_eq!(finished.phase, "finished");
    assert_eq!(finished.title, Message::new("session.finished"));
    assert_eq!(finished.tone, Tone::Success);
    assert_eq!(
        finished.detail,
        Some(Message::new("session.detail.finished_record").arg("recordId", "33116"))
    );
    assert!(finished.ended);
    assert!(!finished.can_cancel);
    assert!(finished.revision > open.revision, "revisions must increase");
    let final_list = update.final_list.expect("a final view");
    assert_eq!(final_list.session_id, 42);
    assert_eq!(final_list.totals.sale_value, "¥178.50");

    let closed = presenter.on_event(&SessionEvent::Closed { close_code: 1000 }, &mut no_images);
    assert_eq!(closed.session, None);
    assert_eq!(closed.final_list, None);
    assert_eq!(presenter.state().phase(), "finished");
}

#[test]
fn presenter_empty_final() {
    let mut presenter = Presenter::new(context());
    presenter.on_event(&SessionEvent::Connected, &mut no_images);
    let empty = FinalList {
        record_id: None,
        lines: Vec::new(),
    };
    let view = presenter
        .on_event(&SessionEvent::FinalList(empty), &mut no_images)
        .session
        .unwrap();

    assert_eq!(
        view.detail,
        Some(Message::new("session.detail.finished_empty"))
    );
}

#[test]
fn presenter_repeated_door_keeps_message() {
    let mut presenter = Presenter::new(context());
    presenter.on_event(&SessionEvent::Connected, &mut no_images);
    let first = SessionEvent::DoorOpened {
        message: Some("开门成功,请补货".to_owned()),
        at_ms: OPENED_AT,
    };
    let repeat = SessionEvent::DoorOpened {
        message: None,
        at_ms: OPENED_AT + 5_000,
    };
    presenter.on_event(&first, &mut no_images);
    let update = presenter.on_event(&repeat, &mut no_images);

    assert_eq!(update.session, None);
    let view = presenter.session_view();
    assert_eq!(view.server_message.as_deref(), Some("开门成功,请补货"));
    assert_eq!(view.door_opened_at_ms, Some(OPENED_AT));
}

#[test]
fn presenter_door_failed_message() {
    let mut presenter = Presenter::new(context());
    presenter.on_event(&SessionEvent::Connected, &mut no_images);
    let event = SessionEvent::DoorFailed {
        message: Some("网络不畅,请稍后再试".to_owned()),
        code: None,
    };
    let view = presenter.on_event(&event, &mut no_images).session.unwrap();

    assert_eq!(view.phase, "door_failed");
    assert_eq!(view.title, Message::new("session.door_failed"));
    assert_eq!(view.tone, Tone::Error);
    assert_eq!(view.server_message.as_deref(), Some("网络不畅,请稍后再试"));
    assert_eq!(view.next_step, Some(Message::new("next.door_failed")));
    assert!(view.ended);
}

#[test]
fn presenter_failure_message() {
    let mut presenter = Presenter::new(context());
    presenter.on_event(&SessionEvent::Connected, &mut no_images);
    let event = SessionEvent::Failure {
        message: Some("该设备已处于补货状态".to_owned()),
        code: None,
    };
    let view = presenter.on_event(&event, &mut no_images).session.unwrap();

    assert_eq!(view.phase, "failed");
    assert_eq!(view.title, Message::new("session.failed"));
    assert_eq!(view.server_message.as_deref(), Some("该设备已处于补货状态"));
    assert_eq!(view.next_step, Some(Message::new("next.failure")));
}

#[test]
fn presenter_handshake_rejected() {
    let mut presenter = Presenter::new(context());
    let event = SessionEvent::HandshakeRejected {
        status: 401,
        body_excerpt: "invalid token".to_owned(),
    };
    let view = presenter.on_event(&event, &mut no_images).session.unwrap();

    let detail = Message::new("session.detail.handshake_rejected")
        .arg("status", "401")
        .arg("body", "invalid token");
    assert_eq!(view.detail, Some(detail));
    assert_eq!(
        view.next_step,
        Some(Message::new("next.handshake_rejected"))
    );
    assert_eq!(view.tone, Tone::Error);
}

#[test]
fn presenter_connection_lost() {
    let mut presenter = Presenter::new(context());
    presenter.on_event(&SessionEvent::Connected, &mut no_images);
    let event = SessionEvent::ConnectionLost {
        cause: LostCause::Reset,
        close_code: None,
        reason: "reset".to_owned(),
    };
    let view = presenter.on_event(&event, &mut no_images).session.unwrap();

    let detail = Message::new("session.detail.lost.reset");
    assert_eq!(view.phase, "connection_lost");
    assert_eq!(view.detail, Some(detail));
    assert_eq!(view.next_step, Some(Message::new("next.connection_lost")));
}

#[test]
fn presenter_cancelled() {
    let mut presenter = Presenter::new(context());
    presenter.on_event(&SessionEvent::Connected, &mut no_images);
    let view = presenter
        .on_event(&SessionEvent::Cancelled, &mut no_images)
        .session
        .unwrap();

    assert_eq!(view.phase, "cancelled");
    assert_eq!(view.tone, Tone::Warning);
    assert_eq!(view.next_step, Some(Message::new("next.cancelled")));
    assert!(view.ended);
}

#[test]
fn presenter_door_timed_out() {
    let mut presenter = Presenter::new(context());
    presenter.on_event(&SessionEvent::Connected, &mut no_images);
    let view = presenter
        .on_event(
            &SessionEvent::DoorTimedOut { waited_secs: 90 },
            &mut no_images,
        )
        .session
        .unwrap();

    assert_eq!(
        view.detail,
        Some(Message::new("session.detail.timed_out").arg("seconds", "90"))
    );
    assert_eq!(view.next_step, Some(Message::new("next.door_failed")));
}

#[test]
fn presenter_counts_repeated_notices() {
    let mut presenter = Presenter::new(context());
    presenter.on_event(&SessionEvent::Connected, &mut no_images);
    let bad_frame = SessionEvent::ProtocolError {
        kind: ProtocolErrorKind::MissingType,
        reason: "the frame has no `type` field".to_owned(),
        excerpt: "{}".to_owned(),
    };
    let other_frame = SessionEvent::ProtocolError {
        kind: ProtocolErrorKind::NotAnObject,
        reason: "the frame is JSON but not an object".to_owned(),
        excerpt: "[]".to_owned(),
    };
    let unknown = SessionEvent::UnknownType {
        type_name: "heartbeat".to_owned(),
    };

    let counts: Vec<Option<u64>> = [
        &bad_frame,
        &bad_frame,
        &other_frame,
        &unknown,
        &bad_frame,
        &unknown,
    ]
    .into_iter()
    .map(|event| {
        let notices = presenter.on_event(event, &mut no_images).notices;
        assert!(notices.len() <= 1, "{notices:?}");
        notices.first().map(|notice| notice.count)
    })
    .collect();

    // The third bad frame is counted but not sent: 3 is not a round count.
    assert_eq!(
        counts,
        vec![Some(1), Some(2), Some(1), Some(1), None, Some(2)]
    );
}

#[test]
fn presenter_coalesces_notice_flood() {
    let mut presenter = Presenter::new(context());
    presenter.on_event(&SessionEvent::Connected, &mut no_images);
    let unknown = SessionEvent::UnknownType {
        type_name: "heartbeat".to_owned(),
    };

    let sent: Vec<u64> = (0..9_999)
        .flat_map(|_| presenter.on_event(&unknown, &mut no_images).notices)
        .map(|notice| notice.count)
        .collect();
    assert_eq!(
        sent,
        vec![1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000]
    );

    // The end of the session sends the count that was never round.
    let lost = SessionEvent::ConnectionLost {
        cause: LostCause::Reset,
        close_code: None,
        reason: String::new(),
    };
    let last: Vec<u64> = presenter
        .on_event(&lost, &mut no_images)
        .notices
        .iter()
        .map(|notice| notice.count)
        .collect();
    assert_eq!(last, vec![9_999]);
}

#[test]
fn presenter_notice_content() {
    let mut presenter = Presenter::new(context());
    let event = SessionEvent::UnknownType {
        type_name: "heartbeat".to_owned(),
    };
    let update = presenter.on_event(&event, &mut no_images);

    let notice = &update.notices[0];
    assert_eq!(notice.session_id, 42);
    assert_eq!(
        notice.message,
        Message::new("notice.unknown_type").arg("type", "heartbeat")
    );
    // A notice does not change the session state.
    assert_eq!(update.session, None);
}

#[test]
fn presenter_ignores_events_after_end() {
    let mut presenter = Presenter::new(context());
    presenter.on_event(&SessionEvent::Connected, &mut no_images);
    presenter.on_event(&SessionEvent::Cancelled, &mut no_images);
    let late = SessionEvent::DoorOpened {
        message: Some("开门成功,请补货".to_owned()),
        at_ms: OPENED_AT,
    };
    let update = presenter.on_event(&late, &mut no_images);

    assert_eq!(update.session, None);
    assert_eq!(presenter.state().phase(), "cancelled");
}

fn interrupted(next_attempt: u32) -> SessionEvent {
    SessionEvent::Interrupted {
        cause: LostCause::ServerClosed,
        close_code: Some(1011),
        reason: "restarting".to_owned(),
        next_attempt,
        max_attempts: 5,
        delay_ms: 2_000,
        retry_at_ms: 1_700_000_002_000,
    }
}

#[test]
fn presenter_interrupted_counts_down() {
    let mut presenter = Presenter::new(context());
    presenter.on_event(&SessionEvent::Connected, &mut no_images);
    let view = presenter
        .on_event(&interrupted(2), &mut no_images)
        .session
        .unwrap();

    assert_eq!(view.phase, "interrupted");
    assert_eq!(view.tone, Tone::Warning);
    assert_eq!(view.title, Message::new("session.interrupted"));
    assert_eq!(
        view.detail,
        Some(
            Message::new("session.detail.close_code")
                .arg("code", "1011")
                .arg("reason", "restarting")
        )
    );
    let reconnect = view.reconnect.unwrap();
    assert_eq!(reconnect.attempt, 2);
    assert_eq!(reconnect.max_attempts, 5);
    assert_eq!(reconnect.retry_at_ms, Some(1_700_000_002_000));
    assert_eq!(
        reconnect.countdown,
        Message::new("session.reconnect.countdown")
            .arg("attempt", "2")
            .arg("max", "5")
    );
    // The session is still running: it can be stopped, not retried by hand.
    assert!(view.can_cancel);
    assert!(!view.ended);
    assert!(!view.can_retry);
}

#[test]
fn presenter_reconnecting_shows_attempt() {
    let mut presenter = Presenter::new(context());
    presenter.on_event(&SessionEvent::Connected, &mut no_images);
    presenter.on_event(&interrupted(1), &mut no_images);
    let view = presenter
        .on_event(
            &SessionEvent::Reconnecting {
                attempt: 1,
                max_attempts: 5,
            },
            &mut no_images,
        )
        .session
        .unwrap();

    assert_eq!(view.phase, "reconnecting");
    let reconnect = view.reconnect.unwrap();
    assert_eq!(reconnect.retry_at_ms, None);
    assert_eq!(
        reconnect.countdown,
        Message::new("session.reconnect.connecting")
            .arg("attempt", "1")
            .arg("max", "5")
    );
}

#[test]
fn presenter_lost_counts_reconnects() {
    let mut presenter = Presenter::new(context());
    presenter.on_event(&SessionEvent::Connected, &mut no_images);
    for attempt in 1..=3 {
        presenter.on_event(&interrupted(attempt), &mut no_images);
        presenter.on_event(
            &SessionEvent::Reconnecting {
                attempt,
                max_attempts: 3,
            },
            &mut no_images,
        );
    }
    let lost = SessionEvent::ConnectionLost {
        cause: LostCause::Unreachable,
        close_code: None,
        reason: "Connection refused".to_owned(),
    };
    let view = presenter.on_event(&lost, &mut no_images).session.unwrap();

    assert_eq!(view.phase, "connection_lost");
    assert_eq!(
        view.detail,
        Some(Message::new("session.detail.lost.unreachable").arg("error", "Connection refused"))
    );
    assert_eq!(
        view.next_step,
        Some(Message::new("next.reconnects_used_up").arg("count", "3"))
    );
    assert!(view.can_retry);
    assert!(view.reconnect.is_none());
}

#[test]
fn presenter_retry_only_after_failure() {
    let ended = |event: SessionEvent| {
        let mut presenter = Presenter::new(context());
        presenter.on_event(&SessionEvent::Connected, &mut no_images);
        presenter.on_event(&event, &mut no_images).session.unwrap()
    };

    assert!(!ended(SessionEvent::Cancelled).can_retry);
    assert!(
        ended(SessionEvent::DoorTimedOut { waited_secs: 90 }).can_retry,
        "a door that never opened may be tried again"
    );
    let lost = ended(SessionEvent::ConnectionLost {
        cause: LostCause::Reset,
        close_code: None,
        reason: String::new(),
    });
    assert!(lost.can_retry);
    assert_eq!(lost.next_step, Some(Message::new("next.connection_lost")));
}
