//! CSV and XLSX exports, read back with the `csv` and `calamine` crates.

mod common;

use calamine::{open_workbook, Data, Reader, Xlsx};
use chrono::NaiveDate;
use common::*;
use record_store::export::{export_csv, export_xlsx, ExportOptions, ExportTimeZone, Language};
use record_store::{Ending, Filter, Outcome, RecordStore, StoredSession};

const CHINESE_HEADERS: [&str; 19] = [
    "补货时间",
    "设备号",
    "设备名称",
    "记录号",
    "结果",
    "货柜",
    "货道",
    "商品ID",
    "商品名称",
    "类型",
    "单位",
    "补货数量",
    "撤货数量",
    "净变化",
    "库存",
    "销售价",
    "成本价",
    "销售金额",
    "成本金额",
];

const ENGLISH_HEADERS: [&str; 19] = [
    "Time",
    "Device no.",
    "Device name",
    "Record id",
    "Outcome",
    "Cabinet",
    "Aisle",
    "Product id",
    "Product name",
    "Category",
    "Unit",
    "Added",
    "Removed",
    "Net change",
    "Stock",
    "Sale price",
    "Cost price",
    "Sale value",
    "Cost value",
];

/// UTC+8, China Standard Time.
const CHINA: ExportTimeZone = ExportTimeZone::FixedOffset {
    seconds_east: 8 * 3600,
};

/// Stores the hard final list (started 2024-05-01 00:00 UTC) and a refused session an hour later,
/// and loads both, newest first.
fn stored_sessions(dir: &std::path::Path) -> Vec<StoredSession> {
    let store = RecordStore::open(dir).unwrap();
    let with_list = store
        .begin_session(&new_session(MAY_FIRST_2024_MS))
        .unwrap();
    store
        .record_final(
            with_list,
            &final_list(HARD_FINAL_FRAME),
            MAY_FIRST_2024_MS + 60_000,
        )
        .unwrap();

    let refused = store
        .begin_session(&new_session(MAY_FIRST_2024_MS + 3_600_000))
        .unwrap();
    store
        .end_session(
            refused,
            &Ending {
                outcome: Outcome::Failure,
                server_message: Some("有人正在购物".to_owned()),
                code: None,
                close_code: Some(1000),
                detail: None,
                at_ms: MAY_FIRST_2024_MS + 3_601_000,
            },
        )
        .unwrap();

    store.load_sessions(&Filter::default()).unwrap()
}

fn csv_bytes(sessions: &[StoredSession], options: &ExportOptions) -> Vec<u8> {
    let mut bytes = Vec::new();
    export_csv(sessions, options, &mut bytes).unwrap();
    bytes
}

/// Parses CSV bytes after the byte-order mark into the header and the rows.
fn parse_csv(bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    let without_bom = bytes
        .strip_prefix("\u{feff}".as_bytes())
        .expect("BOM first");
    let mut reader = csv::Reader::from_reader(without_bom);
    let headers = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|record| record.unwrap().iter().map(str::to_owned).collect())
        .collect();
    (headers, rows)
}

fn chinese() -> ExportOptions {
    ExportOptions {
        language: Language::ZhCn,
        time_zone: CHINA,
    }
}

#[test]
fn csv_starts_with_bom_and_chinese_headers() {
    let dir = tempfile::tempdir().unwrap();
    let sessions = stored_sessions(dir.path());

    let bytes = csv_bytes(&sessions, &chinese());

    assert_eq!(&bytes[..3], &[0xEF, 0xBB, 0xBF]);
    assert!(
        bytes.windows(2).any(|pair| pair == b"\r\n"),
        "CRLF line ends"
    );
    let (headers, rows) = parse_csv(&bytes);
    assert_eq!(headers, CHINESE_HEADERS);
    assert_eq!(
        rows.len(),
        1 + 4,
        "one row for the refused session, one per line"
    );
}

#[test]
fn csv_english_headers() {
    let dir = tempfile::tempdir().unwrap();
    let sessions = stored_sessions(dir.path());
    let options = ExportOptions {
        language: Language::En,
        time_zone: CHINA,
    };

    let (headers, rows) = parse_csv(&csv_bytes(&sessions, &options));

    assert_eq!(headers, ENGLISH_HEADERS);
    assert_eq!(rows[0][4], "refused by server");
    assert_eq!(rows[2][10], "yuan/jin");
}

