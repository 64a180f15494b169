//! What leaves the History screen (补货记录) of the real app window: the printed replenishment
//! slip (补货单) of one record, and the CSV and XLSX exports of a filtered list, read back.
//!
//! The slip is checked in the page, because window.print() would open a GTK dialog that blocks
//! the test. Screenshots go to `target/e2e-screenshots/history-outputs-*.png`.

mod support;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use cabinet_sim::{Scenario, DEFAULT_DEVICE_NO};
use calamine::{open_workbook, Data, Reader, Xlsx};
use serde_json::json;
use support::{start_sim, Window};

/// The device name typed into the start form.
const DEVICE_NAME: &str = "一楼大厅";

/// One line of the three-drinks list as the slip prints it: cabinet, aisle, name, added,
/// removed, cost price, sale price, cost value, sale value.
type SlipLine = [&'static str; 9];

const SLIP_LINES: [SlipLine; 3] = [
    [
        "1",
        "101",
        "阿莎姆奶茶",
        "13",
        "0",
        "¥3.10 元/件",
        "¥6.50 元/件",
        "¥40.30",
        "¥84.50",
    ],
    [
        "1",
        "102",
        "可口可乐",
        "8",
        "0",
        "¥2.20 元/件",
        "¥5.00 元/件",
        "¥17.60",
        "¥40.00",
    ],
    [
        "2",
        "202",
        "脉动",
        "9",
        "0",
        "¥2.90 元/件",
        "¥6.00 元/件",
        "¥26.10",
        "¥54.00",
    ],
];

async fn text(window: &Window, css: &str) -> Result<String> {
    window
        .text_of(css)
        .await?
        .with_context(|| format!("no element {css}"))
}

/// Returns the trimmed text of every element matching `css`, in document order.
async fn texts(window: &Window, css: &str) -> Result<Vec<String>> {
    let value = window
        .client
        .execute(
            "return [...document.querySelectorAll(arguments[0])].map(e => e.textContent.trim())",
            vec![json!(css)],
        )
        .await?;
    Ok(serde_json::from_value(value)?)
}

async fn texts_of_attribute(window: &Window, css: &str, data_name: &str) -> Result<Vec<String>> {
    let value = window
        .client
        .execute(
            "return [...document.querySelectorAll(arguments[0])].map(e => e.dataset[arguments[1]])",
            vec![json!(css), json!(data_name)],
        )
        .await?;
    Ok(serde_json::from_value(value)?)
}

/// Applies the filter form until the list shows `expected` outcomes. The end of the last session
/// is stored just after its last event, so the first load may not list it yet.
async fn apply_until(window: &Window, expected: &[&str]) -> Result<()> {
    window
        .wait_until(&format!("History rows {expected:?}"), || async {
            window.click("#history-apply").await?;
            tokio::time::sleep(std::time::Duration::from_millis(150)).await;
            Ok(window.history_outcomes().await? == expected)
        })
        .await
}

/// Opens the History screen and the record of the finished session.
async fn open_final_record(window: &Window) -> Result<()> {
    window.click("#nav-history").await?;
    window.wait_for_element("#history-screen").await?;
    apply_until(window, &["final"]).await?;
    window
        .click("#history-list .history-row[data-outcome=\"final\"] .history-open")
        .await?;
    window.wait_for_element("#history-detail .card").await
}

/// Returns whether app.css has a print rule for `selector` that sets `display` to `display`.
async fn has_print_rule(window: &Window, selector: &str, display: &str) -> Result<bool> {
    let found = window
        .client
        .execute(
            "const [selector, display] = arguments; \
             const printRules = [...document.styleSheets].flatMap(sheet => [...sheet.cssRules]) \
               .filter(rule => rule instanceof CSSMediaRule && rule.media.mediaText.includes('print')) \
               .flatMap(rule => [...rule.cssRules]); \
             return printRules.some(rule => rule.selectorText === selector && rule.style.display === display);",
            vec![json!(selector), json!(display)],
        )
        .await?;
    Ok(found.as_bool() == Some(true))
}

/// Applies the rules of app.css's print media to the screen, or removes them again. WebKit's
/// WebDriver cannot switch the page to print media, and window.print() would block on its dialog.
/// The rules go through the CSS object model, because the app's content security policy blocks
/// an inline style element.
async fn set_print_emulation(window: &Window, on: bool) -> Result<()> {
    window
        .client
        .execute(
            "const sheet = [...document.styleSheets].find(s => s.href && s.href.endsWith('app.css')); \
             if (window.printEmulationStart !== undefined) { \
               while (sheet.cssRules.length > window.printEmulationStart) { \
                 sheet.deleteRule(sheet.cssRules.length - 1); \
               } \
               delete window.printEmulationStart; \
             } \
             if (arguments[0]) { \
               const rules = [...sheet.cssRules] \
                 .filter(rule => rule instanceof CSSMediaRule && rule.media.mediaText.includes('print')) \
                 .flatMap(rule => [...rule.cssRules]) \
                 .filter(rule => !(rule instanceof CSSPageRule)); \
               window.printEmulationStart = sheet.cssRules.length; \
               for (const rule of rules) { \
                 sheet.insertRule(rule.cssText, sheet.cssRules.length); \
               } \
             }",
            vec![json!(on)],
        )
        .await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn print_slip_shows_record() -> Result<()> {
    let sim = start_sim(Scenario::ThreeDrinks).await;
    let window = Window::launch("history-outputs-slip", &[]).await?;

    window
        .run_session_from_form(&sim, Some(DEVICE_NAME), "finished")
        .await?;
    open_final_record(&window).await?;

    // The button is there, and the slip is in the page but not on screen.
    assert!(window.is_visible("#history-print").await?);
    assert_eq!(text(&window, "#history-print").await?, "打印补货单");
    assert!(!window.is_visible("#print-slip").await?);
    let session_id = window
        .attr_of("#history-detail", "data-session-id")
        .await?
        .context("no opened session")?;
    assert_eq!(
        window.attr_of("#print-slip", "data-session-id").await?,
        Some(session_id)
    );

    // Header: title, device with its name, and the session's start and end as the facts show
    // them.
    assert_eq!(text(&window, "#print-slip .slip-title").await?, "补货单");
    assert_eq!(
        text(&window, "#print-slip [data-slip=\"device\"] dd").await?,
        format!("{DEFAULT_DEVICE_NO}（{DEVICE_NAME}）")
    );
    let started = text(&window, "#history-facts [data-fact=\"started\"] dd").await?;
    let ended = text(&window, "#history-facts [data-fact=\"ended\"] dd").await?;
    assert_eq!(
        text(&window, "#print-slip [data-slip=\"time\"] dd").await?,
        format!("{started} 至 {ended}")
    );
    assert_eq!(
        text(&window, "#print-slip [data-slip=\"record_id\"] dd").await?,
        "33116"
    );

    // Lines grouped per cabinet, in the order of the final list.
    assert_eq!(
        texts_of_attribute(&window, "#print-slip .slip-cabinet", "cabinetNo").await?,
        ["1", "2"]
    );
    assert_eq!(
        texts(&window, "#print-slip .slip-cabinet-title").await?,
        ["货柜 1", "货柜 2"]
    );
    assert_eq!(
        texts(&window, "#print-slip .slip-cabinet:first-of-type thead th").await?,
        [
            "货道",
            "商品名称",
            "补货",
            "撤货",
            "成本价",
            "销售价",
            "成本金额",
            "销售金额"
        ]
    );
    for [cabinet, aisle, name, added, removed, cost_price, sale_price, cost_value, sale_value] in
        SLIP_LINES
    {
        let rows = texts(
            &window,
            &format!(
                "#print-slip .slip-cabinet[data-cabinet-no=\"{cabinet}\"] .slip-line .slip-name"
            ),
        )
        .await?;
        let position = rows
            .iter()
            .position(|row| row == name)
            .with_context(|| format!("{name} not in cabinet {cabinet}: {rows:?}"))?;
        let row = format!(
            "#print-slip .slip-cabinet[data-cabinet-no=\"{cabinet}\"] .slip-line:nth-child({})",
            position + 1
        );
        let cells = texts(&window, &format!("{row} td")).await?;
        assert_eq!(
            cells,
            [aisle, name, added, removed, cost_price, sale_price, cost_value, sale_value],
            "{name}"
        );
    }
    let subtotal = |cabinet: &str| {
        format!("#print-slip .slip-cabinet[data-cabinet-no=\"{cabinet}\"] .slip-subtotal td")
    };
    assert_eq!(
        texts(&window, &subtotal("1")).await?,
        ["21", "0", "", "", "¥57.90", "¥124.50"]
    );
    assert_eq!(
        texts(&window, &subtotal("2")).await?,
        ["9", "0", "", "", "¥26.10", "¥54.00"]
    );

    // Totals of the record, and the line to sign and date.
    let totals = [
        (".slip-total-added", "30"),
        (".slip-total-removed", "0"),
        (".slip-total-cost-value", "¥84.00"),
        (".slip-total-sale-value", "¥178.50"),
    ];
    for (part, expected) in totals {
        assert_eq!(
            text(&window, &format!("#print-slip {part}")).await?,
            expected,
            "{part}"
        );
    }
    assert_eq!(
        texts(&window, "#print-slip .slip-signature-label").await?,
        ["补货人签字", "日期"]
    );
    assert_eq!(
        window
            .find_all("#print-slip .slip-signature .slip-blank")
            .await?
            .len(),
        2
    );

    // Printing shows the slip and nothing else. The print rules, applied on screen, show it as
    // the printer gets it.
    assert!(has_print_rule(&window, ".print-slip", "block").await?);
    assert!(has_print_rule(&window, "body > :not(.print-slip)", "none").await?);
    window.screenshot("detail").await?;
    set_print_emulation(&window, true).await?;
    assert!(window.is_visible("#print-slip").await?);
    for screen_part in [".app-header", "#history-detail", "#history-print"] {
        assert!(
            !window.is_visible(screen_part).await?,
            "{screen_part} printed"
        );
    }
    window.screenshot("slip").await?;
    set_print_emulation(&window, false).await?;
    assert!(!window.is_visible("#print-slip").await?);

    // The slip follows the language.
    window
        .find("#language")
        .await?
        .select_by_value("en")
        .await?;
    window
        .wait_until("the English slip", || async {
            Ok(window.text_of("#print-slip .slip-title").await?.as_deref()
                == Some("Replenishment slip"))
        })
        .await?;
    assert_eq!(text(&window, "#history-print").await?, "Print slip");
    assert_eq!(
        texts(&window, "#print-slip .slip-cabinet-title").await?,
        ["Cabinet 1", "Cabinet 2"]
    );
    assert_eq!(
        text(&window, "#print-slip [data-slip=\"time\"] dd").await?,
        format!("{started} to {ended}")
    );

    // Back on the list, no record is open, so there is nothing to print.
    window.click("#history-back").await?;
    window.wait_for_element("#history-list").await?;
    assert_eq!(window.find_all("#print-slip > *").await?.len(), 0);
    assert!(!window.is_visible("#history-print").await?);

    window.close().await?;
    sim.shutdown().await;
    Ok(())
}

/// One row of a CSV export: each cell keyed by its column header.
type CsvRow = HashMap<String, String>;

fn read_csv(path: &Path) -> Result<Vec<CsvRow>> {
    let bytes = std::fs::read(path)?;
    let without_bom = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(&bytes);
    let mut reader = csv::Reader::from_reader(without_bom);
    let headers: Vec<String> = reader.headers()?.iter().map(str::to_owned).collect();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record?;
        rows.push(
            headers
                .iter()
                .cloned()
                .zip(record.iter().map(str::to_owned))
                .collect(),
        );
    }
    Ok(rows)
}

/// One row of an XLSX export: each cell keyed by its column header.
type XlsxRow = HashMap<String, Data>;

fn read_xlsx(path: &Path) -> Result<Vec<XlsxRow>> {
    let mut workbook: Xlsx<_> = open_workbook(path)?;
    assert_eq!(workbook.sheet_names(), ["补货记录"]);
    let range = workbook.worksheet_range("补货记录")?;
    let mut rows = range.rows();
    let headers: Vec<String> = rows
        .next()
        .context("no header row")?
        .iter()
        .map(|cell| cell.to_string())
        .collect();
    Ok(rows
        .map(|row| headers.iter().cloned().zip(row.iter().cloned()).collect())
        .collect())
}

/// Returns the value of a number cell, or `None` for any other cell, text included.
fn number(cell: &Data) -> Option<f64> {
    match cell {
        Data::Float(value) => Some(*value),
        Data::Int(value) => Some(*value as f64),
        _ => None,
    }
}

/// Clicks an export button and returns the path of the new file that the page reports.
async fn export(window: &Window, button: &str, previous: Option<&Path>) -> Result<PathBuf> {
    let previous = previous.map(|path| path.display().to_string());
    window.click(button).await?;
    window
        .wait_until("the export's saved path", || async {
            let state = window
                .attr_of("#history-export-status", "data-state")
                .await?;
            let path = window
                .attr_of("#history-export-status", "data-path")
                .await?;
            Ok(state.as_deref() == Some("saved") && path.is_some() && path != previous)
        })
        .await?;
    let path = window
        .attr_of("#history-export-status", "data-path")
        .await?
        .context("no data-path")?;
    Ok(PathBuf::from(path))
}

#[tokio::test(flavor = "multi_thread")]
async fn filtered_exports_read_back() -> Result<()> {
    let drinks_sim = start_sim(Scenario::ThreeDrinks).await;
    let door_sim = start_sim(Scenario::DoorFailed).await;
    let window = Window::launch("history-outputs-export", &[]).await?;
    let exports = window.data_dir_handle().path().join("exports");

    window
        .run_session_from_form(&drinks_sim, Some(DEVICE_NAME), "finished")
        .await?;
    window.wait_for_element("#cabinets .card").await?;
    window.click("#new-session").await?;
    window
        .run_session_from_form(&door_sim, Some(DEVICE_NAME), "door_failed")
        .await?;

    // Both sessions are stored; the filter keeps only the finished one.
    window.click("#nav-history").await?;
    window.wait_for_element("#history-screen").await?;
    apply_until(&window, &["door_failed", "final"]).await?;
    window
        .find("#history-filter-outcome")
        .await?
        .select_by_value("final")
        .await?;
    apply_until(&window, &["final"]).await?;

    let csv_path = export(&window, "#history-export-csv", None).await?;
    assert_eq!(csv_path.parent(), Some(exports.as_path()));
    assert!(csv_path.is_file(), "{} missing", csv_path.display());
    let status = text(&window, "#history-export-status").await?;
    assert!(status.contains(&csv_path.display().to_string()), "{status}");

    let csv_rows = read_csv(&csv_path)?;
    let names: Vec<&str> = csv_rows
        .iter()
        .map(|row| row["商品名称"].as_str())
        .collect();
    assert_eq!(
        names,
        ["阿莎姆奶茶", "可口可乐", "脉动"],
        "only the finished session"
    );
    for row in &csv_rows {
        assert_eq!(row["结果"], "已完成");
        assert_eq!(row["设备号"], DEFAULT_DEVICE_NO.to_string());
        assert_eq!(row["记录号"], "33116");
    }
    let csv_added: Vec<&str> = csv_rows
        .iter()
        .map(|row| row["补货数量"].as_str())
        .collect();
    assert_eq!(csv_added, ["13", "8", "9"]);
    let csv_sale_values: Vec<&str> = csv_rows
        .iter()
        .map(|row| row["销售金额"].as_str())
        .collect();
    assert_eq!(csv_sale_values, ["84.50", "40.00", "54.00"]);

    let xlsx_path = export(&window, "#history-export-xlsx", Some(&csv_path)).await?;
    assert_eq!(xlsx_path.parent(), Some(exports.as_path()));
    assert!(xlsx_path.extension().is_some_and(|ext| ext == "xlsx"));
    window.screenshot("exported").await?;

    let xlsx_rows = read_xlsx(&xlsx_path)?;
    assert_eq!(xlsx_rows.len(), 3, "only the finished session's lines");
    let expected = [
        ("阿莎姆奶茶", "101", 13.0, 6.5, 3.1, 84.5, 40.3),
        ("可口可乐", "102", 8.0, 5.0, 2.2, 40.0, 17.6),
        ("脉动", "202", 9.0, 6.0, 2.9, 54.0, 26.1),
    ];
    for (row, (name, aisle, added, sale_price, cost_price, sale_value, cost_value)) in
        xlsx_rows.iter().zip(expected)
    {
        assert_eq!(row["商品名称"], Data::String(name.to_owned()));
        assert_eq!(row["货道"], Data::String(aisle.to_owned()), "{name}");
        assert_eq!(
            row["设备号"],
            Data::String(DEFAULT_DEVICE_NO.to_string()),
            "{name}"
        );
        assert_eq!(row["记录号"], Data::String("33116".to_owned()), "{name}");
        assert_eq!(row["结果"], Data::String("已完成".to_owned()), "{name}");
        let numbers = [
            ("补货数量", added),
            ("撤货数量", 0.0),
            ("销售价", sale_price),
            ("成本价", cost_price),
            ("销售金额", sale_value),
            ("成本金额", cost_value),
        ];
        for (column, value) in numbers {
            assert_eq!(
                number(&row[column]),
                Some(value),
                "{name} {column}: {:?}",
                row[column]
            );
        }
    }

    window.close().await?;
    drinks_sim.shutdown().await;
    door_sim.shutdown().await;
    Ok(())
}
