//! The cache against the configured Redis (a cluster with `just test-redis-cluster`, where
//! `delete_many`'s keys fall in different slots).

mod support;

use lingo_kernel::cache::Cache;
use lingo_redis::{RedisCache, connect_pool};
use std::time::Duration;

#[tokio::test]
async fn values_are_read_back_and_deleted_together_across_slots() {
    let prefix = support::prefix();
    let cache = RedisCache::new(
        connect_pool(&support::settings(&prefix)).expect("pool"),
        &prefix,
    );
    cache.ping().await.expect("ping");
    let keys: Vec<String> = (0..20).map(|i| format!("word:{i}")).collect();
    for key in &keys {
        cache
            .set(key, key.as_bytes(), Duration::from_secs(60))
            .await
            .expect("set");
    }
    assert_eq!(
        cache.get("word:7").await.expect("get").as_deref(),
        Some(&b"word:7"[..])
    );
    cache.delete("word:7").await.expect("delete");
    assert_eq!(cache.get("word:7").await.expect("get"), None);
    cache.delete_many(&keys).await.expect("delete many");
    for key in &keys {
        assert_eq!(cache.get(key).await.expect("get"), None, "{key} deleted");
    }
}
