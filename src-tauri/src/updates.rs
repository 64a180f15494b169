//! Update checks through tauri-plugin-updater.
//!
//! A static JSON file (`latest.json`) names the newest version, its release notes, and per
//! platform a package URL with its minisign signature. The app checks the endpoint from the
//! settings or `--update-endpoint`, shows the notes, and lets the user postpone. Installing is two
//! steps: the download is verified against the public key before anything else happens, and only
//! a verified package can be installed.
//!
//! Without an endpoint from either, the first of `plugins.updater.endpoints` in tauri.conf.json
//! is used, so a release build can carry its own default.
//!
//! The public key is `plugins.updater.pubkey` in tauri.conf.json, compiled in. The release
//! workflow sets it with `tauri build --config`, so no key lives in the repository, and a build
//! without a key never offers an update. Debug builds also accept `--update-pubkey`, so the window
//! tests can sign an update with a key generated at test time. Release builds have no such
//! option, so the key that a user's copy trusts can only change with a new build.

use std::sync::Mutex;

use replenish_core::view::Message;
use serde::Serialize;
use tauri::{AppHandle, State};
use tauri_plugin_updater::{Error as UpdaterError, Update, UpdaterExt};
use tracing::{info, warn};
use url::Url;

/// How long a check or a download may take before it fails.
const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

/// The update endpoint and key, and the update found and downloaded so far.
pub struct Updates {
    endpoint: Option<Url>,
    /// The public key that overrides the compiled one, in debug builds only.
    pubkey_override: Option<String>,
    offered: Mutex<Option<Update>>,
    verified: Mutex<Option<Vec<u8>>>,
    postponed: Mutex<bool>,
}

/// An update that the page offers.
#[derive(Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateOffer {
    version: String,
    current_version: String,
    /// The release notes, plain text from latest.json, shown as text.
    notes: Option<String>,
}

/// A verified download, ready to install.
#[derive(Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VerifiedUpdate {
    version: String,
    bytes: usize,
}

/// The failure of an update command, in the shape the page shows.
#[derive(Debug, Clone, Serialize)]
pub struct UpdateFailure {
    message: Message,
}

impl UpdateFailure {
    fn new(message: Message) -> Self {
        Self { message }
    }
}

impl Updates {
    /// Reads the endpoint from `--update-endpoint` or, without it, from the settings. An invalid
    /// endpoint is logged and disables the checks.
    pub fn new(endpoint: Option<&str>, pubkey_override: Option<String>) -> Self {
        let endpoint = endpoint.and_then(|text| match parse_endpoint(text) {
            Ok(url) => Some(url),
            Err(reason) => {
                warn!(endpoint = text, reason, "update endpoint ignored");
                None
            }
        });
        Self {
            endpoint,
            pubkey_override,
            offered: Mutex::default(),
            verified: Mutex::default(),
            postponed: Mutex::new(false),
        }
    }
}

/// Accepts https endpoints, and in debug builds plain http on loopback, for tests. The plugin
/// itself rejects plain http endpoints in release builds.
fn parse_endpoint(text: &str) -> Result<Url, &'static str> {
    let url = Url::parse(text.trim()).map_err(|_| "not a valid URL")?;
    match url.scheme() {
        "https" => Ok(url),
        "http" if cfg!(debug_assertions) && is_loopback(&url) => Ok(url),
        "http" => Err("plain http is not accepted: use https"),
        _ => Err("use an https URL"),
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(address)) => address.is_loopback(),
        Some(url::Host::Ipv6(address)) => address.is_loopback(),
        Some(url::Host::Domain(name)) => name == "localhost",
        None => false,
    }
}

/// Checks the endpoint and returns the newer version it announces, if any. Returns `None` when
/// no endpoint is set, no key is compiled in, or the user postponed the update in this run.
#[tauri::command]
pub async fn check_update(
    app: AppHandle,
    updates: State<'_, Updates>,
) -> Result<Option<UpdateOffer>, UpdateFailure> {
    let Some(endpoint) = updates
        .endpoint
        .clone()
        .or_else(|| configured_endpoint(&app))
    else {
        return Ok(None);
    };
    if *updates.postponed.lock().expect("update lock poisoned") {
        return Ok(None);
    }

    let mut builder = app.updater_builder().timeout(REQUEST_TIMEOUT);
    if let Some(pubkey) = &updates.pubkey_override {
        builder = builder.pubkey(pubkey.clone());
    } else if updater_config(&app, "pubkey")
        .and_then(|key| key.as_str().map(str::to_owned))
        .is_none_or(|key| key.is_empty())
    {
        info!("this build has no update key, so updates are not checked");
        return Ok(None);
    }

    info!(%endpoint, "checking for an update");
    let updater = builder
        .endpoints(vec![endpoint.clone()])
        .and_then(|builder| builder.build())
        .map_err(|error| check_failed(&endpoint, &error))?;
    let update = updater
        .check()
        .await
        .map_err(|error| check_failed(&endpoint, &error))?;

    let Some(update) = update else {
        info!("no newer version");
        return Ok(None);
    };
    info!(version = %update.version, "update available");
    let offer = UpdateOffer {
        version: update.version.clone(),
        current_version: update.current_version.clone(),
        notes: update.body.clone(),
    };
    *updates.offered.lock().expect("update lock poisoned") = Some(update);
    *updates.verified.lock().expect("update lock poisoned") = None;
    Ok(Some(offer))
}

