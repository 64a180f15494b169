//! `replenish records export` over sessions that real `watch` runs stored: the CSV and XLSX files
//! read back, compared with record_store's own export for the same filter, and every refusal.

mod common;

use std::path::{Path, PathBuf};

use calamine::{open_workbook, Data, Reader, Xlsx};
use common::history::*;
use common::*;
use i18n::Language;
use record_store::export::{export_csv, export_xlsx, ExportOptions, ExportTimeZone};
use record_store::history::HistoryRequest;
use record_store::RecordStore;

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

/// Column indexes of the export, in the order of the headers above.
const RECORD_ID: usize = 3;
const OUTCOME: usize = 4;
const CABINET: usize = 5;
const PRODUCT_NAME: usize = 8;
const ADDED: usize = 11;
const NET: usize = 13;
const SALE_PRICE: usize = 15;
const COST_PRICE: usize = 16;
const SALE_VALUE: usize = 17;
const COST_VALUE: usize = 18;

/// Runs `records export --format FORMAT --output OUTPUT` with more `arguments`.
async fn export(history: &Path, format: &str, output: &Path, arguments: &[&str]) -> Run {
    let mut args = vec![
        "export".to_owned(),
        "--format".to_owned(),
        format.to_owned(),
        "--output".to_owned(),
        output.display().to_string(),
    ];
    args.extend(arguments.iter().map(|argument| argument.to_string()));
    records(&args, history).await
}

/// Splits a CSV export into its header and rows, after checking and removing the byte-order mark.
fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let bytes = std::fs::read(path).unwrap();
    let body = bytes
        .strip_prefix("\u{feff}".as_bytes())
        .expect("the CSV starts with a UTF-8 byte-order mark");
    let mut reader = csv::ReaderBuilder::new().from_reader(body);
    let header = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|record| record.unwrap().iter().map(str::to_owned).collect())
        .collect();
    (header, rows)
}

fn read_xlsx(path: &Path) -> (String, Vec<Vec<Data>>) {
    let mut workbook: Xlsx<_> = open_workbook(path).unwrap();
    let name = workbook.sheet_names()[0].clone();
    let range = workbook.worksheet_range(&name).unwrap();
    (name, range.rows().map(<[Data]>::to_vec).collect())
}

/// Writes record_store's own export of the sessions that the History filter `request` selects,
/// as the app does, and returns its path.
fn library_export(
    history: &Path,
    request: &HistoryRequest,
    language: Language,
    format: &str,
    folder: &Path,
) -> PathBuf {
    let store = RecordStore::open(&history.join("records")).unwrap();
    let filter = request.to_filter(ExportTimeZone::Local).unwrap();
    let sessions = store.load_sessions(&filter).unwrap();
    let options = ExportOptions {
        language,
        time_zone: ExportTimeZone::Local,
    };
    let path = folder.join(format!("library.{format}"));
    match format {
        "csv" => export_csv(&sessions, &options, std::fs::File::create(&path).unwrap()).unwrap(),
        _ => export_xlsx(&sessions, &options, &path).unwrap(),
    }
    path
}

fn rows_named<'a>(rows: &'a [Vec<String>], name: &str) -> Vec<&'a Vec<String>> {
    rows.iter()
        .filter(|row| row[PRODUCT_NAME] == name)
        .collect()
}

#[tokio::test]
async fn csv_in_chinese_has_exact_values() {
    let history = recorded_history().await;
    let out = tempfile::tempdir().unwrap();
    let path = out.path().join("补货记录.csv");

    let run = export(history.path(), "csv", &path, &[]).await;

    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(run.stdout.contains("已导出 5 次补货"), "{}", run.stdout);
    assert!(run.stdout.contains("补货记录.csv"), "{}", run.stdout);

    let (header, rows) = read_csv(&path);
    assert_eq!(header, CHINESE_HEADERS);
    // Three product lines of session 1, and one row each for sessions 2 to 5.
    assert_eq!(rows.len(), 7, "{rows:?}");

    let milk_tea = rows_named(&rows, "阿莎姆奶茶");
    assert_eq!(milk_tea.len(), 1, "the list is stored once: {rows:?}");
    let milk_tea = milk_tea[0];
    assert_eq!(milk_tea[RECORD_ID], "33116");
    assert_eq!(milk_tea[OUTCOME], "已完成");
    assert_eq!(milk_tea[CABINET], "1");
    assert_eq!(milk_tea[ADDED], "13");
    assert_eq!(milk_tea[NET], "13");
    assert_eq!(milk_tea[SALE_PRICE], "6.50000");
    assert_eq!(milk_tea[COST_PRICE], "3.10000");
    assert_eq!(milk_tea[SALE_VALUE], "84.50");
    assert_eq!(milk_tea[COST_VALUE], "40.30");

    let cola = rows_named(&rows, "可口可乐")[0];
    assert_eq!(cola[ADDED], "8");
    assert_eq!(cola[SALE_VALUE], "40.00");
    assert_eq!(cola[COST_VALUE], "17.60");

    let mizone = rows_named(&rows, "脉动")[0];
    assert_eq!(mizone[CABINET], "2");
    assert_eq!(mizone[SALE_VALUE], "54.00");
    assert_eq!(mizone[COST_VALUE], "26.10");

    let outcomes: Vec<&str> = rows.iter().map(|row| row[OUTCOME].as_str()).collect();
    assert!(outcomes.contains(&"重复清单（见会话 1）"), "{outcomes:?}");
    assert!(outcomes.contains(&"开门失败"), "{outcomes:?}");
    assert!(outcomes.contains(&"服务器拒绝"), "{outcomes:?}");
}

