//! The updater against a static update server on loopback: a package signed with a key made at
//! test time passes verification, and a tampered copy of it is rejected.
//!
//! The key pair comes from the Tauri CLI (`tauri signer generate`, from `npm ci`), and the debug
//! app trusts its public key through `--update-pubkey`. The test stops after the download and its
//! verification: installing on Linux replaces the running executable, here target/debug's.

mod support;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use anyhow::{bail, Context, Result};
use axum::extract::{Path as UrlPath, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;
use support::{workspace_root, Window};

const NEW_VERSION: &str = "0.2.0";
const NOTES: &str = "Faster start.\n新增：启动链接。";

/// A key pair made by `tauri signer generate`, with an empty password.
struct SigningKey {
    private_key: PathBuf,
    public_key: String,
}

fn tauri_cli() -> Result<PathBuf> {
    let cli = workspace_root().join("node_modules/.bin/tauri");
    if !cli.exists() {
        bail!(
            "the Tauri CLI is missing at {}: run `npm ci` in the repository first",
            cli.display()
        );
    }
    Ok(cli)
}

fn generate_key(folder: &Path) -> Result<SigningKey> {
    let private_key = folder.join("update.key");
    let status = Command::new(tauri_cli()?)
        .args([
            "signer",
            "generate",
            "--ci",
            "--password",
            "",
            "--write-keys",
        ])
        .arg(&private_key)
        .stdout(Stdio::null())
        .status()
        .context("running tauri signer generate")?;
    if !status.success() {
        bail!("tauri signer generate failed with {status}");
    }
    let public_key = std::fs::read_to_string(folder.join("update.key.pub"))?;
    Ok(SigningKey {
        private_key,
        public_key: public_key.trim().to_owned(),
    })
}

/// Signs `package` and returns the signature, as the release workflow puts it in latest.json.
fn sign(key: &SigningKey, package: &Path) -> Result<String> {
    let status = Command::new(tauri_cli()?)
        .args([
            "signer",
            "sign",
            "--password",
            "",
            "--app-version",
            NEW_VERSION,
        ])
        .arg("--private-key-path")
        .arg(&key.private_key)
        .arg(package)
        .stdout(Stdio::null())
        .status()
        .context("running tauri signer sign")?;
    if !status.success() {
        bail!("tauri signer sign failed with {status}");
    }
    let signature = std::fs::read_to_string(format!("{}.sig", package.display()))?;
    Ok(signature.trim().to_owned())
}

/// The files the update server serves, and how often each package was downloaded.
struct Release {
    good: Vec<u8>,
    tampered: Vec<u8>,
    signature: String,
    good_downloads: AtomicUsize,
    tampered_downloads: AtomicUsize,
    address: std::sync::OnceLock<SocketAddr>,
}

impl Release {
    fn manifest(&self, flavour: &str) -> String {
        let address = self.address.get().expect("server address");
        let platform = format!("linux-{}", std::env::consts::ARCH);
        serde_json::json!({
            "version": NEW_VERSION,
            "notes": NOTES,
            "pub_date": "2026-12-01T08:00:00Z",
            "platforms": {
                platform: {
                    "signature": self.signature,
                    "url": format!("http://{address}/{flavour}/replenish-desk_{NEW_VERSION}_amd64.AppImage"),
                }
            }
        })
        .to_string()
    }
}

async fn serve_manifest(
    State(release): State<Arc<Release>>,
    UrlPath(flavour): UrlPath<String>,
) -> (StatusCode, [(&'static str, &'static str); 1], String) {
    (
        StatusCode::OK,
        [("content-type", "application/json")],
        release.manifest(&flavour),
    )
}

async fn serve_package(
    State(release): State<Arc<Release>>,
    UrlPath((flavour, _file)): UrlPath<(String, String)>,
) -> (StatusCode, Vec<u8>) {
    match flavour.as_str() {
        "good" => {
            release.good_downloads.fetch_add(1, Ordering::SeqCst);
            (StatusCode::OK, release.good.clone())
        }
        "tampered" => {
            release.tampered_downloads.fetch_add(1, Ordering::SeqCst);
            (StatusCode::OK, release.tampered.clone())
        }
        _ => (StatusCode::NOT_FOUND, Vec::new()),
    }
}

/// Builds a signed package and a tampered copy, and serves both on loopback.
async fn start_update_server(folder: &Path) -> Result<(Arc<Release>, SigningKey)> {
    let key = generate_key(folder)?;

    // A package of 512 KiB, big enough for the download to arrive in many chunks.
    let package: Vec<u8> = (0..512 * 1024u32)
        .map(|index| (index.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let package_path = folder.join(format!("replenish-desk_{NEW_VERSION}_amd64.AppImage"));
    std::fs::write(&package_path, &package)?;
    let signature = sign(&key, &package_path)?;

    // One flipped bit in the middle, with the original signature left beside it.
    let mut tampered = package.clone();
    tampered[package.len() / 2] ^= 0x01;

    let release = Arc::new(Release {
        good: package,
        tampered,
        signature,
        good_downloads: AtomicUsize::new(0),
        tampered_downloads: AtomicUsize::new(0),
        address: std::sync::OnceLock::new(),
    });
    let router = Router::new()
        .route("/{flavour}/latest.json", get(serve_manifest))
        .route("/{flavour}/{file}", get(serve_package))
        .with_state(release.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    release
        .address
        .set(listener.local_addr()?)
        .expect("address set once");
    tokio::spawn(async move { axum::serve(listener, router).await });
    Ok((release, key))
}

fn update_args(release: &Release, key: &SigningKey, flavour: &str) -> Vec<String> {
    let address = release.address.get().expect("server address");
    vec![
        "--language".to_owned(),
        "en".to_owned(),
        "--update-endpoint".to_owned(),
        format!("http://{address}/{flavour}/latest.json"),
        "--update-pubkey".to_owned(),
        key.public_key.clone(),
    ]
}

/// Saves a screenshot once the page has painted its latest change. WebKitGTK's screenshot shows
/// the last painted frame, which can lag behind a change made a moment before.
async fn painted_screenshot(window: &Window, step: &str) -> Result<()> {
    window
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
            vec![],
        )
        .await?;
    window.screenshot(step).await?;
    Ok(())
}

async fn wait_for_state(window: &Window, state: &str) -> Result<()> {
    window
        .wait_until(&format!("update state {state}"), || async {
            Ok(window
                .attr_of("#update-offer", "data-state")
                .await?
                .as_deref()
                == Some(state))
        })
        .await
}

#[tokio::test(flavor = "multi_thread")]
async fn signed_update_verified() -> Result<()> {
    let folder = tempfile::tempdir()?;
    let (release, key) = start_update_server(folder.path()).await?;
    let window = Window::launch("update-good", &update_args(&release, &key, "good")).await?;

    window.wait_for_element("#update-offer").await?;
    let heading = window.text_of("#update-heading").await?.unwrap_or_default();
    assert!(heading.contains(NEW_VERSION), "heading: {heading}");
    assert!(
        heading.contains(env!("CARGO_PKG_VERSION")),
        "heading: {heading}"
    );
    let notes = window
        .eval("return document.querySelector('#update-notes').textContent")
        .await?;
    assert_eq!(notes.as_str(), Some(NOTES));
    painted_screenshot(&window, "offer").await?;

    window.click("#update-download").await?;
    wait_for_state(&window, "verified").await?;
    assert_eq!(release.good_downloads.load(Ordering::SeqCst), 1);
    assert!(window.is_visible("#update-install").await?);
    assert!(!window.is_visible("#update-download").await?);
    let status = window.text_of("#update-status").await?.unwrap_or_default();
    assert!(status.contains("signature is valid"), "status: {status}");
    painted_screenshot(&window, "verified").await?;

    // Postponing hides the offer for the rest of this run.
    window.click("#update-later").await?;
    window
        .wait_until("the offer to close", || async {
            Ok(!window.is_visible("#update-offer").await?)
        })
        .await?;
    window.close().await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn tampered_update_rejected() -> Result<()> {
    let folder = tempfile::tempdir()?;
    let (release, key) = start_update_server(folder.path()).await?;
    let window =
        Window::launch("update-tampered", &update_args(&release, &key, "tampered")).await?;

    window.wait_for_element("#update-offer").await?;
    window.click("#update-download").await?;
    wait_for_state(&window, "rejected").await?;
    assert_eq!(release.tampered_downloads.load(Ordering::SeqCst), 1);
    let status = window.text_of("#update-status").await?.unwrap_or_default();
    assert!(
        status.contains("signature does not match"),
        "status: {status}"
    );
    assert!(status.contains(NEW_VERSION), "status: {status}");
    assert!(!window.is_visible("#update-install").await?);
    painted_screenshot(&window, "rejected").await?;
    window.close().await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn no_offer_without_endpoint() -> Result<()> {
    let window = Window::launch("update-none", &[]).await?;
    window.wait_for_element("#start-form").await?;
    // The check runs right after the page is ready, and without an endpoint it returns at once.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert!(!window.is_visible("#update-offer").await?);
    window.close().await?;
    Ok(())
}