#[test]
fn csv_session_without_lines_has_one_row() {
    let dir = tempfile::tempdir().unwrap();
    let sessions = stored_sessions(dir.path());

    let (_, rows) = parse_csv(&csv_bytes(&sessions, &chinese()));

    let refused = &rows[0];
    assert_eq!(refused[0], "2024-05-01 09:00:00");
    assert_eq!(refused[1], "181200005");
    assert_eq!(refused[2], "一楼东门柜");
    assert_eq!(refused[3], "");
    assert_eq!(refused[4], "服务器拒绝");
    assert!(refused[5..].iter().all(String::is_empty), "{refused:?}");
}

#[test]
fn csv_lines_have_exact_values() {
    let dir = tempfile::tempdir().unwrap();
    let sessions = stored_sessions(dir.path());

    let (_, rows) = parse_csv(&csv_bytes(&sessions, &chinese()));

    // Cabinet 1 first, aisles in numeric order: 101, then 0102.
    let tea = &rows[1];
    let expected_tea = [
        "2024-05-01 08:00:00",
        "181200005",
        "一楼东门柜",
        "900000000000000001",
        "已完成",
        "1",
        "101",
        "3297",
        "阿莎姆奶茶",
        "饮料",
        "元/件",
        "13",
        "0",
        "13",
        "41",
        "6.50000",
        "3.10000",
        "84.50",
        "40.30",
    ];
    assert_eq!(tea, &expected_tea);

    let peanuts = &rows[2];
    assert_eq!(peanuts[6], "0102");
    assert_eq!(peanuts[10], "元/斤");
    assert_eq!(peanuts[11], "4", "the corrected count");
    assert_eq!(peanuts[13], "3");
    assert_eq!(peanuts[15], "12345678901234.56789");
    // 3 × 12345678901234.56789 is 37037036703703.70367, rounded to the fen like every line value.
    assert_eq!(peanuts[17], "37037036703703.70");
    assert_eq!(peanuts[18], "24.75");
}

#[test]
fn csv_missing_figures_stay_empty() {
    let dir = tempfile::tempdir().unwrap();
    let sessions = stored_sessions(dir.path());

    let (_, rows) = parse_csv(&csv_bytes(&sessions, &chinese()));

    let no_cost = &rows[3];
    assert_eq!(no_cost[9], "", "typeName was null");
    assert_eq!(no_cost[16], "", "costPrice was missing");
    assert_eq!(no_cost[18], "");
    assert_eq!(no_cost[17], "9.0");
}

#[test]
fn csv_guards_formula_text() {
    let dir = tempfile::tempdir().unwrap();
    let sessions = stored_sessions(dir.path());

    let (_, rows) = parse_csv(&csv_bytes(&sessions, &chinese()));

    assert_eq!(rows[3][8], "'=HYPERLINK(\"http://evil.example\",\"x\")");
    let cola = &rows[4];
    assert_eq!(
        cola[8], "Cola, \"Zero\"\nLine",
        "quoting keeps comma, quotes, line break"
    );
    assert_eq!(cola[9], "'-drinks");
    assert_eq!(cola[13], "-3", "numbers keep their minus sign");
    assert_eq!(cola[17], "-9.00");
}

#[test]
fn csv_rejects_invalid_offset() {
    let options = ExportOptions {
        language: Language::ZhCn,
        time_zone: ExportTimeZone::FixedOffset {
            seconds_east: 100_000,
        },
    };

    let result = export_csv(&[], &options, Vec::new());

    assert!(result.is_err());
}

#[test]
fn csv_local_time_zone_works() {
    let dir = tempfile::tempdir().unwrap();
    let sessions = stored_sessions(dir.path());
    let options = ExportOptions {
        language: Language::ZhCn,
        time_zone: ExportTimeZone::Local,
    };

    let (_, rows) = parse_csv(&csv_bytes(&sessions, &options));

    let expected = chrono::DateTime::from_timestamp_millis(MAY_FIRST_2024_MS as i64)
        .unwrap()
        .with_timezone(&chrono::Local)
        .format("%Y-%m-%d %H:%M:%S")
        .to_string();
    assert_eq!(rows[1][0], expected);
}

