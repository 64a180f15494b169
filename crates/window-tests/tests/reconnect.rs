//! Reconnecting in the real window: the countdown after a dropped connection, the session that
//! goes on over the new connection, and the manual retry once the attempts are used up.

mod support;

use anyhow::{ensure, Result};
use cabinet_sim::{Scenario, SimConfig};
use serde_json::json;
use support::{files_under, session_args, start_sim, Window};

#[tokio::test(flavor = "multi_thread")]
async fn dropped_connection_counts_down_and_finishes() -> Result<()> {
    let sim = start_sim(Scenario::DropOnce1011).await;
    let window = Window::launch("reconnect-finishes", &session_args(&sim)).await?;

    window.follow_phases_until("interrupted").await?;
    let countdown = window
        .text_of("#banner-reconnect")
        .await?
        .unwrap_or_default();
    window.screenshot("countdown").await?;
    // "连接中断，1 秒后第 1 次重连（最多 5 次）": the seconds left tick, the rest is fixed.
    ensure!(
        countdown.starts_with("连接中断，") && countdown.contains("秒后第 1 次重连（最多 5 次）"),
        "countdown reads {countdown:?}"
    );
    let detail = window.text_of("#banner-detail").await?.unwrap_or_default();
    ensure!(detail.contains("1011"), "detail reads {detail:?}");

    window.follow_phases_until("finished").await?;
    window.wait_for_element(".card").await?;
    assert_eq!(window.find_all(".card").await?.len(), 3);
    assert!(!window.is_visible("#banner-reconnect").await?);
    assert!(!window.is_visible("#retry-session").await?);
    assert_eq!(sim.connection_count(), 2);

    window.close().await?;
    sim.shutdown().await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn used_up_attempts_offer_retry() -> Result<()> {
    // One reconnect attempt, typed into the Settings page and saved, then a new start.
    let first = Window::launch("retry-settings", &[]).await?;
    first.click("#nav-settings").await?;
    first.wait_for_element("#connection-form").await?;
    first
        .wait_until("the connection settings to load", || async {
            Ok(first
                .eval("return document.querySelector('#reconnect-attempts').value")
                .await?
                == json!("5"))
        })
        .await?;

    // Out of range: the backend says why beside the field and keeps the old value.
    first.type_into("#reconnect-attempts", "11").await?;
    first.click("#connection-save").await?;
    first.wait_for_element("#error-reconnectAttempts").await?;
    let error = first
        .text_of("#error-reconnectAttempts")
        .await?
        .unwrap_or_default();
    ensure!(
        error == "自动重连次数必须是 0 到 10 的整数，而不是“11”。",
        "error reads {error:?}"
    );

    first.type_into("#reconnect-attempts", "1").await?;
    first.type_into("#door-wait-secs", "60").await?;
    first.click("#connection-save").await?;
    first
        .wait_for_element("#connection-status[data-state=\"saved\"]")
        .await?;
    ensure!(!first.is_visible("#error-reconnectAttempts").await?);
    first.screenshot("connection-settings").await?;
    let data_dir = first.data_dir_handle();
    first.close().await?;

    let sim = start_sim(Scenario::Close1008Always).await;
    let window = Window::relaunch("retry", data_dir, &session_args(&sim)).await?;

    window.follow_phases_until("connection_lost").await?;
    window.screenshot("attempts-used-up").await?;
    let next_step = window
        .text_of("#banner-next-step")
        .await?
        .unwrap_or_default();
    ensure!(
        next_step.contains("已自动重连 1 次"),
        "next step reads {next_step:?}"
    );
    assert_eq!(sim.connection_count(), 2);
    assert!(window.is_visible("#retry-session").await?);

    // The retry starts the same session again: same endpoint, device and token.
    window.click("#retry-session").await?;
    window.follow_phases_until("interrupted").await?;
    ensure!(
        sim.connection_count() >= 3,
        "the retry opened no connection: {} in all",
        sim.connection_count()
    );

    let data_dir = window.data_dir_handle();
    window.close().await?;
    sim.shutdown().await;

    // Reconnects and the retry logged their URLs and errors: none may carry the token, raw or
    // percent-encoded, in the log, the settings, the journal or the records.
    let token = SimConfig::default().token;
    let encoded = token.replace('-', "%2D");
    for path in files_under(data_dir.path()) {
        let content = String::from_utf8_lossy(&std::fs::read(&path)?).into_owned();
        ensure!(
            !content.contains(&token) && !content.contains(&encoded),
            "token found in {}",
            path.display()
        );
    }
    Ok(())
}
