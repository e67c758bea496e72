use std::time::Duration;

/// Exponential backoff with jitter between attempts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryPolicy {
    pub base: Duration,
    pub max: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            base: Duration::from_secs(2),
            max: Duration::from_secs(600),
        }
    }
}

impl RetryPolicy {
    /// Delay before the next run after `failed_attempts` failures (1 after the first failure).
    /// `unit_random` in [0, 1) spreads retries: the delay lies in [d/2, d) where d is
    /// base·2^(n−1) capped at `max` ("equal jitter": never zero, never a thundering herd).
    pub fn delay(&self, failed_attempts: u32, unit_random: f64) -> Duration {
        let exponent = failed_attempts.saturating_sub(1).min(30);
        let full = self
            .base
            .saturating_mul(1u32 << exponent)
            .min(self.max)
            .as_secs_f64();
        let jitter = unit_random.clamp(0.0, 1.0);
        Duration::from_secs_f64(full / 2.0 + full / 2.0 * jitter)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> RetryPolicy {
        RetryPolicy {
            base: Duration::from_secs(1),
            max: Duration::from_secs(60),
        }
    }

    #[test]
    fn delay_doubles_with_each_failure() {
        let p = policy();
        assert_eq!(p.delay(1, 1.0), Duration::from_secs(1));
        assert_eq!(p.delay(2, 1.0), Duration::from_secs(2));
        assert_eq!(p.delay(4, 1.0), Duration::from_secs(8));
    }

    #[test]
    fn jitter_keeps_delay_between_half_and_full() {
        let p = policy();
        assert_eq!(p.delay(3, 0.0), Duration::from_secs(2));
        let mid = p.delay(3, 0.5);
        assert!(mid > Duration::from_secs(2) && mid < Duration::from_secs(4));
    }

    #[test]
    fn delay_is_capped() {
        let p = policy();
        assert_eq!(p.delay(50, 1.0), Duration::from_secs(60));
    }
}
