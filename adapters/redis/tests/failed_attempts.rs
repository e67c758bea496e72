//! Progressive delay against a real Redis: free attempts, doubling waits, a success forgets,
//! and parallel attempts are counted one by one.

use chrono::{Duration as Span, TimeZone, Utc};
use fred::prelude::ClientLike;
use lingo_kernel::failed_attempts::{AttemptDecision, FailedAttempts, ProgressiveDelay};
use lingo_redis::{RedisFailedAttempts, RedisSettings, connect_fred};
use std::time::Duration;

async fn attempts() -> RedisFailedAttempts {
    let settings = RedisSettings {
        url: std::env::var("LINGO_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379/0".into()),
        key_prefix: String::new(),
        command_timeout: Duration::from_secs(2),
        pool_size: 1,
    };
    let client = connect_fred(&settings).expect("client");
    client.wait_for_connect().await.expect("connected");
    let prefix = format!("test:{}:", uuid::Uuid::new_v4().simple());
    RedisFailedAttempts::new(client, &prefix)
}

const RULE: ProgressiveDelay = ProgressiveDelay {
    free: 2,
    base: Duration::from_secs(1),
    max: Duration::from_secs(4),
    forget_after: Duration::from_secs(60),
};

fn wait(decision: AttemptDecision) -> u64 {
    match decision {
        AttemptDecision::Allowed => 0,
        AttemptDecision::Wait { retry_after } => retry_after.as_millis() as u64,
    }
}

#[tokio::test]
async fn waits_double_after_the_free_attempts_and_a_success_forgets_them() {
    let store = attempts().await;
    let t0 = Utc.with_ymd_and_hms(2026, 12, 2, 4, 0, 0).unwrap();
    let at = |ms: i64| t0 + Span::milliseconds(ms);
    assert_eq!(wait(store.begin("k", RULE, at(0)).await.expect("redis")), 0);
    assert_eq!(wait(store.begin("k", RULE, at(0)).await.expect("redis")), 0);
    // Two attempts spent: the next waits 1 s after the last.
    assert_eq!(
        wait(store.begin("k", RULE, at(400)).await.expect("redis")),
        600
    );
    assert_eq!(
        wait(store.begin("k", RULE, at(1_000)).await.expect("redis")),
        0
    );
    // Three spent: 2 s; then 4 s, and no more than the cap.
    assert_eq!(
        wait(store.begin("k", RULE, at(2_000)).await.expect("redis")),
        1_000
    );
    assert_eq!(
        wait(store.begin("k", RULE, at(3_000)).await.expect("redis")),
        0
    );
    assert_eq!(
        wait(store.begin("k", RULE, at(3_000)).await.expect("redis")),
        4_000
    );
    assert_eq!(
        wait(store.begin("k", RULE, at(7_000)).await.expect("redis")),
        0
    );
    assert_eq!(
        wait(store.begin("k", RULE, at(7_000)).await.expect("redis")),
        4_000
    );
    // Another key is not affected; a success forgets.
    assert_eq!(
        wait(store.begin("other", RULE, at(7_000)).await.expect("redis")),
        0
    );
    store.succeeded("k").await.expect("redis");
    assert_eq!(
        wait(store.begin("k", RULE, at(7_000)).await.expect("redis")),
        0
    );
}

#[tokio::test]
async fn parallel_attempts_cannot_slip_through_together() {
    let store = attempts().await;
    let now = Utc.with_ymd_and_hms(2026, 12, 2, 4, 0, 0).unwrap();
    let mut tries = tokio::task::JoinSet::new();
    for _ in 0..20 {
        let store = store.clone();
        tries.spawn(async move { store.begin("k", RULE, now).await });
    }
    let mut allowed = 0;
    while let Some(decision) = tries.join_next().await {
        if matches!(decision.expect("task"), Ok(AttemptDecision::Allowed)) {
            allowed += 1;
        }
    }
    assert_eq!(allowed, 2, "only the free attempts");
}
