//! The page may call the app's own commands and nothing else: the plugins that the backend uses
//! (notifications, updater, launch links) refuse calls from the page.

mod support;

use anyhow::{ensure, Result};
use serde_json::{json, Value};
use support::Window;

/// Invokes `command` from the page and returns `{ ok }` or `{ failed }` with the error text.
async fn invoke(window: &Window, command: &str) -> Result<Value> {
    let outcome = window
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             window.__TAURI__.core
               .invoke(arguments[0], {})
               .then((value) => done({ ok: value ?? null }), (error) => done({ failed: String(error) }));",
            vec![json!(command)],
        )
        .await?;
    Ok(outcome)
}

#[tokio::test(flavor = "multi_thread")]
async fn plugins_reject_page_calls() -> Result<()> {
    let window = Window::launch("permissions", &[]).await?;

    let own = invoke(&window, "connection_settings").await?;
    ensure!(own.get("ok").is_some(), "connection_settings: {own}");

    for command in [
        "plugin:notification|is_permission_granted",
        "plugin:updater|check",
        "plugin:deep-link|get_current",
        "plugin:fs|read_text_file",
        "plugin:shell|open",
    ] {
        let outcome = invoke(&window, command).await?;
        let failed = outcome
            .get("failed")
            .and_then(Value::as_str)
            .unwrap_or_default();
        ensure!(!failed.is_empty(), "{command} answered the page: {outcome}");
    }

    window.close().await?;
    Ok(())
}
