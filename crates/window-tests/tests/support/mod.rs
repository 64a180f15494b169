//! Shared harness of the window tests: a tauri-driver per test, the app launched through it,
//! a cabinet simulator on loopback, and helpers to read the page.

#![allow(dead_code)]

mod session_bus;

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use cabinet_sim::{RunningSim, Scenario, SimConfig};
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};
use session_bus::SessionBus;

/// How long a page condition may take to become true before the test fails.
pub const WAIT: Duration = Duration::from_secs(20);

/// Returns the app binary under test.
pub fn app_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("REPLENISH_DESK_BINARY") {
        return PathBuf::from(path);
    }
    workspace_root().join("target/debug/replenish-desk")
}

/// Returns the installed app binary named by `REPLENISH_DESK_INSTALLED`, or `None` when no
/// installed package is to be tested. scripts/package-test.sh sets it after `dpkg -i`.
pub fn installed_binary() -> Option<PathBuf> {
    std::env::var_os("REPLENISH_DESK_INSTALLED").map(PathBuf::from)
}

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .expect("free port")
}

/// Starts the simulator with short, test-friendly timings.
pub async fn start_sim(scenario: Scenario) -> RunningSim {
    start_sim_with(SimConfig {
        scenario,
        door_delay: Duration::from_millis(1200),
        door_open_for: Duration::from_millis(1500),
        ..SimConfig::default()
    })
    .await
}

pub async fn start_sim_with(config: SimConfig) -> RunningSim {
    cabinet_sim::start(config)
        .await
        .expect("cabinet-sim starts")
}

/// Returns the command-line arguments that start a session against `sim` at once.
pub fn session_args(sim: &RunningSim) -> Vec<String> {
    let defaults = SimConfig::default();
    vec![
        "--endpoint".to_owned(),
        sim.ws_endpoint(),
        "--device".to_owned(),
        defaults.device_no.to_string(),
        "--token".to_owned(),
        defaults.token,
    ]
}

/// One app window driven through its own tauri-driver.
pub struct Window {
    pub client: Client,
    driver: Child,
    /// The `--data-dir` the app was started with; `None` when it uses the user's own folders.
    data_dir: Option<std::sync::Arc<tempfile::TempDir>>,
    name: String,
    /// The app's own session bus; declared after `driver`, so it stops after the app.
    bus: SessionBus,
}

impl Window {
    /// Launches the app with `args` plus a fresh `--data-dir`, and waits for the page to load.
    pub async fn launch(name: &str, args: &[String]) -> Result<Self> {
        let data_dir = tempfile::tempdir()?;
        let mut all_args = vec![
            "--data-dir".to_owned(),
            data_dir.path().display().to_string(),
        ];
        all_args.extend_from_slice(args);
        Self::start(name, &app_binary(), all_args, Some(data_dir)).await
    }

    /// Launches `binary` with `args` alone, as a desktop launcher does, so the app keeps its
    /// settings, records and logs in the user's folders (under `XDG_DATA_HOME` and its siblings).
    pub async fn launch_installed(name: &str, binary: &Path, args: &[String]) -> Result<Self> {
        Self::start(name, binary, args.to_vec(), None).await
    }

    /// Launches the app again on the data folder of an earlier window, which must be closed, so a
    /// test can check what the app kept between runs.
    pub async fn relaunch(
        name: &str,
        data_dir: std::sync::Arc<tempfile::TempDir>,
        args: &[String],
    ) -> Result<Self> {
        let mut all_args = vec![
            "--data-dir".to_owned(),
            data_dir.path().display().to_string(),
        ];
        all_args.extend_from_slice(args);
        let mut window = Self::start(name, &app_binary(), all_args, None).await?;
        window.data_dir = Some(data_dir);
        Ok(window)
    }

