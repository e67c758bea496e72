//! Progressive delay for guessable secrets (passwords, sign-in codes): a few attempts are free,
//! then each further attempt must wait twice as long as the one before; a success forgets the
//! count. Counted per (identifier, client address), so a stranger guessing from elsewhere slows
//! only themselves.

use crate::rate_limit::RateLimitError;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use std::time::Duration;

/// The rule: `free` attempts without delay, then `base`, `2·base`, `4·base`, … up to `max`
/// between attempts; the count is forgotten `forget_after` the last attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProgressiveDelay {
    pub free: u32,
    pub base: Duration,
    pub max: Duration,
    pub forget_after: Duration,
}

impl ProgressiveDelay {
    /// The wait required after the last attempt, once `attempts` attempts have not succeeded.
    pub fn delay(&self, attempts: u32) -> Duration {
        if attempts < self.free {
            return Duration::ZERO;
        }
        let doublings = (attempts - self.free).min(30);
        self.base
            .checked_mul(1u32 << doublings)
            .unwrap_or(self.max)
            .min(self.max)
    }
}

impl Default for ProgressiveDelay {
    fn default() -> Self {
        Self {
            free: 5,
            base: Duration::from_secs(1),
            max: Duration::from_secs(15 * 60),
            forget_after: Duration::from_secs(24 * 3600),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptDecision {
    /// Go ahead; the attempt counts as failed until [`FailedAttempts::succeeded`] is called.
    Allowed,
    Wait {
        retry_after: Duration,
    },
}

#[async_trait]
pub trait FailedAttempts: Send + Sync {
    /// Atomically: refuses when the wait the rule requires since the last attempt of `key` has
    /// not passed; otherwise counts this attempt as a failure (so concurrent attempts cannot slip
    /// through together) and allows it.
    async fn begin(
        &self,
        key: &str,
        rule: ProgressiveDelay,
        now: DateTime<Utc>,
    ) -> Result<AttemptDecision, RateLimitError>;

    /// The attempt succeeded: forget the count of `key`.
    async fn succeeded(&self, key: &str) -> Result<(), RateLimitError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_few_attempts_are_free_then_each_waits_twice_as_long_up_to_the_cap() {
        let rule = ProgressiveDelay {
            free: 3,
            base: Duration::from_secs(2),
            max: Duration::from_secs(60),
            forget_after: Duration::from_secs(3600),
        };
        let waits: Vec<u64> = (0..10).map(|n| rule.delay(n).as_secs()).collect();
        assert_eq!(waits, [0, 0, 0, 2, 4, 8, 16, 32, 60, 60]);
        assert_eq!(rule.delay(u32::MAX), Duration::from_secs(60), "no overflow");
    }
}
