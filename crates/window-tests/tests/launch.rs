//! Second launches and launch links: the running window receives the session, and the second
//! process hands over and exits instead of opening a window of its own.
//!
//! Each window runs on its own D-Bus session bus (see `support/session_bus.rs`), which the
//! single-instance plugin uses on Linux to find the running app.

mod support;

use std::time::Duration;

use anyhow::Result;
use cabinet_sim::{RunningSim, Scenario, SimConfig};
use support::{files_under, session_args, start_sim, start_sim_with, Window};

/// Builds `replenish-desk://session?…` for `sim`, form-urlencoded as a back office would.
fn launch_link(sim: &RunningSim) -> String {
    let defaults = SimConfig::default();
    let query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("endpoint", &sim.ws_endpoint())
        .append_pair("deviceNo", &defaults.device_no.to_string())
        .append_pair("token", &defaults.token)
        .finish();
    format!("replenish-desk://session?{query}")
}

/// Waits for the final list of the three-drinks scenario and checks its cards.
async fn expect_three_drinks(window: &Window) -> Result<()> {
    window.follow_phases_until("finished").await?;
    window.wait_for_element(".card").await?;
    assert_eq!(window.find_all(".cabinet").await?.len(), 2);
    assert_eq!(window.find_all(".card").await?.len(), 3);
    assert_eq!(
        window.attr_of("#final", "data-record-id").await?.as_deref(),
        Some("33116")
    );
    Ok(())
}

/// Checks that the app never opened a second window.
async fn expect_one_window(window: &Window) -> Result<()> {
    let handles = window.client.windows().await?;
    assert_eq!(handles.len(), 1, "window handles: {handles:?}");
    Ok(())
}

/// Returns the page's visible text, where a token must never appear.
async fn page_text(window: &Window) -> Result<String> {
    let text = window.eval("return document.body.innerText").await?;
    Ok(text.as_str().unwrap_or_default().to_owned())
}