fn xlsx_range(sessions: &[StoredSession], options: &ExportOptions) -> calamine::Range<Data> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.xlsx");
    export_xlsx(sessions, options, &path).unwrap();

    let mut workbook: Xlsx<_> = open_workbook(&path).unwrap();
    let sheet_names = workbook.sheet_names();
    let expected_name = match options.language {
        Language::ZhCn => "补货记录",
        Language::En => "Replenishments",
    };
    assert_eq!(sheet_names, vec![expected_name.to_owned()]);
    workbook.worksheet_range(expected_name).unwrap()
}

fn text(cell: &Data) -> String {
    match cell {
        Data::String(text) => text.clone(),
        other => panic!("expected a text cell, got {other:?}"),
    }
}

fn number(cell: &Data) -> f64 {
    match cell {
        Data::Float(value) => *value,
        Data::Int(value) => *value as f64,
        other => panic!("expected a number cell, got {other:?}"),
    }
}

#[test]
fn xlsx_has_headers_in_language() {
    let dir = tempfile::tempdir().unwrap();
    let sessions = stored_sessions(dir.path());

    for (language, expected) in [
        (Language::ZhCn, CHINESE_HEADERS),
        (Language::En, ENGLISH_HEADERS),
    ] {
        let options = ExportOptions {
            language,
            time_zone: CHINA,
        };
        let range = xlsx_range(&sessions, &options);

        let headers: Vec<String> = range.rows().next().unwrap().iter().map(text).collect();
        assert_eq!(headers, expected);
        assert_eq!(range.height(), 1 + 5);
    }
}

#[test]
fn xlsx_cells_are_typed() {
    let dir = tempfile::tempdir().unwrap();
    let sessions = stored_sessions(dir.path());

    let range = xlsx_range(&sessions, &chinese());
    let tea: Vec<&Data> = range.rows().nth(2).unwrap().iter().collect();

    let Data::DateTime(time) = tea[0] else {
        panic!("expected a date cell, got {:?}", tea[0]);
    };
    let expected_time = NaiveDate::from_ymd_opt(2024, 5, 1)
        .unwrap()
        .and_hms_opt(8, 0, 0)
        .unwrap();
    let drift = time.as_datetime().unwrap() - expected_time;
    assert!(drift.num_milliseconds().abs() < 1, "{drift}");

    assert_eq!(text(tea[1]), "181200005");
    assert_eq!(text(tea[3]), "900000000000000001", "ids stay exact as text");
    assert_eq!(number(tea[5]), 1.0);
    assert_eq!(text(tea[6]), "101");
    assert_eq!(text(tea[7]), "3297");
    assert_eq!(text(tea[8]), "阿莎姆奶茶");
    assert_eq!(number(tea[11]), 13.0);
    assert_eq!(number(tea[15]), 6.5);
    assert_eq!(number(tea[16]), 3.1);
    assert_eq!(number(tea[17]), 84.5);
    assert_eq!(number(tea[18]), 40.3);
}

#[test]
fn xlsx_keeps_text_as_sent() {
    let dir = tempfile::tempdir().unwrap();
    let sessions = stored_sessions(dir.path());

    let range = xlsx_range(&sessions, &chinese());
    let rows: Vec<&[Data]> = range.rows().collect();

    assert_eq!(
        text(&rows[4][8]),
        "=HYPERLINK(\"http://evil.example\",\"x\")",
        "a text cell is never a formula, so no apostrophe"
    );
    assert_eq!(rows[4][16], Data::Empty, "missing cost price");
    assert_eq!(number(&rows[5][13]), -3.0);
    // XLSX stores the nearest double, exact to about 15 significant digits.
    let nearest: f64 = "12345678901234.56789".parse().unwrap();
    assert_eq!(number(&rows[3][15]), nearest);
    assert_eq!(text(&rows[1][4]), "服务器拒绝");
    assert_eq!(rows[1][8], Data::Empty);
}

#[test]
fn xlsx_write_failure_names_path() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("missing-folder").join("export.xlsx");

    let error = export_xlsx(&[], &chinese(), &path).unwrap_err();

    assert!(error.to_string().contains("missing-folder"), "{error}");
}