#[tokio::test]
async fn csv_equals_library_export() {
    let history = recorded_history().await;
    let out = tempfile::tempdir().unwrap();
    let cases: [(&[&str], HistoryRequest, Language); 4] = [
        (&[], HistoryRequest::default(), Language::ZhCn),
        (
            &["--language", "en", "--outcome", "final"],
            HistoryRequest {
                outcome: "final".to_owned(),
                ..HistoryRequest::default()
            },
            Language::En,
        ),
        (
            &["--device", "181200006"],
            HistoryRequest {
                device_no: "181200006".to_owned(),
                ..HistoryRequest::default()
            },
            Language::ZhCn,
        ),
        (
            &["--product", "脉动", "--language", "en"],
            HistoryRequest {
                product: "脉动".to_owned(),
                ..HistoryRequest::default()
            },
            Language::En,
        ),
    ];

    for (index, (arguments, request, language)) in cases.iter().enumerate() {
        let path = out.path().join(format!("cli-{index}.csv"));
        let run = export(history.path(), "csv", &path, arguments).await;
        assert_eq!(run.code, Some(0), "{arguments:?}: {run:?}");

        let library = library_export(history.path(), request, *language, "csv", out.path());

        assert_eq!(
            std::fs::read(&path).unwrap(),
            std::fs::read(&library).unwrap(),
            "{arguments:?}"
        );
    }
}

#[tokio::test]
async fn csv_in_english_has_english_headers() {
    let history = recorded_history().await;
    let out = tempfile::tempdir().unwrap();
    let path = out.path().join("records.csv");

    let run = export(
        history.path(),
        "CSV",
        &path,
        &["--language", "en", "--outcome", "door_failed"],
    )
    .await;

    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(
        run.stdout.contains("Exported 1 sessions to"),
        "{}",
        run.stdout
    );
    let (header, rows) = read_csv(&path);
    assert_eq!(header, ENGLISH_HEADERS);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][OUTCOME], "door did not open");
    assert_eq!(rows[0][1], DEVICE_B.to_string());
    assert_eq!(rows[0][PRODUCT_NAME], "");
}

#[tokio::test]
async fn xlsx_has_typed_exact_cells() {
    let history = recorded_history().await;
    let out = tempfile::tempdir().unwrap();
    let path = out.path().join("records.xlsx");

    let run = export(history.path(), "xlsx", &path, &["--outcome", "final"]).await;

    assert_eq!(run.code, Some(0), "{run:?}");
    let (sheet, rows) = read_xlsx(&path);
    assert_eq!(sheet, "补货记录");
    let header: Vec<String> = rows[0].iter().map(ToString::to_string).collect();
    assert_eq!(header, CHINESE_HEADERS);
    // Sessions 3 (empty) and 2 (duplicate) get a row each, session 1 one per line.
    assert_eq!(rows.len(), 6, "{rows:?}");

    let milk_tea = rows
        .iter()
        .find(|row| row[PRODUCT_NAME] == Data::String("阿莎姆奶茶".to_owned()))
        .expect("a row of 阿莎姆奶茶");
    assert!(
        matches!(milk_tea[0], Data::DateTime(_)),
        "{:?}",
        milk_tea[0]
    );
    assert_eq!(milk_tea[RECORD_ID], Data::String("33116".to_owned()));
    assert_eq!(milk_tea[CABINET], Data::Float(1.0));
    assert_eq!(milk_tea[ADDED], Data::Float(13.0));
    assert_eq!(milk_tea[NET], Data::Float(13.0));
    assert_eq!(milk_tea[SALE_PRICE], Data::Float(6.5));
    assert_eq!(milk_tea[COST_PRICE], Data::Float(3.1));
    assert_eq!(milk_tea[SALE_VALUE], Data::Float(84.5));
    assert_eq!(milk_tea[COST_VALUE], Data::Float(40.3));

    let mizone = rows
        .iter()
        .find(|row| row[PRODUCT_NAME] == Data::String("脉动".to_owned()))
        .expect("a row of 脉动");
    assert_eq!(mizone[COST_VALUE], Data::Float(26.1));
}