/// Hides the offer until the app starts again.
#[tauri::command]
pub fn postpone_update(updates: State<'_, Updates>) {
    info!("update postponed until the next start");
    *updates.postponed.lock().expect("update lock poisoned") = true;
    *updates.offered.lock().expect("update lock poisoned") = None;
    *updates.verified.lock().expect("update lock poisoned") = None;
}

/// Downloads the offered package and verifies its signature with the trusted public key. A
/// package that fails verification is dropped and never reaches the installer.
#[tauri::command]
pub async fn download_update(updates: State<'_, Updates>) -> Result<VerifiedUpdate, UpdateFailure> {
    let update = updates
        .offered
        .lock()
        .expect("update lock poisoned")
        .take()
        .ok_or_else(|| UpdateFailure::new(Message::new("update.none_offered")))?;

    info!(version = %update.version, url = %update.download_url, "downloading the update");
    let downloaded = update.download(|_, _| {}, || {}).await;
    let result = match downloaded {
        Ok(bytes) => {
            info!(version = %update.version, bytes = bytes.len(), "update downloaded and its signature verified");
            let verified = VerifiedUpdate {
                version: update.version.clone(),
                bytes: bytes.len(),
            };
            *updates.verified.lock().expect("update lock poisoned") = Some(bytes);
            Ok(verified)
        }
        Err(error) => Err(download_failed(&update, &error)),
    };
    *updates.offered.lock().expect("update lock poisoned") = Some(update);
    result
}

/// Installs the verified package and restarts the app. The plugin verifies the bytes once more
/// right before it writes them.
#[tauri::command]
pub fn install_update(app: AppHandle, updates: State<'_, Updates>) -> Result<(), UpdateFailure> {
    let offered = updates.offered.lock().expect("update lock poisoned");
    let verified = updates.verified.lock().expect("update lock poisoned");
    let (Some(update), Some(bytes)) = (offered.as_ref(), verified.as_ref()) else {
        return Err(UpdateFailure::new(Message::new("update.none_offered")));
    };

    info!(version = %update.version, "installing the update");
    update.install(bytes).map_err(|error| {
        warn!(%error, version = %update.version, "update not installed");
        UpdateFailure::new(Message::new("update.install_failed").arg("error", error.to_string()))
    })?;
    info!("update installed, restarting");
    app.restart();
}

/// Returns `plugins.updater.<name>` of the compiled configuration.
fn updater_config(app: &AppHandle, name: &str) -> Option<serde_json::Value> {
    app.config().plugins.0.get("updater")?.get(name).cloned()
}

/// Returns the first of `plugins.updater.endpoints`, the build's default when neither the
/// settings nor the command line name an endpoint.
fn configured_endpoint(app: &AppHandle) -> Option<Url> {
    let endpoints = updater_config(app, "endpoints")?;
    let first = endpoints.as_array()?.first()?.as_str()?;
    parse_endpoint(first)
        .inspect_err(|reason| {
            warn!(
                endpoint = first,
                reason, "configured update endpoint ignored"
            )
        })
        .ok()
}

fn check_failed(endpoint: &Url, error: &UpdaterError) -> UpdateFailure {
    warn!(%endpoint, %error, "update check failed");
    UpdateFailure::new(
        Message::new("update.check_failed")
            .arg("endpoint", endpoint.as_str())
            .arg("error", error.to_string()),
    )
}

fn download_failed(update: &Update, error: &UpdaterError) -> UpdateFailure {
    if is_signature_error(error) {
        warn!(version = %update.version, url = %update.download_url, %error, "update rejected: its signature does not match the trusted key");
        return UpdateFailure::new(
            Message::new("update.signature_invalid").arg("version", update.version.as_str()),
        );
    }
    warn!(version = %update.version, url = %update.download_url, %error, "update download failed");
    UpdateFailure::new(Message::new("update.download_failed").arg("error", error.to_string()))
}

/// True for the errors that mean the package or its signature is not what the key signed.
fn is_signature_error(error: &UpdaterError) -> bool {
    matches!(
        error,
        UpdaterError::Minisign(_)
            | UpdaterError::Base64(_)
            | UpdaterError::SignatureUtf8(_)
            | UpdaterError::SignedVersionMismatch { .. }
            | UpdaterError::MissingSignedVersion
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_rules() {
        assert!(parse_endpoint("https://updates.example.com/latest.json").is_ok());
        let loopback_http = cfg!(debug_assertions);
        assert_eq!(
            parse_endpoint("http://127.0.0.1:8080/latest.json").is_ok(),
            loopback_http
        );
        assert_eq!(
            parse_endpoint("http://[::1]:8080/latest.json").is_ok(),
            loopback_http
        );
        assert_eq!(
            parse_endpoint("http://localhost/latest.json").is_ok(),
            loopback_http
        );
        assert!(parse_endpoint("http://updates.example.com/latest.json").is_err());
        assert!(parse_endpoint("ftp://127.0.0.1/latest.json").is_err());
        assert!(parse_endpoint("latest.json").is_err());
    }
}