#[tokio::test(flavor = "multi_thread")]
async fn second_launch_arguments_start_session() -> Result<()> {
    let sim = start_sim(Scenario::ThreeDrinks).await;
    let window = Window::launch("second-launch-args", &[]).await?;
    window.wait_for_element("#start-form").await?;

    let status = window.launch_again(&session_args(&sim)).await?;
    assert!(status.success(), "second launch exited with {status}");

    expect_three_drinks(&window).await?;
    expect_one_window(&window).await?;
    assert_eq!(
        sim.connections().len(),
        1,
        "one session reached the simulator"
    );
    window.screenshot("final").await?;
    window.close().await?;
    sim.shutdown().await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn second_launch_link_starts_session() -> Result<()> {
    let sim = start_sim(Scenario::ThreeDrinks).await;
    let window = Window::launch("second-launch-link", &[]).await?;
    window.wait_for_element("#start-form").await?;

    let status = window.launch_again(&[launch_link(&sim)]).await?;
    assert!(status.success(), "second launch exited with {status}");

    expect_three_drinks(&window).await?;
    expect_one_window(&window).await?;
    let token = SimConfig::default().token;
    assert!(!page_text(&window).await?.contains(&token));
    window.screenshot("final").await?;
    let data_dir = window.data_dir_handle();
    window.close().await?;
    sim.shutdown().await;

    // The link reached the app's log and records, but its token must be in neither.
    let files = files_under(data_dir.path());
    assert!(!files.is_empty(), "the app wrote no files");
    for file in files {
        let content = std::fs::read(&file)?;
        let found = content
            .windows(token.len())
            .any(|window| window == token.as_bytes());
        assert!(!found, "the token is in {}", file.display());
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn first_launch_link_starts_session() -> Result<()> {
    let sim = start_sim(Scenario::ThreeDrinks).await;
    let window = Window::launch("first-launch-link", &[launch_link(&sim)]).await?;

    expect_three_drinks(&window).await?;
    window.screenshot("final").await?;
    window.close().await?;
    sim.shutdown().await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn invalid_links_show_reason() -> Result<()> {
    const TOKEN: &str = "LinkTokenMustStayHidden42";
    let window =
        Window::launch("invalid-link", &["--language".to_owned(), "en".to_owned()]).await?;
    window.wait_for_element("#start-form").await?;

    // A wrong scheme is rejected as a whole, with the catalogue's message above the form.
    let status = window
        .launch_again(&[format!(
            "https://session?endpoint=ws://127.0.0.1:9/x&deviceNo=7&token={TOKEN}"
        )])
        .await?;
    assert!(status.success(), "second launch exited with {status}");
    window.wait_for_element("#form-error").await?;
    let reason = window.text_of("#form-error").await?.unwrap_or_default();
    assert!(reason.contains("https://"), "form error: {reason}");
    assert!(
        reason.contains("replenish-desk://session"),
        "form error: {reason}"
    );
    window.screenshot("wrong-scheme").await?;

    // Invalid fields are shown beside the fields, with the link's values filled in.
    let status = window
        .launch_again(&[format!(
            "replenish-desk://session?endpoint=http%3A%2F%2F127.0.0.1%3A9%2Fx&deviceNo=12ab&token={TOKEN}"
        )])
        .await?;
    assert!(status.success(), "second launch exited with {status}");
    window.wait_for_element("#error-device-no").await?;
    assert!(window.is_visible("#error-endpoint").await?);
    assert!(!window.is_visible("#form-error").await?);
    let device = window
        .eval("return document.querySelector('#device-no').value")
        .await?;
    assert_eq!(device.as_str(), Some("12ab"));
    let endpoint = window
        .eval("return document.querySelector('#endpoint-custom').value")
        .await?;
    assert_eq!(endpoint.as_str(), Some("http://127.0.0.1:9/x"));
    let token_input = window
        .eval("return document.querySelector('#token').value")
        .await?;
    assert_eq!(token_input.as_str(), Some(""));

    assert!(!page_text(&window).await?.contains(TOKEN));
    expect_one_window(&window).await?;
    window.screenshot("invalid-fields").await?;
    window.close().await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn second_launch_keeps_running_session() -> Result<()> {
    // The door stays open long enough for the second launch to arrive mid-session.
    let sim = start_sim_with(SimConfig {
        scenario: Scenario::ThreeDrinks,
        door_delay: Duration::from_millis(300),
        door_open_for: Duration::from_secs(8),
        ..SimConfig::default()
    })
    .await;
    let window = Window::launch(
        "second-launch-busy",
        &[
            session_args(&sim),
            vec!["--language".to_owned(), "en".to_owned()],
        ]
        .concat(),
    )
    .await?;
    window.follow_phases_until("door_open").await?;

    let other_device = "990000001";
    let status = window
        .launch_again(&[
            "--endpoint".to_owned(),
            sim.ws_endpoint(),
            "--device".to_owned(),
            other_device.to_owned(),
            "--token".to_owned(),
            "another-token-123".to_owned(),
        ])
        .await?;
    assert!(status.success(), "second launch exited with {status}");

    window.wait_for_element("#app-error").await?;
    let message = window.text_of("#app-error").await?.unwrap_or_default();
    assert!(message.contains(other_device), "message: {message}");
    assert!(
        message.contains("another session is running"),
        "message: {message}"
    );
    window.screenshot("busy").await?;

    // The same device with a new token is a new session too, so it waits as well.
    let device = SimConfig::default().device_no.to_string();
    let status = window
        .launch_again(&[
            "--endpoint".to_owned(),
            sim.ws_endpoint(),
            "--device".to_owned(),
            device.clone(),
            "--token".to_owned(),
            "newer-token-456".to_owned(),
        ])
        .await?;
    assert!(status.success(), "second launch exited with {status}");
    window
        .wait_until("the busy message for the same device", || async {
            let message = window.text_of("#app-error").await?.unwrap_or_default();
            Ok(message.contains(&device) && message.contains("another session is running"))
        })
        .await?;

    // The running session goes on to its final list, and the second one never connected.
    expect_three_drinks(&window).await?;
    assert_eq!(sim.connections().len(), 1);
    window.close().await?;
    sim.shutdown().await;
    Ok(())
}
