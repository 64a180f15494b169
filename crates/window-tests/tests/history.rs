//! The History screen (补货记录) of the real app window: two sessions run from the start form,
//! then listed, filtered, opened and exported.
//!
//! Screenshots go to `target/e2e-screenshots/history-*.png`.

mod support;

use std::collections::HashMap;
use std::path::PathBuf;

use anyhow::{Context, Result};
use cabinet_sim::Scenario;
use serde_json::json;
use support::{start_sim, Window};

/// Sets the value of a filter input and fires the input and change events that typing would.
async fn set_filter(window: &Window, css: &str, value: &str) -> Result<()> {
    window
        .client
        .execute(
            "const input = document.querySelector(arguments[0]); input.value = arguments[1]; \
             input.dispatchEvent(new Event('input', { bubbles: true })); \
             input.dispatchEvent(new Event('change', { bubbles: true }));",
            vec![json!(css), json!(value)],
        )
        .await?;
    Ok(())
}

/// Applies the filter form and waits until the list shows `expected` outcomes.
async fn apply_until(window: &Window, expected: &[&str]) -> Result<()> {
    window
        .wait_until(&format!("History rows {expected:?}"), || async {
            window.click("#history-apply").await?;
            tokio::time::sleep(std::time::Duration::from_millis(150)).await;
            Ok(window.history_outcomes().await? == expected)
        })
        .await
}

async fn text(window: &Window, css: &str) -> Result<String> {
    window
        .text_of(css)
        .await?
        .with_context(|| format!("no element {css}"))
}

/// Clicks an export button and returns the path of the file the page reports.
async fn export(window: &Window, button: &str, previous: Option<&str>) -> Result<PathBuf> {
    window.click(button).await?;
    window
        .wait_until("the export's saved path", || async {
            let state = window
                .attr_of("#history-export-status", "data-state")
                .await?;
            let path = window
                .attr_of("#history-export-status", "data-path")
                .await?;
            Ok(state.as_deref() == Some("saved") && path.is_some() && path.as_deref() != previous)
        })
        .await?;
    let path = window
        .attr_of("#history-export-status", "data-path")
        .await?
        .context("no data-path")?;
    let status = text(window, "#history-export-status").await?;
    assert!(status.contains(&path), "status {status:?} lacks {path}");
    Ok(PathBuf::from(path))
}

/// One row of a CSV export: each cell keyed by its column header.
type CsvRow = HashMap<String, String>;

/// Reads a CSV export into its headers and its rows.
fn read_csv(path: &PathBuf) -> Result<(Vec<String>, Vec<CsvRow>)> {
    let bytes = std::fs::read(path)?;
    assert!(
        bytes.starts_with("\u{feff}".as_bytes()),
        "{} has no UTF-8 byte-order mark",
        path.display()
    );
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
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
    Ok((headers, rows))
}

