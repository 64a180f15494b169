//! The folders of the app's settings, records, logs, picture cache and exports.

use std::path::{Path, PathBuf};

use anyhow::Context;
use tauri::{AppHandle, Manager};

/// The app's folders: the platform's app folders, or all under one `--data-dir`.
pub struct Folders {
    pub settings: PathBuf,
    /// The record store and the frame journal.
    pub records: PathBuf,
    pub logs: PathBuf,
    pub pictures: PathBuf,
    /// The folder of the History screen's CSV and XLSX exports.
    pub exports: PathBuf,
}

impl Folders {
    pub fn resolve(app: &AppHandle, data_dir: Option<&Path>) -> anyhow::Result<Self> {
        if let Some(root) = data_dir {
            return Ok(Self {
                settings: root.to_path_buf(),
                records: root.join("records"),
                logs: root.join("logs"),
                pictures: root.join("cache").join("pictures"),
                exports: root.join("exports"),
            });
        }

        let paths = app.path();
        let app_data = paths
            .app_data_dir()
            .context("no data folder for this user: pass --data-dir DIR")?;
        // Without a download folder (a Linux desktop may define none), exports stay beside the
        // records, and the page shows the full path of each file.
        let exports = paths
            .download_dir()
            .unwrap_or_else(|_| app_data.join("exports"));
        Ok(Self {
            exports,
            records: app_data.join("records"),
            settings: paths
                .app_config_dir()
                .context("no config folder for this user: pass --data-dir DIR")?,
            logs: paths
                .app_log_dir()
                .context("no log folder for this user: pass --data-dir DIR")?,
            pictures: paths
                .app_cache_dir()
                .context("no cache folder for this user: pass --data-dir DIR")?
                .join("pictures"),
        })
    }
}
