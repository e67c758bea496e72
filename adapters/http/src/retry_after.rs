//! How long to wait before the next attempt: what the server asked for (`Retry-After`) or an
//! exponential backoff with jitter, never longer than the configured maximum.

use chrono::{DateTime, Utc};
use lingo_kernel::retry_delay::backoff;
use std::time::Duration;

/// The wait before attempt `attempt + 1`, `attempt` being the one that just failed (1-based).
pub fn retry_delay(
    attempt: u32,
    base: Duration,
    max: Duration,
    retry_after: Option<Duration>,
) -> Duration {
    match retry_after {
        Some(asked) => asked.min(max),
        None => backoff(attempt, base, max, fastrand::f64()),
    }
}

/// `Retry-After` as delay-seconds or an HTTP date (RFC 9110 §10.2.3), relative to `now`.
/// A date in the past means "now"; anything unreadable is ignored.
pub fn parse_retry_after(value: &str, now: DateTime<Utc>) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = DateTime::parse_from_rfc2822(value).ok()?;
    Some(
        (date.with_timezone(&Utc) - now)
            .to_std()
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    #[test]
    fn retry_after_wins_over_the_backoff_but_not_over_the_maximum() {
        let (base, max) = (10 * MS, 2_000 * MS);
        assert_eq!(
            retry_delay(1, base, max, Some(Duration::from_secs(1))),
            1_000 * MS
        );
        assert_eq!(
            retry_delay(1, base, max, Some(Duration::from_secs(3600))),
            max
        );
        assert!(retry_delay(1, base, max, None) <= base);
    }

    #[test]
    fn retry_after_is_read_as_seconds_or_an_http_date() {
        let now = DateTime::parse_from_rfc3339("2015-10-21T07:28:00Z")
            .expect("valid")
            .with_timezone(&Utc);
        assert_eq!(
            parse_retry_after("120", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-5", now), None);
    }
}