#[tokio::test]
async fn xlsx_equals_library_export() {
    let history = recorded_history().await;
    let out = tempfile::tempdir().unwrap();
    let path = out.path().join("cli.xlsx");

    let run = export(
        history.path(),
        "xlsx",
        &path,
        &["--language", "en", "--device", "181200005"],
    )
    .await;
    assert_eq!(run.code, Some(0), "{run:?}");
    let request = HistoryRequest {
        device_no: "181200005".to_owned(),
        ..HistoryRequest::default()
    };
    let library = library_export(history.path(), &request, Language::En, "xlsx", out.path());

    // The files differ in their creation time, so their cells are compared.
    let (cli_sheet, cli_rows) = read_xlsx(&path);
    let (library_sheet, library_rows) = read_xlsx(&library);
    assert_eq!(cli_sheet, "Replenishments");
    assert_eq!(cli_sheet, library_sheet);
    assert_eq!(cli_rows, library_rows);
    let header: Vec<String> = cli_rows[0].iter().map(ToString::to_string).collect();
    assert_eq!(header, ENGLISH_HEADERS);
    assert_eq!(cli_rows.len(), 6);
}

#[tokio::test]
async fn existing_file_is_kept() {
    let history = recorded_history().await;
    let out = tempfile::tempdir().unwrap();
    let path = out.path().join("records.csv");
    std::fs::write(&path, "keep me").unwrap();

    let english = export(history.path(), "csv", &path, &["--language", "en"]).await;
    let chinese = export(history.path(), "xlsx", &path, &[]).await;

    assert_eq!(english.code, Some(73), "{english:?}");
    assert!(
        english.stderr.contains(&format!(
            "The file {} already exists and was left unchanged.",
            path.display()
        )),
        "{}",
        english.stderr
    );
    assert!(english.stderr.contains("--force"), "{}", english.stderr);
    assert_eq!(chinese.code, Some(73), "{chinese:?}");
    assert!(
        chinese.stderr.contains("已存在，没有改动"),
        "{}",
        chinese.stderr
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "keep me");
    assert_eq!(leftovers(out.path()), Vec::<String>::new());
}

#[tokio::test]
async fn force_replaces_file() {
    let history = recorded_history().await;
    let out = tempfile::tempdir().unwrap();
    let path = out.path().join("records.xlsx");
    std::fs::write(&path, "old").unwrap();

    let run = export(history.path(), "xlsx", &path, &["--force"]).await;

    assert_eq!(run.code, Some(0), "{run:?}");
    let (_, rows) = read_xlsx(&path);
    assert_eq!(rows.len(), 8);
    assert_eq!(leftovers(out.path()), Vec::<String>::new());
}

#[tokio::test]
async fn nothing_selected_exits_1() {
    let history = recorded_history().await;
    let out = tempfile::tempdir().unwrap();
    let path = out.path().join("records.csv");

    let run = export(
        history.path(),
        "csv",
        &path,
        &["--product", "咖啡", "--language", "en"],
    )
    .await;

    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(
        run.stderr
            .contains("No session matches the filter, so no file was exported."),
        "{}",
        run.stderr
    );
    assert!(!path.exists());
}

#[tokio::test]
async fn missing_database_exports_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("records.csv");

    let run = export(dir.path(), "csv", &path, &[]).await;

    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(run.stderr.contains("没有保存补货记录"), "{}", run.stderr);
    assert!(!path.exists());
}

#[tokio::test]
async fn missing_folder_exits_73() {
    let history = recorded_history().await;
    let out = tempfile::tempdir().unwrap();
    let folder = out.path().join("no-such-folder");
    let path = folder.join("records.csv");

    let run = export(history.path(), "csv", &path, &["--language", "en"]).await;

    assert_eq!(run.code, Some(73), "{run:?}");
    assert!(
        run.stderr.contains(&format!(
            "No file can be created in the folder {}:",
            folder.display()
        )),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("choose another --output"),
        "{}",
        run.stderr
    );
    assert!(!folder.exists());
}