    async fn start(
        name: &str,
        application: &Path,
        args: Vec<String>,
        data_dir: Option<tempfile::TempDir>,
    ) -> Result<Self> {
        let bus = SessionBus::start()?;
        let port = free_port();
        let native_port = free_port();
        let driver = Command::new("tauri-driver")
            .env("DBUS_SESSION_BUS_ADDRESS", bus.address())
            // The private bus has no accessibility bus to start, so GTK's bridge would only warn.
            .env("NO_AT_BRIDGE", "1")
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native_port.to_string(),
            ])
            // The app logs to stderr in debug builds; warnings are enough beside the test output.
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            // Its own process group, so the app and WebKitWebDriver that it starts can be stopped
            // together when a test fails before closing the session.
            .process_group(0)
            .spawn()
            .context(
                "tauri-driver did not start: install it with `cargo install tauri-driver --locked`",
            )?;

        let capabilities = json!({
            "tauri:options": { "application": application, "args": args }
        });
        let capabilities = capabilities.as_object().cloned().expect("object");

        let url = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        let client = loop {
            let attempt = ClientBuilder::new(HttpConnector::new())
                .capabilities(capabilities.clone())
                .connect(&url)
                .await;
            match attempt {
                Ok(client) => break client,
                Err(error) if started.elapsed() < WAIT => {
                    eprintln!("waiting for tauri-driver on port {port}: {error}");
                    tokio::time::sleep(Duration::from_millis(250)).await;
                }
                Err(error) => bail!("no WebDriver session after {WAIT:?}: {error}"),
            }
        };

        let window = Self {
            client,
            driver,
            data_dir: data_dir.map(std::sync::Arc::new),
            name: name.to_owned(),
            bus,
        };
        window.wait_for_element("body[data-ready=\"true\"]").await?;
        Ok(window)
    }

    /// Returns the app's data folder, which outlives the window so its files can be read after
    /// the app has closed and flushed them.
    pub fn data_dir_handle(&self) -> std::sync::Arc<tempfile::TempDir> {
        self.data_dir
            .clone()
            .expect("only a window started by `launch` has its own data folder")
    }

    /// Runs the app binary again with `args`, on this window's session bus, as a second
    /// double-click or an opened link does, and returns its exit status. The second launch hands
    /// its arguments to this window and exits, so it fails the test when it is still running
    /// after [`WAIT`].
    pub async fn launch_again(&self, args: &[String]) -> Result<std::process::ExitStatus> {
        let mut second = Command::new(app_binary())
            .args(args)
            .env("DBUS_SESSION_BUS_ADDRESS", self.bus.address())
            .env("NO_AT_BRIDGE", "1")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .context("starting the app a second time")?;

        let started = Instant::now();
        loop {
            if let Some(status) = second.try_wait()? {
                return Ok(status);
            }
            if started.elapsed() > WAIT {
                let _ = second.kill();
                let _ = second.wait();
                let _ = self.screenshot("second-launch-running").await;
                bail!("the second launch still ran after {WAIT:?}: it opened its own window instead of handing over");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Saves a screenshot as `target/e2e-screenshots/<test>-<step>.png`.
    pub async fn screenshot(&self, step: &str) -> Result<PathBuf> {
        let folder = workspace_root().join("target/e2e-screenshots");
        std::fs::create_dir_all(&folder)?;
        let path = folder.join(format!("{}-{step}.png", self.name));
        let png = self.client.screenshot().await?;
        std::fs::write(&path, png)?;
        Ok(path)
    }

    pub async fn find(&self, css: &str) -> Result<Element> {
        self.client
            .find(Locator::Css(css))
            .await
            .with_context(|| format!("element {css} not found"))
    }

    pub async fn find_all(&self, css: &str) -> Result<Vec<Element>> {
        Ok(self.client.find_all(Locator::Css(css)).await?)
    }

    /// Runs `script` in the page and returns its value.
    pub async fn eval(&self, script: &str) -> Result<Value> {
        Ok(self.client.execute(script, vec![]).await?)
    }

    /// Returns the text content of the first element matching `css`, or `None` when absent.
    pub async fn text_of(&self, css: &str) -> Result<Option<String>> {
        let value = self
            .client
            .execute(
                "const e = document.querySelector(arguments[0]); return e ? e.textContent : null;",
                vec![json!(css)],
            )
            .await?;
        Ok(value.as_str().map(|text| text.trim().to_owned()))
    }

    /// Returns an attribute of the first element matching `css`.
    pub async fn attr_of(&self, css: &str, name: &str) -> Result<Option<String>> {
        let value = self
            .client
            .execute(
                "const e = document.querySelector(arguments[0]); return e ? e.getAttribute(arguments[1]) : null;",
                vec![json!(css), json!(name)],
            )
            .await?;
        Ok(value.as_str().map(str::to_owned))
    }

    /// True when the element exists and is rendered (not hidden, not display:none).
    pub async fn is_visible(&self, css: &str) -> Result<bool> {
        let value = self
            .client
            .execute(
                "const e = document.querySelector(arguments[0]); return !!e && !e.closest('[hidden]') && e.getClientRects().length > 0;",
                vec![json!(css)],
            )
            .await?;
        Ok(value.as_bool().unwrap_or(false))
    }

    pub async fn wait_for_element(&self, css: &str) -> Result<()> {
        self.wait_until(&format!("element {css}"), || async {
            self.is_visible(css).await
        })
        .await
    }

    /// Polls `check` until it returns true, failing after [`WAIT`] with `what` in the message.
    pub async fn wait_until<F, Fut>(&self, what: &str, mut check: F) -> Result<()>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<bool>>,
    {
        let started = Instant::now();
        loop {
            if check().await? {
                return Ok(());
            }
            if started.elapsed() > WAIT {
                let _ = self.screenshot("timeout").await;
                bail!("timed out after {WAIT:?} waiting for {what}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Runs one session from the start form against `sim`, with the simulator's device and token
    /// and `device_name` if given, and waits for the banner to show `phase`.
    pub async fn run_session_from_form(
        &self,
        sim: &RunningSim,
        device_name: Option<&str>,
        phase: &str,
    ) -> Result<()> {
        self.wait_for_element("#start-form").await?;
        self.find("#endpoint-preset")
            .await?
            .select_by_value("custom")
            .await?;
        self.type_into("#endpoint-custom", &sim.ws_endpoint())
            .await?;
        self.type_into("#device-no", &sim.config().device_no.to_string())
            .await?;
        self.type_into("#token", &sim.config().token).await?;
        if let Some(name) = device_name {
            self.type_into("#device-name", name).await?;
        }
        self.click("#connect").await?;
        self.follow_phases_until(phase).await?;
        Ok(())
    }

    /// Returns the `data-outcome` of every History row, top to bottom.
    pub async fn history_outcomes(&self) -> Result<Vec<String>> {
        let outcomes = self
            .eval("return [...document.querySelectorAll('#history-list .history-row')].map(r => r.dataset.outcome)")
            .await?;
        Ok(serde_json::from_value(outcomes)?)
    }

    /// Waits for the banner to show `phase`, and returns every phase seen on the way, in order.
    pub async fn follow_phases_until(&self, phase: &str) -> Result<Vec<String>> {
        let mut seen: Vec<String> = Vec::new();
        let started = Instant::now();
        loop {
            if let Some(current) = self.attr_of("#banner", "data-phase").await? {
                if seen.last() != Some(&current) {
                    seen.push(current.clone());
                }
                if current == phase {
                    return Ok(seen);
                }
            }
            if started.elapsed() > WAIT {
                let _ = self.screenshot("timeout").await;
                bail!("timed out waiting for phase {phase}; phases seen: {seen:?}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Replaces the value of an input.
    pub async fn type_into(&self, css: &str, text: &str) -> Result<()> {
        let element = self.find(css).await?;
        element.clear().await?;
        if !text.is_empty() {
            element.send_keys(text).await?;
        }

        // WebKitWebDriver may return before the page has handled every key, so wait for the value.
        self.wait_until(&format!("{css} to hold the typed text"), || async {
            let value = self
                .client
                .execute(
                    "return document.querySelector(arguments[0]).value",
                    vec![json!(css)],
                )
                .await?;
            Ok(value.as_str() == Some(text))
        })
        .await
    }

    pub async fn click(&self, css: &str) -> Result<()> {
        self.find(css).await?.click().await?;
        Ok(())
    }

    /// Ends the WebDriver session, which closes the app, and stops the driver.
    pub async fn close(mut self) -> Result<()> {
        let closed = self.client.clone().close().await;
        stop_process_group(&mut self.driver);
        closed?;
        Ok(())
    }
}

impl Drop for Window {
    fn drop(&mut self) {
        stop_process_group(&mut self.driver);
    }
}

/// Kills a child started with `process_group(0)` and everything it started.
fn stop_process_group(child: &mut Child) {
    let group = format!("-{}", child.id());
    let killed = Command::new("kill")
        .args(["-KILL", "--", &group])
        .stderr(Stdio::null())
        .status();
    if !killed.is_ok_and(|status| status.success()) {
        let _ = child.kill();
    }
    let _ = child.wait();
}

/// Lists every file under `folder`, recursively.
pub fn files_under(folder: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![folder.to_path_buf()];
    while let Some(current) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&current) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files
}
