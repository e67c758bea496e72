//! The GCRA rate limiter against the configured Redis (a cluster with
//! `just test-redis-cluster`), at fixed instants.

mod support;

use chrono::{TimeZone, Utc};
use lingo_kernel::FixedClock;
use lingo_kernel::rate_limit::{RateDecision, RateLimit, RateLimiter};
use lingo_redis::RedisRateLimiter;
use std::sync::Arc;
use std::time::Duration;

#[tokio::test]
async fn a_subject_past_its_limit_waits_and_others_do_not() {
    let clock = Arc::new(FixedClock::at(
        Utc.with_ymd_and_hms(2026, 12, 3, 10, 0, 0).unwrap(),
    ));
    let limiter = RedisRateLimiter::new(support::client().await, &support::prefix(), clock.clone());
    let limit = RateLimit::per(3, Duration::from_secs(60));
    for _ in 0..3 {
        assert_eq!(
            limiter.hit("alice", limit).await.expect("hit"),
            RateDecision::Allowed
        );
    }
    assert_eq!(
        limiter.hit("alice", limit).await.expect("hit"),
        RateDecision::Limited {
            retry_after: Duration::from_secs(20)
        }
    );
    assert_eq!(
        limiter.hit("bob", limit).await.expect("hit"),
        RateDecision::Allowed
    );

    clock.advance(chrono::Duration::seconds(20));
    assert_eq!(
        limiter.hit("alice", limit).await.expect("hit"),
        RateDecision::Allowed
    );
    limiter.reset("alice").await.expect("reset");
    for _ in 0..3 {
        assert_eq!(
            limiter.hit("alice", limit).await.expect("hit"),
            RateDecision::Allowed
        );
    }
}
