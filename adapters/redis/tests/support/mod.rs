//! What the integration tests share: the Redis they run against (`LINGO_REDIS_URL`, a single
//! server or a `redis-cluster://` URL) and a fresh key prefix per test.
#![allow(dead_code)]

use fred::prelude::{Client, ClientLike};
use lingo_redis::{RedisSettings, connect_fred};
use std::time::Duration;

pub fn url() -> String {
    std::env::var("LINGO_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379/0".into())
}

pub fn is_cluster() -> bool {
    url().contains("-cluster://")
}

pub fn prefix() -> String {
    format!("test:{}:", uuid::Uuid::new_v4().simple())
}

pub fn settings(prefix: &str) -> RedisSettings {
    RedisSettings {
        url: url(),
        key_prefix: prefix.to_owned(),
        command_timeout: Duration::from_secs(2),
        pool_size: 2,
    }
}

pub async fn client() -> Client {
    let client = connect_fred(&settings("")).expect("client");
    client.wait_for_connect().await.expect("connected");
    client
}
