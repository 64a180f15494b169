//! The connection limits a user may change: how often to reconnect and how long to wait for the
//! door. The rest of [`SessionConfig`] stays fixed, because its values only matter to engineers.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tracing::warn;

use crate::reconnect::ReconnectPolicy;
use crate::session::SessionConfig;
use crate::view::Message;

/// The highest number of reconnects a user may set. With waits capped at 30 s, ten attempts
/// already keep a manager waiting for about four minutes.
pub const MAX_RECONNECT_ATTEMPTS: u32 = 10;

/// The shortest and longest door wait a user may set, in seconds. Under 10 s a slow cabinet
/// never gets a chance; past 15 min the manager has long given up.
pub const DOOR_WAIT_SECS: std::ops::RangeInclusive<u64> = 10..=900;

/// The user's connection limits, as stored in the settings file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ConnectionSettings {
    /// Reconnect attempts in one session; 0 turns reconnecting off.
    pub reconnect_attempts: u32,
    /// How long to wait for the door to open after connecting, in seconds.
    pub door_wait_secs: u64,
}

impl Default for ConnectionSettings {
    fn default() -> Self {
        let config = SessionConfig::default();
        Self {
            reconnect_attempts: config.reconnect.max_attempts,
            door_wait_secs: config.door_wait_timeout.as_secs(),
        }
    }
}

impl ConnectionSettings {
    /// Returns these limits brought within their allowed ranges. A value out of range (from a
    /// hand-edited file) is logged and moved to the nearest allowed one, so the app still starts.
    pub fn clamped(self) -> Self {
        let reconnect_attempts = self.reconnect_attempts.min(MAX_RECONNECT_ATTEMPTS);
        let door_wait_secs = self
            .door_wait_secs
            .clamp(*DOOR_WAIT_SECS.start(), *DOOR_WAIT_SECS.end());
        let clamped = Self {
            reconnect_attempts,
            door_wait_secs,
        };
        if clamped != self {
            warn!(
                requested_attempts = self.reconnect_attempts,
                requested_door_wait_secs = self.door_wait_secs,
                reconnect_attempts,
                door_wait_secs,
                "connection settings out of range, using the nearest allowed values"
            );
        }
        clamped
    }

    /// Returns the session configuration these limits give.
    pub fn session_config(self) -> SessionConfig {
        let limits = self.clamped();
        SessionConfig {
            door_wait_timeout: Duration::from_secs(limits.door_wait_secs),
            reconnect: ReconnectPolicy {
                max_attempts: limits.reconnect_attempts,
                ..ReconnectPolicy::default()
            },
            ..SessionConfig::default()
        }
    }
}

/// The limits as typed into the settings form, before they are checked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionSettingsInput {
    pub reconnect_attempts: String,
    pub door_wait_secs: String,
}

impl ConnectionSettingsInput {
    /// Checks both values and returns the limits, or a message for each field that is not a
    /// whole number within its range, keyed by the field's name.
    pub fn parse(&self) -> Result<ConnectionSettings, BTreeMap<&'static str, Message>> {
        let mut errors = BTreeMap::new();
        let attempts = whole_number_in(
            &self.reconnect_attempts,
            0,
            u64::from(MAX_RECONNECT_ATTEMPTS),
        );
        let door_wait = whole_number_in(
            &self.door_wait_secs,
            *DOOR_WAIT_SECS.start(),
            *DOOR_WAIT_SECS.end(),
        );

        if attempts.is_none() {
            errors.insert(
                "reconnectAttempts",
                Message::new("settings.error.reconnect_attempts")
                    .arg("value", self.reconnect_attempts.trim())
                    .arg("max", MAX_RECONNECT_ATTEMPTS.to_string()),
            );
        }
        if door_wait.is_none() {
            errors.insert(
                "doorWaitSecs",
                Message::new("settings.error.door_wait")
                    .arg("value", self.door_wait_secs.trim())
                    .arg("min", DOOR_WAIT_SECS.start().to_string())
                    .arg("max", DOOR_WAIT_SECS.end().to_string()),
            );
        }

        match (attempts, door_wait) {
            (Some(attempts), Some(door_wait_secs)) => Ok(ConnectionSettings {
                reconnect_attempts: u32::try_from(attempts).unwrap_or(MAX_RECONNECT_ATTEMPTS),
                door_wait_secs,
            }),
            _ => Err(errors),
        }
    }
}

/// Reads a whole number from `min` to `max`, ignoring spaces around it.
fn whole_number_in(text: &str, min: u64, max: u64) -> Option<u64> {
    text.trim()
        .parse::<u64>()
        .ok()
        .filter(|value| (min..=max).contains(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(attempts: &str, door_wait: &str) -> ConnectionSettingsInput {
        ConnectionSettingsInput {
            reconnect_attempts: attempts.to_owned(),
            door_wait_secs: door_wait.to_owned(),
        }
    }

    #[test]
    fn typed_values_within_range_are_taken() {
        assert_eq!(
            input(" 3 ", "120").parse(),
            Ok(ConnectionSettings {
                reconnect_attempts: 3,
                door_wait_secs: 120
            })
        );
        assert_eq!(input("0", "10").parse().unwrap().reconnect_attempts, 0);
    }

    #[test]
    fn each_bad_field_gets_its_own_message() {
        let errors = input("11", "abc").parse().unwrap_err();
        assert_eq!(
            errors["reconnectAttempts"],
            Message::new("settings.error.reconnect_attempts")
                .arg("value", "11")
                .arg("max", "10")
        );
        assert_eq!(
            errors["doorWaitSecs"],
            Message::new("settings.error.door_wait")
                .arg("value", "abc")
                .arg("min", "10")
                .arg("max", "900")
        );

        for bad in ["", "-1", "2.5", "9"] {
            let errors = input("1", bad).parse().unwrap_err();
            assert_eq!(errors.len(), 1, "{bad:?}");
        }
    }

    #[test]
    fn defaults_match_the_session_defaults() {
        let config = ConnectionSettings::default().session_config();
        let defaults = SessionConfig::default();
        assert_eq!(config.door_wait_timeout, defaults.door_wait_timeout);
        assert_eq!(config.reconnect, defaults.reconnect);
    }

    #[test]
    fn out_of_range_values_clamped() {
        let settings = ConnectionSettings {
            reconnect_attempts: 1_000,
            door_wait_secs: 1,
        };
        let config = settings.session_config();
        assert_eq!(config.reconnect.max_attempts, MAX_RECONNECT_ATTEMPTS);
        assert_eq!(config.door_wait_timeout, Duration::from_secs(10));

        let too_long = ConnectionSettings {
            reconnect_attempts: 0,
            door_wait_secs: 100_000,
        };
        assert_eq!(
            too_long.clamped(),
            ConnectionSettings {
                reconnect_attempts: 0,
                door_wait_secs: 900
            }
        );
    }

    #[test]
    fn missing_fields_take_their_defaults() {
        let settings: ConnectionSettings =
            serde_json::from_str(r#"{"reconnectAttempts": 2}"#).unwrap();
        assert_eq!(settings.reconnect_attempts, 2);
        assert_eq!(settings.door_wait_secs, 90);
    }
}
