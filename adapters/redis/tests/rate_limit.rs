//! The GCRA rate limiter against the configured Redis (a cluster with
//! `just test-redis-cluster`), at fixed instants; a batch taken at once counts like as many hits.

mod support;

use chrono::{TimeZone, Utc};
use lingo_kernel::FixedClock;
use lingo_kernel::rate_limit::{RateDecision, RateGrant, RateLimit, RateLimiter};
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

const TEN_A_MINUTE: RateLimit = RateLimit::per(10, Duration::from_secs(60));

#[tokio::test]
async fn a_batch_is_granted_up_to_the_burst_and_counts_like_single_hits() {
    let clock = Arc::new(FixedClock::at(
        Utc.with_ymd_and_hms(2026, 12, 3, 10, 0, 0).unwrap(),
    ));
    let limiter = RedisRateLimiter::new(support::client().await, &support::prefix(), clock.clone());
    let take = |n| limiter.take("k", TEN_A_MINUTE, n);
    assert_eq!(take(4).await.expect("redis"), RateGrant::Granted(4));
    // Six of the ten are left: a bigger batch gets those six.
    assert_eq!(take(10).await.expect("redis"), RateGrant::Granted(6));
    let refused = RateGrant::Limited {
        retry_after: Duration::from_secs(6),
    };
    assert_eq!(take(1).await.expect("redis"), refused);
    assert_eq!(
        limiter.hit("k", TEN_A_MINUTE).await.expect("redis"),
        RateDecision::Limited {
            retry_after: Duration::from_secs(6)
        }
    );
    // One emission interval later, one more.
    clock.advance(chrono::Duration::seconds(6));
    assert_eq!(take(5).await.expect("redis"), RateGrant::Granted(1));
    assert_eq!(
        limiter.hit("other", TEN_A_MINUTE).await.expect("redis"),
        RateDecision::Allowed
    );
}
