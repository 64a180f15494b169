//! The Settings page (设置) of the real app window: a notification switch turned off stays off
//! when the app starts again on the same data folder.
//!
//! Screenshots go to `target/e2e-screenshots/settings-*.png`.

mod support;

use anyhow::{Context, Result};
use serde_json::Value;
use support::Window;

/// The checkboxes of the three notification kinds, with their labels in Chinese.
const SWITCHES: [(&str, &str); 3] = [
    ("#notify-door-open", "货柜门打开时"),
    (
        "#notify-final-list",
        "收到补货清单时（补货、撤货数量和销售金额）",
    ),
    (
        "#notify-failure",
        "补货失败时（无法连接、服务器拒绝、门没有打开、等待开门超时、连接断开）",
    ),
];

/// Opens the Settings page and waits until the backend's switches are shown, and returns
/// whether each checkbox of [`SWITCHES`] is checked.
async fn open_settings(window: &Window) -> Result<Vec<bool>> {
    window.click("#nav-settings").await?;
    window.wait_for_element("#settings-screen").await?;
    window
        .wait_until("the switches to load", || async {
            let enabled = window
                .eval("return [...document.querySelectorAll('#settings-form input[data-switch]')].every(e => !e.disabled)")
                .await?;
            Ok(enabled.as_bool() == Some(true))
        })
        .await?;

    let mut checked = Vec::new();
    for (css, _) in SWITCHES {
        let value = window
            .client
            .execute(
                "return document.querySelector(arguments[0]).checked",
                vec![serde_json::json!(css)],
            )
            .await?;
        checked.push(value.as_bool().context("checked is a boolean")?);
    }
    Ok(checked)
}

#[tokio::test(flavor = "multi_thread")]
async fn notification_switch_survives_restart() -> Result<()> {
    let window = Window::launch("settings", &[]).await?;
    let data_dir = window.data_dir_handle();

    assert_eq!(open_settings(&window).await?, [true, true, true]);
    assert!(!window.is_visible("#start-screen").await?);
    assert_eq!(
        window
            .attr_of("#nav-settings", "aria-current")
            .await?
            .as_deref(),
        Some("page")
    );
    for (css, label) in SWITCHES {
        let text = window
            .eval(&format!(
                "return document.querySelector('{css}').closest('label').textContent.trim()"
            ))
            .await?;
        assert_eq!(text.as_str(), Some(label), "{css}");
    }

    // Switching off the final-list notification saves it at once.
    window.click("#notify-final-list").await?;
    window
        .wait_until("the saved status", || async {
            Ok(window
                .attr_of("#settings-status", "data-state")
                .await?
                .as_deref()
                == Some("saved"))
        })
        .await?;
    assert_eq!(
        window.text_of("#settings-status").await?.as_deref(),
        Some("设置已保存。")
    );
    window.screenshot("switched-off").await?;
    window.close().await?;

    let file = std::fs::read_to_string(data_dir.path().join("settings.json"))?;
    let saved: Value = serde_json::from_str(&file)?;
    assert_eq!(
        saved["notifications"],
        serde_json::json!({ "doorOpen": true, "finalList": false, "failure": true }),
        "{file}"
    );

    // The same data folder starts with the switch still off.
    let window = Window::relaunch("settings-restarted", data_dir.clone(), &[]).await?;
    assert_eq!(open_settings(&window).await?, [true, false, true]);
    window.screenshot("restarted").await?;

    // Switching it on again is kept too.
    window.click("#notify-final-list").await?;
    window
        .wait_until("the saved status", || async {
            Ok(window
                .attr_of("#settings-status", "data-state")
                .await?
                .as_deref()
                == Some("saved"))
        })
        .await?;
    window.close().await?;
    let file = std::fs::read_to_string(data_dir.path().join("settings.json"))?;
    let saved: Value = serde_json::from_str(&file)?;
    assert_eq!(
        saved["notifications"]["finalList"],
        Value::Bool(true),
        "{file}"
    );
    Ok(())
}
