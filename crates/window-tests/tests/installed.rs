//! The app as installed from its `.deb`, started as a desktop launcher starts it: without
//! `--data-dir`, so it keeps its files in the user's folders.
//!
//! scripts/package-test.sh builds and installs the package, points `REPLENISH_DESK_INSTALLED` at
//! the installed binary and the XDG folders at a scratch home, and runs this ignored test with
//! `--ignored`, so `cargo test` alone needs no installed package.

mod support;

use std::path::PathBuf;

use anyhow::{Context, Result};
use record_store::{Filter, Outcome, RecordStore};
use support::Window;

/// The app's identifier in tauri.conf.json, which names its folder under the user's data folder.
const APP_IDENTIFIER: &str = "com.replenishdesk.app";

/// The drinks of the demo's three-drinks scenario, in the order the cards show them.
const DRINK_NAMES: [&str; 3] = ["阿莎姆奶茶", "可口可乐", "脉动"];

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the installed .deb: run through scripts/package-test.sh"]
async fn installed_app_demo_shows_drinks() -> Result<()> {
    let binary = support::installed_binary().context(
        "REPLENISH_DESK_INSTALLED is not set: scripts/package-test.sh sets it to the binary that \
         the .deb installed",
    )?;

    // The app writes to the user's data folder, so the caller must point it at a scratch folder
    // and the real user's records stay untouched.
    let data_home = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .context(
            "XDG_DATA_HOME is not set: point it at a scratch folder before running this test",
        )?;

    let window =
        Window::launch_installed("installed-demo", &binary, &["--demo".to_owned()]).await?;
    window.follow_phases_until("finished").await?;
    window.wait_for_element(".card").await?;

    let names = window
        .eval("return [...document.querySelectorAll('.card .card-name')].map(e => e.textContent.trim())")
        .await?;
    let names: Vec<&str> = names
        .as_array()
        .context("card names are not a list")?
        .iter()
        .filter_map(|name| name.as_str())
        .collect();
    assert_eq!(names, DRINK_NAMES, "card names");

    window
        .wait_until("all three pictures decoded", || async {
            let loaded = window
                .eval("return [...document.querySelectorAll('img.card-image')].filter(i => i.complete && i.naturalWidth > 0 && i.dataset.imageState === 'loaded').length")
                .await?;
            Ok(loaded.as_u64() == Some(3))
        })
        .await?;

    // A decoded picture is painted on a later frame, so the screenshot waits for two frames.
    window
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
            vec![],
        )
        .await?;
    window.screenshot("final").await?;
    window.close().await?;

    // The demo session was recorded in the user's data folder, where a real session would be.
    let records = data_home.join(APP_IDENTIFIER).join("records");
    let store = RecordStore::open(&records)
        .with_context(|| format!("no record store in {}", records.display()))?;
    let sessions = store.list_sessions(&Filter::default())?;
    let newest = sessions.first().context("no session recorded")?;
    assert_eq!(newest.outcome, Outcome::Final, "{sessions:?}");
    assert_eq!(newest.totals.line_count, 3, "{sessions:?}");
    Ok(())
}
