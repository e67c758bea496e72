//! On a Redis Cluster (`just test-redis-cluster`), the slots `key_slot` computes are the ones
//! the server answers with `CLUSTER KEYSLOT`, for the queue's and a lease's key shapes.

mod support;

use fred::prelude::ClientLike;
use fred::types::{ClusterHash, CustomCommand};
use lingo_redis::key_slot;

#[tokio::test]
async fn computed_slots_match_the_clusters() {
    if !support::is_cluster() {
        eprintln!("LINGO_REDIS_URL is not a redis-cluster:// URL: nothing to compare with");
        return;
    }
    let client = support::client().await;
    let keys = [
        "lingo:{jobs}:stream",
        "lingo:{jobs}:job:0190f7a2-7c1e-7d3a-9a4b-1f2e3d4c5b6a",
        "lingo:{lease:scheduler}:fence",
        "lingo:rl:{00112233445566778899aabbccddeeff}",
        "lingo:cache:word:en:house",
        "foo{}{bar}",
    ];
    for key in keys {
        // Any node answers; the key is an argument, not routed on.
        let command = CustomCommand::new("CLUSTER", ClusterHash::Random, false);
        let slot: u16 = client
            .custom(command, vec!["KEYSLOT", key])
            .await
            .expect("CLUSTER KEYSLOT");
        assert_eq!(key_slot(key), slot, "{key}");
    }
}
