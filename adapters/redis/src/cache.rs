use crate::connection::RedisError;
use async_trait::async_trait;
use deadpool_redis::redis::AsyncCommands;
use lingo_kernel::cache::{Cache, CacheError};
use std::time::Duration;

/// The cache port on Redis through a `deadpool-redis` pool.
#[derive(Clone)]
pub struct RedisCache {
    pool: deadpool_redis::Pool,
    prefix: String,
}

impl RedisCache {
    pub fn new(pool: deadpool_redis::Pool, prefix: impl Into<String>) -> Self {
        Self {
            pool,
            prefix: format!("{}cache:", prefix.into()),
        }
    }

    /// Round trip to the server, for readiness checks.
    pub async fn ping(&self) -> Result<(), RedisError> {
        let mut conn = self.pool.get().await?;
        deadpool_redis::redis::cmd("PING")
            .query_async::<String>(&mut conn)
            .await?;
        Ok(())
    }

    /// Connections open and idle in the pool, for metrics.
    pub fn pool_status(&self) -> (usize, usize) {
        let status = self.pool.status();
        (status.size, status.available)
    }

    async fn conn(&self) -> Result<deadpool_redis::Connection, CacheError> {
        self.pool.get().await.map_err(|e| CacheError(e.to_string()))
    }
}

fn cache_error(e: deadpool_redis::redis::RedisError) -> CacheError {
    CacheError(e.to_string())
}

#[async_trait]
impl Cache for RedisCache {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, CacheError> {
        let mut conn = self.conn().await?;
        conn.get(format!("{}{key}", self.prefix))
            .await
            .map_err(cache_error)
    }

    async fn set(&self, key: &str, value: &[u8], ttl: Duration) -> Result<(), CacheError> {
        let mut conn = self.conn().await?;
        let seconds = ttl.as_secs().max(1);
        conn.set_ex::<_, _, ()>(format!("{}{key}", self.prefix), value, seconds)
            .await
            .map_err(cache_error)
    }

    async fn delete(&self, key: &str) -> Result<(), CacheError> {
        let mut conn = self.conn().await?;
        conn.del::<_, ()>(format!("{}{key}", self.prefix))
            .await
            .map_err(cache_error)
    }

    /// One `DEL` for all the keys.
    async fn delete_many(&self, keys: &[String]) -> Result<(), CacheError> {
        if keys.is_empty() {
            return Ok(());
        }
        let mut conn = self.conn().await?;
        let keys: Vec<String> = keys.iter().map(|k| format!("{}{k}", self.prefix)).collect();
        conn.del::<_, ()>(keys).await.map_err(cache_error)
    }
}
