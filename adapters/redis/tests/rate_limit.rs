//! The GCRA limiter against a real Redis: a batch taken at once counts like as many hits.

use chrono::{TimeZone, Utc};
use fred::prelude::ClientLike;
use lingo_kernel::FixedClock;
use lingo_kernel::rate_limit::{RateDecision, RateGrant, RateLimit, RateLimiter};
use lingo_redis::{RedisRateLimiter, RedisSettings, connect_fred};
use std::sync::Arc;
use std::time::Duration;

async fn limiter(clock: Arc<FixedClock>) -> RedisRateLimiter {
    let settings = RedisSettings {
        url: std::env::var("LINGO_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379/0".into()),
        key_prefix: String::new(),
        command_timeout: Duration::from_secs(2),
        pool_size: 1,
    };
    let client = connect_fred(&settings).expect("client");
    client.wait_for_connect().await.expect("connected");
    let prefix = format!("test:{}:", uuid::Uuid::new_v4().simple());
    RedisRateLimiter::new(client, &prefix, clock)
}

const TEN_A_MINUTE: RateLimit = RateLimit::per(10, Duration::from_secs(60));

#[tokio::test]
async fn a_batch_is_granted_up_to_the_burst_and_counts_like_single_hits() {
    let clock = Arc::new(FixedClock::at(
        Utc.with_ymd_and_hms(2026, 12, 3, 10, 0, 0).unwrap(),
    ));
    let limiter = limiter(clock.clone()).await;
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
