use fred::prelude::{Builder, Client, ClientLike, Config, ReconnectPolicy};
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum RedisError {
    #[error("invalid Redis URL: {0}")]
    Url(String),
    #[error("redis: {0}")]
    Command(String),
}

impl From<fred::error::Error> for RedisError {
    fn from(e: fred::error::Error) -> Self {
        Self::Command(e.to_string())
    }
}

impl From<deadpool_redis::PoolError> for RedisError {
    fn from(e: deadpool_redis::PoolError) -> Self {
        Self::Command(e.to_string())
    }
}

impl From<deadpool_redis::redis::RedisError> for RedisError {
    fn from(e: deadpool_redis::redis::RedisError) -> Self {
        Self::Command(e.to_string())
    }
}

/// Where Redis is and how long to wait for it.
#[derive(Debug, Clone)]
pub struct RedisSettings {
    pub url: String,
    /// Prepended to every key (e.g. `lingo:`); tests use a unique prefix each.
    pub key_prefix: String,
    pub command_timeout: Duration,
    pub pool_size: usize,
}

/// A `fred` client that reconnects by itself, so a Redis restart needs no process restart.
/// It does not wait for the first connection: a process starts (and reports not-ready) while
/// Redis is down.
pub fn connect_fred(settings: &RedisSettings) -> Result<Client, RedisError> {
    let mut config = Config::from_url(&settings.url).map_err(|e| RedisError::Url(e.to_string()))?;
    config.fail_fast = false;
    let client = Builder::from_config(config)
        .with_connection_config(|c| {
            c.connection_timeout = settings.command_timeout;
            c.internal_command_timeout = settings.command_timeout;
        })
        .with_performance_config(|p| {
            p.default_command_timeout = settings.command_timeout;
        })
        .set_policy(ReconnectPolicy::new_exponential(0, 100, 2_000, 2))
        .build()
        .map_err(|e| RedisError::Url(e.to_string()))?;
    client.connect();
    Ok(client)
}

/// A `deadpool-redis` pool for the cache. Every command waits at most `command_timeout` for its
/// answer (the connection's response timeout), so a hung Redis fails calls instead of holding
/// them; checkout, connecting and recycling are bounded by the same value.
pub fn connect_pool(settings: &RedisSettings) -> Result<deadpool_redis::Pool, RedisError> {
    let connection = deadpool_redis::redis::AsyncConnectionConfig::new()
        .set_connection_timeout(Some(settings.command_timeout))
        .set_response_timeout(Some(settings.command_timeout));
    let manager = deadpool_redis::Manager::new_with_config(settings.url.as_str(), connection)
        .map_err(|e| RedisError::Url(e.to_string()))?;
    let mut pool = deadpool_redis::PoolConfig::new(settings.pool_size.max(1));
    pool.timeouts.wait = Some(settings.command_timeout);
    pool.timeouts.create = Some(settings.command_timeout);
    pool.timeouts.recycle = Some(settings.command_timeout);
    deadpool_redis::Pool::builder(manager)
        .config(pool)
        .runtime(deadpool_redis::Runtime::Tokio1)
        .build()
        .map_err(|e| RedisError::Url(e.to_string()))
}
