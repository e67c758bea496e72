//! Exponential backoff with jitter: how long to wait before the next attempt of anything that
//! may pass with time. What a server asks for (HTTP's `Retry-After`) is the outbound-HTTP
//! crate's business (`lingo-http`), which builds on this.

use std::time::Duration;

/// `base · 2^(attempt-1)`, capped at `max`, then "equal jitter": half of it fixed and half
/// random (`jitter` in [0, 1)), so that clients that failed together do not retry together but
/// each still waits a while. `attempt` is the one that just failed (1-based).
pub fn backoff(attempt: u32, base: Duration, max: Duration, jitter: f64) -> Duration {
    let factor = 1u32
        .checked_shl(attempt.saturating_sub(1))
        .unwrap_or(u32::MAX);
    let ceiling = base.saturating_mul(factor).min(max);
    let half = ceiling / 2;
    half + half.mul_f64(jitter.clamp(0.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    #[test]
    fn backoff_doubles_per_attempt_within_the_jitter_band() {
        let base = 100 * MS;
        let max = 10_000 * MS;
        assert_eq!(backoff(1, base, max, 0.0), 50 * MS);
        assert_eq!(backoff(1, base, max, 1.0), 100 * MS);
        assert_eq!(backoff(2, base, max, 0.0), 100 * MS);
        assert_eq!(backoff(3, base, max, 0.5), 300 * MS);
    }

    #[test]
    fn backoff_is_capped_at_the_maximum_even_for_huge_attempt_numbers() {
        let max = 1_000 * MS;
        assert_eq!(backoff(10, 100 * MS, max, 1.0), max);
        assert_eq!(backoff(u32::MAX, 100 * MS, max, 1.0), max);
    }
}
