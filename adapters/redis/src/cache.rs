use crate::connection::{CachePool, RedisError};
use async_trait::async_trait;
use deadpool_redis::redis::{Cmd, FromRedisValue, cmd};
use lingo_kernel::cache::{Cache, CacheError};
use std::time::Duration;

/// The cache port on Redis through a `deadpool-redis` pool, on one server or a Redis Cluster.
/// Every command touches one key, except `delete_many`'s `DEL`, which the cluster client splits
/// by slot.
#[derive(Clone)]
pub struct RedisCache {
    pool: CachePool,
    prefix: String,
}

impl RedisCache {
    pub fn new(pool: CachePool, prefix: impl Into<String>) -> Self {
        Self {
            pool,
            prefix: format!("{}cache:", prefix.into()),
        }
    }

    /// Round trip to the server, for readiness checks.
    pub async fn ping(&self) -> Result<(), RedisError> {
        self.query::<String>(&cmd("PING"))
            .await
            .map_err(|e| RedisError::Command(e.0))?;
        Ok(())
    }

    /// Connections open and idle in the pool, for metrics.
    pub fn pool_status(&self) -> (usize, usize) {
        self.pool.status()
    }

    fn key(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }

    async fn query<T: FromRedisValue>(&self, command: &Cmd) -> Result<T, CacheError> {
        match &self.pool {
            CachePool::Single(pool) => {
                let mut conn = pool.get().await.map_err(cache_error)?;
                command.query_async(&mut conn).await.map_err(cache_error)
            }
            CachePool::Cluster { pool, timeout } => {
                let call = async {
                    let mut conn = pool.get().await.map_err(cache_error)?;
                    command.query_async(&mut conn).await.map_err(cache_error)
                };
                tokio::time::timeout(*timeout, call)
                    .await
                    .map_err(|_| CacheError("redis cluster: timed out".into()))?
            }
        }
    }
}

fn cache_error(e: impl std::fmt::Display) -> CacheError {
    CacheError(e.to_string())
}

#[async_trait]
impl Cache for RedisCache {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, CacheError> {
        self.query(cmd("GET").arg(self.key(key))).await
    }

    async fn set(&self, key: &str, value: &[u8], ttl: Duration) -> Result<(), CacheError> {
        let seconds = ttl.as_secs().max(1);
        self.query(
            cmd("SET")
                .arg(self.key(key))
                .arg(value)
                .arg("EX")
                .arg(seconds),
        )
        .await
    }

    async fn delete(&self, key: &str) -> Result<(), CacheError> {
        self.query(cmd("DEL").arg(self.key(key))).await
    }

    /// One `DEL` for all the keys (split by slot on a cluster).
    async fn delete_many(&self, keys: &[String]) -> Result<(), CacheError> {
        if keys.is_empty() {
            return Ok(());
        }
        let keys: Vec<String> = keys.iter().map(|k| self.key(k)).collect();
        self.query(cmd("DEL").arg(keys)).await
    }
}