#[tokio::test(flavor = "multi_thread")]
async fn history_lists_filters_opens_and_exports() -> Result<()> {
    let drinks_sim = start_sim(Scenario::ThreeDrinks).await;
    let door_sim = start_sim(Scenario::DoorFailed).await;
    let window = Window::launch("history", &[]).await?;
    let data_dir = window.data_dir_handle();

    // Two sessions in one run: three drinks first, then a door that does not open.
    window
        .run_session_from_form(&drinks_sim, None, "finished")
        .await?;
    window.wait_for_element("#cabinets .card").await?;
    window.click("#new-session").await?;
    window
        .run_session_from_form(&door_sim, None, "door_failed")
        .await?;

    window.click("#nav-history").await?;
    window.wait_for_element("#history-screen").await?;
    assert!(!window.is_visible("#session-screen").await?);
    assert_eq!(
        window
            .attr_of("#nav-history", "aria-current")
            .await?
            .as_deref(),
        Some("page")
    );
    // The door session's end is stored just after its last event, so the list may need a reload.
    apply_until(&window, &["door_failed", "final"]).await?;

    let door_row = "#history-list .history-row:nth-child(1)";
    let drinks_row = "#history-list .history-row:nth-child(2)";
    let door_id: i64 = window
        .attr_of(door_row, "data-session-id")
        .await?
        .context("door row id")?
        .parse()?;
    let drinks_id: i64 = window
        .attr_of(drinks_row, "data-session-id")
        .await?
        .context("drinks row id")?
        .parse()?;
    assert!(
        door_id > drinks_id,
        "not newest first: {door_id} {drinks_id}"
    );

    assert_eq!(
        text(&window, &format!("{door_row} .history-outcome")).await?,
        "门没有打开"
    );
    assert_eq!(
        text(&window, &format!("{door_row} .history-server-message")).await?,
        "网络不畅,请稍后再试"
    );
    assert!(
        window
            .is_visible(&format!("{door_row} .history-no-list"))
            .await?
    );
    assert_eq!(
        text(&window, &format!("{drinks_row} .history-outcome")).await?,
        "已完成"
    );
    for row in [door_row, drinks_row] {
        let device = text(&window, &format!("{row} .history-device")).await?;
        assert!(device.contains("181200005"), "{row} device {device}");
        let time = text(&window, &format!("{row} .history-time")).await?;
        assert_eq!(time.len(), "2024-05-01 14:30:15".len(), "{row} time {time}");
    }
    assert!(text(&window, &format!("{drinks_row} .history-record-id"))
        .await?
        .contains("33116"));
    let drinks_figures = [
        (".history-added", "30"),
        (".history-removed", "0"),
        (".history-cost-value", "¥84.00"),
        (".history-sale-value", "¥178.50"),
    ];
    for (part, expected) in drinks_figures {
        assert_eq!(
            text(&window, &format!("{drinks_row} {part}")).await?,
            expected,
            "{part}"
        );
    }

    let totals = [
        (".totals-added", "30"),
        (".totals-removed", "0"),
        (".totals-cost-value", "¥84.00"),
        (".totals-sale-value", "¥178.50"),
    ];
    for (part, expected) in totals {
        assert_eq!(
            text(&window, &format!("#history-totals {part}")).await?,
            expected,
            "{part}"
        );
    }
    assert!(text(&window, "#history-totals .totals-lines")
        .await?
        .contains('2'));
    window.screenshot("list").await?;

    // One outcome at a time, with the totals of the selected sessions only.
    window
        .find("#history-filter-outcome")
        .await?
        .select_by_value("door_failed")
        .await?;
    apply_until(&window, &["door_failed"]).await?;
    assert_eq!(
        text(&window, "#history-totals .totals-sale-value").await?,
        "¥0.00"
    );
    window.screenshot("filtered").await?;
    window
        .find("#history-filter-outcome")
        .await?
        .select_by_value("final")
        .await?;
    apply_until(&window, &["final"]).await?;
    assert_eq!(
        text(&window, "#history-totals .totals-sale-value").await?,
        "¥178.50"
    );

    // A product name selects the sessions that restocked it.
    window
        .find("#history-filter-outcome")
        .await?
        .select_by_value("")
        .await?;
    window.type_into("#history-filter-product", "脉动").await?;
    apply_until(&window, &["final"]).await?;
    window
        .type_into("#history-filter-product", "没有这种商品")
        .await?;
    apply_until(&window, &[]).await?;
    assert!(window.is_visible("#history-empty").await?);
    assert!(!window.is_visible("#history-totals").await?);
    window.type_into("#history-filter-product", "").await?;

    // Reversed dates are rejected beside the field, and the list stays as it was.
    set_filter(&window, "#history-filter-from", "2030-01-02").await?;
    set_filter(&window, "#history-filter-to", "2030-01-01").await?;
    window.click("#history-apply").await?;
    window.wait_for_element("#history-error-to").await?;
    assert!(!text(&window, "#history-error-to").await?.is_empty());
    assert_eq!(
        window
            .attr_of("#history-filter-to", "aria-invalid")
            .await?
            .as_deref(),
        Some("true")
    );
    window.screenshot("date-error").await?;

    // From yesterday to today in the PC's time zone selects both sessions.
    let days = window
        .eval(
            "const day = (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`; \
             const today = new Date(); const yesterday = new Date(today); yesterday.setDate(today.getDate() - 1); \
             return [day(yesterday), day(today)];",
        )
        .await?;
    let days: Vec<String> = serde_json::from_value(days)?;
    set_filter(&window, "#history-filter-from", &days[0]).await?;
    set_filter(&window, "#history-filter-to", &days[1]).await?;
    apply_until(&window, &["door_failed", "final"]).await?;
    assert!(!window.is_visible("#history-error-to").await?);

    // The three-drinks session opens with the live screen's cards and totals.
    window
        .click("#history-list .history-row[data-outcome=\"final\"] .history-open")
        .await?;
    window.wait_for_element("#history-detail .card").await?;
    assert!(!window.is_visible("#history-list").await?);
    assert_eq!(
        window
            .attr_of("#history-final", "data-record-id")
            .await?
            .as_deref(),
        Some("33116")
    );
    assert_eq!(window.find_all("#history-detail .cabinet").await?.len(), 2);
    assert_eq!(window.find_all("#history-detail .card").await?.len(), 3);
    let names = window
        .eval("return [...document.querySelectorAll('#history-detail .card-name')].map(e => e.textContent)")
        .await?;
    let names: Vec<String> = serde_json::from_value(names)?;
    assert_eq!(names, ["阿莎姆奶茶", "可口可乐", "脉动"]);
    let first_card = "#history-detail .cabinet[data-cabinet-no=\"1\"] .card:nth-of-type(1)";
    assert_eq!(
        text(&window, &format!("{first_card} .card-sale-value")).await?,
        "¥84.50"
    );
    assert_eq!(
        text(&window, &format!("{first_card} .card-cost-value")).await?,
        "¥40.30"
    );
    assert_eq!(
        text(&window, "#history-record-totals .totals-sale-value").await?,
        "¥178.50"
    );
    assert_eq!(
        text(&window, "#history-record-totals .totals-cost-value").await?,
        "¥84.00"
    );
    assert_eq!(
        text(&window, "#history-record-totals .totals-added").await?,
        "30"
    );
    assert_eq!(
        text(&window, "#history-facts [data-fact=\"outcome\"] dd").await?,
        "已完成"
    );
    assert!(text(&window, "#history-facts [data-fact=\"device\"] dd")
        .await?
        .contains("181200005"));
    assert_eq!(
        text(&window, "#history-facts [data-fact=\"close_code\"] dd").await?,
        "1000"
    );
    assert_eq!(
        text(&window, "#history-facts [data-fact=\"record_id\"] dd").await?,
        "33116"
    );
    window
        .wait_until("three stored pictures decoded", || async {
            let loaded = window
                .eval("return [...document.querySelectorAll('#history-detail img.card-image')].filter(i => i.complete && i.naturalWidth > 0 && i.dataset.imageState === 'loaded').length")
                .await?;
            Ok(loaded.as_u64() == Some(3))
        })
        .await?;
    window.screenshot("detail").await?;

    // The failed door opens with its server message and no list.
    window.click("#history-back").await?;
    window.wait_for_element("#history-list").await?;
    window
        .click("#history-list .history-row[data-outcome=\"door_failed\"] .history-open")
        .await?;
    window
        .wait_until("the failed door's facts", || async {
            Ok(window
                .attr_of("#history-facts", "data-outcome")
                .await?
                .as_deref()
                == Some("door_failed"))
        })
        .await?;
    assert_eq!(
        text(&window, "#history-facts [data-fact=\"server_message\"] dd").await?,
        "网络不畅,请稍后再试"
    );
    assert!(window.is_visible("#history-detail-no-list").await?);
    assert_eq!(window.find_all("#history-detail .card").await?.len(), 0);
    window.screenshot("door-failed").await?;
    window.click("#history-back").await?;
    window.wait_for_element("#history-list").await?;

    // The CSV export contains the listed sessions, one row per product line.
    let csv_path = export(&window, "#history-export-csv", None).await?;
    let exports = data_dir.path().join("exports");
    assert_eq!(csv_path.parent(), Some(exports.as_path()));
    let file_name = csv_path
        .file_name()
        .and_then(|name| name.to_str())
        .context("file name")?;
    assert!(
        file_name.starts_with("补货记录-") && file_name.ends_with(".csv"),
        "{file_name}"
    );
    let (headers, rows) = read_csv(&csv_path)?;
    for header in [
        "补货时间",
        "设备号",
        "记录号",
        "结果",
        "货柜",
        "货道",
        "商品名称",
        "补货数量",
        "撤货数量",
        "库存",
        "销售价",
        "成本价",
        "销售金额",
        "成本金额",
    ] {
        assert!(
            headers.iter().any(|name| name == header),
            "no {header} in {headers:?}"
        );
    }
    assert_eq!(
        rows.len(),
        4,
        "three product rows and the failed door: {rows:?}"
    );
    let products: Vec<&CsvRow> = rows
        .iter()
        .filter(|row| !row["商品名称"].is_empty())
        .collect();
    assert_eq!(products.len(), 3, "{rows:?}");
    let expected = [
        (
            "阿莎姆奶茶",
            "1",
            "101",
            "13",
            "6.50000",
            "3.10000",
            "84.50",
            "40.30",
        ),
        (
            "可口可乐",
            "1",
            "102",
            "8",
            "5.00000",
            "2.20000",
            "40.00",
            "17.60",
        ),
        (
            "脉动", "2", "202", "9", "6.00000", "2.90000", "54.00", "26.10",
        ),
    ];
    for (name, cabinet, aisle, added, sale_price, cost_price, sale_value, cost_value) in expected {
        let row = products
            .iter()
            .find(|row| row["商品名称"] == name)
            .with_context(|| format!("no row for {name}"))?;
        assert_eq!(row["设备号"], "181200005", "{name}");
        assert_eq!(row["记录号"], "33116", "{name}");
        assert_eq!(row["结果"], "已完成", "{name}");
        assert_eq!(row["货柜"], cabinet, "{name}");
        assert_eq!(row["货道"], aisle, "{name}");
        assert_eq!(row["补货数量"], added, "{name}");
        assert_eq!(row["撤货数量"], "0", "{name}");
        assert_eq!(row["销售价"], sale_price, "{name}");
        assert_eq!(row["成本价"], cost_price, "{name}");
        assert_eq!(row["销售金额"], sale_value, "{name}");
        assert_eq!(row["成本金额"], cost_value, "{name}");
    }
    let door = rows
        .iter()
        .find(|row| row["商品名称"].is_empty())
        .context("no row for the failed door")?;
    assert_eq!(door["结果"], "开门失败");
    assert_eq!(door["设备号"], "181200005");

    let xlsx_path = export(
        &window,
        "#history-export-xlsx",
        Some(&csv_path.display().to_string()),
    )
    .await?;
    assert!(xlsx_path.starts_with(&exports), "{}", xlsx_path.display());
    assert!(xlsx_path
        .extension()
        .is_some_and(|extension| extension == "xlsx"));
    assert!(
        std::fs::read(&xlsx_path)?.starts_with(b"PK"),
        "not a ZIP container"
    );
    window.screenshot("exported").await?;

    // English relabels the rows, and names the next export in English.
    window
        .find("#language")
        .await?
        .select_by_value("en")
        .await?;
    window
        .wait_until("English rows", || async {
            Ok(window
                .text_of("#history-list .history-row[data-outcome=\"final\"] .history-outcome")
                .await?
                .as_deref()
                == Some("Completed"))
        })
        .await?;
    assert_eq!(text(&window, "#nav-history").await?, "History");
    let english_path = export(
        &window,
        "#history-export-csv",
        Some(&xlsx_path.display().to_string()),
    )
    .await?;
    let english_name = english_path
        .file_name()
        .and_then(|name| name.to_str())
        .context("file name")?;
    assert!(
        english_name.starts_with("replenish-records-"),
        "{english_name}"
    );
    let (english_headers, _) = read_csv(&english_path)?;
    assert!(english_headers.iter().any(|name| name == "Product name"));
    window.screenshot("english").await?;

    // The live page still shows the last session.
    window.click("#nav-live").await?;
    window.wait_for_element("#session-screen").await?;
    assert!(!window.is_visible("#history-screen").await?);
    assert_eq!(
        window.attr_of("#banner", "data-phase").await?.as_deref(),
        Some("door_failed")
    );

    window.close().await?;
    drinks_sim.shutdown().await;
    door_sim.shutdown().await;
    Ok(())
}
