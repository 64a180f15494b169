//! Settings kept between runs: the language, the recent devices and the notification switches.
//! Never the token.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use i18n::Language;
use replenish_core::connection_settings::ConnectionSettings;
use replenish_core::notification::NotificationSwitches;
use serde::{Deserialize, Serialize};
use tracing::{info, warn};

/// How many recent devices are kept.
const MAX_RECENT_DEVICES: usize = 10;

/// A device the user connected to before, for the start form's shortcut list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecentDevice {
    pub device_no: String,
    pub name: Option<String>,
    pub endpoint: String,
}

/// The settings file's content. A key missing from a hand-edited or older file takes its
/// default, so one missing key does not reset the others.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Settings {
    pub language: Language,
    pub recent_devices: Vec<RecentDevice>,
    /// Missing in files written before notifications existed, which then get every kind on.
    #[serde(default)]
    pub notifications: NotificationSwitches,
    /// Reconnect attempts and the door wait. Missing in older files, which get the defaults.
    #[serde(default)]
    pub connection: ConnectionSettings,
    /// The static JSON file that announces updates (https, or http on loopback). No endpoint
    /// means no update checks.
    #[serde(default)]
    pub update_endpoint: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            language: Language::ZhCn,
            recent_devices: Vec::new(),
            notifications: NotificationSwitches::default(),
            connection: ConnectionSettings::default(),
            update_endpoint: None,
        }
    }
}

impl Settings {
    /// Puts `device` first, replacing an earlier entry for the same device and endpoint.
    pub fn remember(&mut self, device: RecentDevice) {
        self.recent_devices.retain(|known| {
            !(known.device_no == device.device_no && known.endpoint == device.endpoint)
        });
        self.recent_devices.insert(0, device);
        self.recent_devices.truncate(MAX_RECENT_DEVICES);
    }

    /// Removes every entry for `device_no`.
    pub fn forget(&mut self, device_no: &str) {
        self.recent_devices
            .retain(|known| known.device_no != device_no);
    }
}

/// The settings file and its last saved content.
pub struct SettingsFile {
    path: PathBuf,
}

impl SettingsFile {
    pub fn new(folder: &Path) -> Self {
        Self {
            path: folder.join("settings.json"),
        }
    }

    /// Loads the settings. A missing file gives the defaults. An unreadable one is logged and
    /// replaced by the defaults, so a damaged file never keeps the app from starting.
    pub fn load(&self) -> Settings {
        let text = match fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(error) if error.kind() == io::ErrorKind::NotFound => return Settings::default(),
            Err(error) => {
                warn!(path = %self.path.display(), %error, "settings unreadable, using defaults");
                return Settings::default();
            }
        };
        serde_json::from_str(&text).unwrap_or_else(|error| {
            // The next save overwrites the file, so the unreadable one is kept beside it for the
            // user to repair or compare.
            let kept = self.path.with_extension("json.invalid");
            match fs::rename(&self.path, &kept) {
                Ok(()) => warn!(path = %self.path.display(), kept = %kept.display(), %error,
                    "settings invalid, using defaults; the invalid file was kept"),
                Err(rename_error) => warn!(path = %self.path.display(), %error, %rename_error,
                    "settings invalid, using defaults; the invalid file could not be kept"),
            }
            Settings::default()
        })
    }

    /// Saves the settings through a temporary file and a rename, so a crash mid-write leaves the
    /// old file intact.
    pub fn save(&self, settings: &Settings) -> io::Result<()> {
        if let Some(folder) = self.path.parent() {
            fs::create_dir_all(folder)?;
        }
        let text = serde_json::to_string_pretty(settings).map_err(io::Error::other)?;
        let temporary = self.path.with_extension("json.tmp");
        fs::write(&temporary, text)?;
        fs::rename(&temporary, &self.path)?;
        info!(path = %self.path.display(), "settings saved");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn device(device_no: &str, endpoint: &str) -> RecentDevice {
        RecentDevice {
            device_no: device_no.to_owned(),
            name: None,
            endpoint: endpoint.to_owned(),
        }
    }

    #[test]
    fn remember_moves_device_first() {
        let mut settings = Settings::default();
        settings.remember(device("1", "ws://a"));
        settings.remember(device("2", "ws://a"));
        settings.remember(device("1", "ws://a"));
        let numbers: Vec<_> = settings
            .recent_devices
            .iter()
            .map(|d| d.device_no.as_str())
            .collect();
        assert_eq!(numbers, vec!["1", "2"]);
    }

    #[test]
    fn remember_keeps_ten() {
        let mut settings = Settings::default();
        for number in 0..15 {
            settings.remember(device(&number.to_string(), "ws://a"));
        }
        assert_eq!(settings.recent_devices.len(), MAX_RECENT_DEVICES);
        assert_eq!(settings.recent_devices[0].device_no, "14");
    }

    #[test]
    fn save_and_load_round_trip() {
        let folder =
            std::env::temp_dir().join(format!("replenish-settings-{}", std::process::id()));
        let file = SettingsFile::new(&folder);
        let mut settings = Settings {
            language: Language::En,
            ..Settings::default()
        };
        settings.remember(device("181200005", "ws://a"));
        file.save(&settings).unwrap();
        assert_eq!(file.load(), settings);

        fs::write(folder.join("settings.json"), "{ not json").unwrap();
        assert_eq!(file.load(), Settings::default());
        assert_eq!(
            fs::read_to_string(folder.join("settings.json.invalid")).unwrap(),
            "{ not json"
        );
        fs::remove_dir_all(folder).unwrap();
    }

    #[test]
    fn missing_keys_take_defaults() {
        let folder = tempfile::tempdir().unwrap();
        let hand_edited = r#"{"language": "en", "connection": {"reconnectAttempts": 2}}"#;
        fs::write(folder.path().join("settings.json"), hand_edited).unwrap();

        let loaded = SettingsFile::new(folder.path()).load();

        assert_eq!(loaded.language, Language::En);
        assert_eq!(loaded.connection.reconnect_attempts, 2);
        assert_eq!(loaded.connection.door_wait_secs, 90);
        assert!(loaded.recent_devices.is_empty());
    }

    #[test]
    fn notification_switches_round_trip() {
        let folder = tempfile::tempdir().unwrap();
        let file = SettingsFile::new(folder.path());
        let mut settings = Settings::default();
        settings.notifications.final_list = false;

        file.save(&settings).unwrap();

        let loaded = file.load();
        assert!(!loaded.notifications.final_list);
        assert!(loaded.notifications.door_open);
        assert!(loaded.notifications.failure);
    }

    #[test]
    fn file_without_switches_keeps_language() {
        let folder = tempfile::tempdir().unwrap();
        let written_before_notifications = r#"{"language": "en", "recentDevices": []}"#;
        fs::write(
            folder.path().join("settings.json"),
            written_before_notifications,
        )
        .unwrap();

        let loaded = SettingsFile::new(folder.path()).load();

        assert_eq!(loaded.language, Language::En);
        assert_eq!(loaded.notifications, NotificationSwitches::default());
    }
}
