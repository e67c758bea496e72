//! The idempotency store against a real Redis: one claim wins, the others see what it holds.

use lingo_kernel::idempotency::IdempotencyStore;
use lingo_redis::{RedisIdempotencyStore, RedisSettings};
use std::time::Duration;

async fn store() -> RedisIdempotencyStore {
    let settings = RedisSettings {
        url: std::env::var("LINGO_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379/0".into()),
        key_prefix: String::new(),
        command_timeout: Duration::from_secs(2),
        pool_size: 1,
    };
    let client = lingo_redis::connect_fred(&settings).expect("client");
    fred::prelude::ClientLike::wait_for_connect(&client)
        .await
        .expect("connected");
    RedisIdempotencyStore::new(client, &format!("test:{}:", uuid::Uuid::new_v4().simple()))
}

#[tokio::test]
async fn the_first_claim_wins_and_later_ones_see_the_outcome() {
    let store = store().await;
    let ttl = Duration::from_secs(30);
    assert_eq!(
        store.claim("k", b"pending", ttl).await.expect("claim"),
        None
    );
    assert_eq!(
        store.claim("k", b"other", ttl).await.expect("claim"),
        Some(b"pending".to_vec())
    );
    store.complete("k", b"done", ttl).await.expect("complete");
    assert_eq!(
        store.claim("k", b"other", ttl).await.expect("claim"),
        Some(b"done".to_vec())
    );
    store.release("k").await.expect("release");
    assert_eq!(store.claim("k", b"again", ttl).await.expect("claim"), None);
}

#[tokio::test]
async fn a_claim_expires_with_its_ttl() {
    let store = store().await;
    assert_eq!(
        store
            .claim("k", b"pending", Duration::from_millis(50))
            .await
            .expect("claim"),
        None
    );
    tokio::time::sleep(Duration::from_millis(120)).await;
    assert_eq!(
        store
            .claim("k", b"mine", Duration::from_secs(5))
            .await
            .expect("claim"),
        None
    );
}