#[tokio::test]
async fn file_as_folder_exits_73() {
    let history = recorded_history().await;
    let out = tempfile::tempdir().unwrap();
    let not_a_folder = out.path().join("plain-file");
    std::fs::write(&not_a_folder, "x").unwrap();

    let run = export(history.path(), "xlsx", &not_a_folder.join("r.xlsx"), &[]).await;

    assert_eq!(run.code, Some(73), "{run:?}");
    assert!(run.stderr.contains("无法在文件夹"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&not_a_folder).unwrap(), "x");
}

/// A folder without write permission. The superuser writes anywhere, so the test only runs for
/// other users.
#[cfg(unix)]
#[tokio::test]
async fn read_only_folder_exits_73() {
    use std::os::unix::fs::PermissionsExt;

    // SAFETY: geteuid only reads the process's credentials.
    if unsafe { libc::geteuid() } == 0 {
        eprintln!("skipped: the superuser may write into a read-only folder");
        return;
    }
    let history = recorded_history().await;
    let out = tempfile::tempdir().unwrap();
    let folder = out.path().join("read-only");
    std::fs::create_dir(&folder).unwrap();
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o555)).unwrap();

    let run = export(
        history.path(),
        "csv",
        &folder.join("r.csv"),
        &["--language", "en"],
    )
    .await;

    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(run.code, Some(73), "{run:?}");
    assert!(run.stderr.contains("Permission denied"), "{}", run.stderr);
}

#[tokio::test]
async fn unknown_format_exits_64() {
    let history = recorded_history().await;
    let out = tempfile::tempdir().unwrap();
    let path = out.path().join("records.pdf");

    let english = export(history.path(), "pdf", &path, &["--language", "en"]).await;
    let chinese = export(history.path(), "xls", &path, &[]).await;

    assert_eq!(english.code, Some(64), "{english:?}");
    assert!(
        english
            .stderr
            .contains("--format “pdf” is not supported. Use csv or xlsx."),
        "{}",
        english.stderr
    );
    assert!(
        english
            .stderr
            .contains("Run “replenish records export --help” to see the options."),
        "{}",
        english.stderr
    );
    assert_eq!(chinese.code, Some(64), "{chinese:?}");
    assert!(
        chinese
            .stderr
            .contains("不支持 --format “xls”。请用 csv 或 xlsx。"),
        "{}",
        chinese.stderr
    );
    assert!(!path.exists());
}

#[tokio::test]
async fn bad_filters_exit_64() {
    let history = recorded_history().await;
    let out = tempfile::tempdir().unwrap();
    let path = out.path().join("records.csv");
    let cases: [(&[&str], &str); 4] = [
        (&["--outcome", "ok"], "--outcome “ok” is not an outcome."),
        (
            &["--from", "2024-5-32"],
            "--from: “2024-5-32” is not a valid date.",
        ),
        (
            &["--from", "2024-06-01", "--to", "2024-05-31"],
            "--from 2024-06-01 is after --to 2024-05-31.",
        ),
        (
            &["--device", "abc"],
            "--device “abc” is not a device number.",
        ),
    ];

    for (arguments, expected) in cases {
        let mut all = arguments.to_vec();
        all.extend(["--language", "en"]);
        let run = export(history.path(), "csv", &path, &all).await;

        assert_eq!(run.code, Some(64), "{arguments:?}: {run:?}");
        assert!(
            run.stderr.contains(expected),
            "{expected} in {}",
            run.stderr
        );
        assert!(!path.exists(), "{arguments:?}");
    }
}

#[tokio::test]
async fn missing_output_exits_64() {
    let dir = tempfile::tempdir().unwrap();

    let run = records(
        &["export", "--format", "csv", "--language", "en"],
        dir.path(),
    )
    .await;

    assert_eq!(run.code, Some(64), "{run:?}");
    assert!(run.stderr.contains("--output"), "{}", run.stderr);
}

#[tokio::test]
async fn export_help_in_both_languages() {
    let chinese = run(&["records", "export", "--help"]).await;
    let english = run(&["--language", "en", "records", "export", "--help"]).await;

    assert_eq!(chinese.code, Some(0), "{chinese:?}");
    assert!(chinese.stdout.contains("文件格式"), "{}", chinese.stdout);
    assert!(chinese.stdout.contains("--force"), "{}", chinese.stdout);
    assert!(english.stdout.contains("File format"), "{}", english.stdout);
    assert!(
        english.stdout.contains("no file was written"),
        "{}",
        english.stdout
    );
}

/// Returns the temporary files an export left in `folder`.
fn leftovers(folder: &Path) -> Vec<String> {
    std::fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".part"))
        .collect()
}
