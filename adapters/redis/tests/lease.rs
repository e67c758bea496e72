//! The scheduler's lease against the configured Redis (a cluster with
//! `just test-redis-cluster`): one holder, renewal, hand-over with a larger token, and ticks
//! fired once and never by a superseded holder.

mod support;

use lingo_redis::RedisLease;
use std::time::Duration;

#[tokio::test]
async fn one_holder_at_a_time_and_a_stale_holder_cannot_fire_a_tick() {
    let prefix = support::prefix();
    let client = support::client().await;
    let lease = |holder: &str| {
        RedisLease::new(
            client.clone(),
            &prefix,
            "scheduler",
            holder,
            Duration::from_secs(30),
        )
    };
    let (a, b) = (lease("a"), lease("b"));

    let first = a.acquire_or_renew().await.expect("acquire").expect("free");
    assert_eq!(b.acquire_or_renew().await.expect("acquire"), None);
    assert_eq!(a.acquire_or_renew().await.expect("renew"), Some(first));

    a.release().await.expect("release");
    let second = b
        .acquire_or_renew()
        .await
        .expect("acquire")
        .expect("released");
    assert!(second.token > first.token);

    assert!(
        b.claim_tick(second, "outbox.purge", 1_000)
            .await
            .expect("tick")
    );
    assert!(
        !b.claim_tick(second, "outbox.purge", 1_000)
            .await
            .expect("tick")
    );
    assert!(b.fired("outbox.purge", 1_000).await.expect("fired"));
    assert!(
        !a.claim_tick(first, "outbox.purge", 2_000)
            .await
            .expect("tick")
    );
    assert!(!b.fired("outbox.purge", 2_000).await.expect("fired"));
    assert!(
        b.claim_tick(second, "outbox.purge", 2_000)
            .await
            .expect("tick")
    );
}
