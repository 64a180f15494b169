//! When and how often a session connects again after its connection drops.
//!
//! Store PCs sit on shared Wi-Fi, so a dropped connection is usually worth one more try. The
//! tries are bounded for the whole session, not per drop: a server that accepts and drops every
//! connection must not keep the client busy forever.

use std::time::Duration;

use rand::Rng;

use crate::event::LostCause;

/// The reconnect limits of one session.
#[derive(Debug, Clone, PartialEq)]
pub struct ReconnectPolicy {
    /// Reconnect attempts allowed in one session. Zero turns reconnecting off.
    pub max_attempts: u32,
    /// The wait before the first attempt. Each later wait doubles, up to `max_delay`.
    pub first_delay: Duration,
    pub max_delay: Duration,
    /// How far each wait may stray from its nominal length, as a fraction (0.2 = ±20 %). Many
    /// PCs behind one access point that lost it together should not all come back at once.
    pub jitter: f64,
}

impl Default for ReconnectPolicy {
    fn default() -> Self {
        // Waits of about 1, 2, 4, 8 and 16 s: some 30 s in all, long enough for a Wi-Fi roam or
        // a proxy restart, short enough that a manager at the cabinet is not left guessing.
        Self {
            max_attempts: 5,
            first_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(30),
            jitter: 0.2,
        }
    }
}

impl ReconnectPolicy {
    /// Returns a policy that never reconnects.
    pub fn disabled() -> Self {
        Self {
            max_attempts: 0,
            ..Self::default()
        }
    }

    /// Returns the wait before attempt `attempt` (from 1), before jitter.
    pub fn nominal_delay(&self, attempt: u32) -> Duration {
        let doublings = attempt.saturating_sub(1).min(31);
        self.first_delay
            .saturating_mul(1_u32 << doublings)
            .min(self.max_delay)
    }

    /// Returns the wait before attempt `attempt` (from 1), with jitter applied.
    pub fn delay(&self, attempt: u32) -> Duration {
        let nominal = self.nominal_delay(attempt);
        let jitter = self.jitter.clamp(0.0, 1.0);
        if jitter == 0.0 {
            return nominal;
        }
        let factor = rand::rng().random_range((1.0 - jitter)..=(1.0 + jitter));
        nominal.mul_f64(factor)
    }
}

/// True when a connection that ended this way is worth connecting again. A message over the size
/// limit or a text frame that is not UTF-8 would only arrive again, so they are not.
pub fn is_retryable(cause: LostCause) -> bool {
    !matches!(cause, LostCause::TooLarge | LostCause::InvalidText)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(jitter: f64) -> ReconnectPolicy {
        ReconnectPolicy {
            max_attempts: 8,
            first_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(10),
            jitter,
        }
    }

    #[test]
    fn waits_double_up_to_the_cap() {
        let policy = policy(0.0);
        let waits: Vec<u64> = (1..=6)
            .map(|attempt| policy.delay(attempt).as_secs())
            .collect();
        assert_eq!(waits, vec![1, 2, 4, 8, 10, 10]);
    }

    #[test]
    fn jitter_stays_within_its_fraction() {
        let policy = policy(0.2);
        for _ in 0..200 {
            let wait = policy.delay(3);
            assert!(
                wait >= Duration::from_millis(3200) && wait <= Duration::from_millis(4800),
                "wait {wait:?} is outside 4 s ± 20 %"
            );
        }
    }

    #[test]
    fn jitter_spreads_the_waits() {
        let policy = policy(0.2);
        let waits: std::collections::HashSet<Duration> = (0..50).map(|_| policy.delay(2)).collect();
        assert!(waits.len() > 1, "50 jittered waits were all equal");
    }

    #[test]
    fn huge_attempt_numbers_do_not_overflow() {
        assert_eq!(policy(0.0).delay(u32::MAX), Duration::from_secs(10));
    }

    #[test]
    fn oversized_messages_are_not_retried() {
        assert!(!is_retryable(LostCause::TooLarge));
        assert!(!is_retryable(LostCause::InvalidText));
        assert!(is_retryable(LostCause::ServerClosed));
        assert!(is_retryable(LostCause::Reset));
        assert!(is_retryable(LostCause::DeadPeer));
    }
}
