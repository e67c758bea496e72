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
/// Redis is down. A `redis-cluster://host:port[?node=host:port…]` URL makes it a Redis Cluster
/// client (commands routed by key slot, redirections followed).
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

/// The cache's connection pool: one Redis server, or a Redis Cluster when the URL's scheme is
/// `redis-cluster://` (or `rediss-cluster://`).
#[derive(Clone)]
pub enum CachePool {
    Single(deadpool_redis::Pool),
    /// The cluster client has no per-command timeout of its own, hence `timeout` around each
    /// call.
    Cluster {
        pool: deadpool_redis::cluster::Pool,
        timeout: Duration,
    },
}

impl CachePool {
    /// Connections open and idle in the pool.
    pub fn status(&self) -> (usize, usize) {
        let status = match self {
            Self::Single(pool) => pool.status(),
            Self::Cluster { pool, .. } => pool.status(),
        };
        (status.size, status.available)
    }
}

/// A `deadpool-redis` pool for the cache. Every command waits at most `command_timeout` for its
/// answer (the connection's response timeout), so a hung Redis fails calls instead of holding
/// them; checkout, connecting and recycling are bounded by the same value.
pub fn connect_pool(settings: &RedisSettings) -> Result<CachePool, RedisError> {
    let mut pool = deadpool_redis::PoolConfig::new(settings.pool_size.max(1));
    pool.timeouts.wait = Some(settings.command_timeout);
    pool.timeouts.create = Some(settings.command_timeout);
    pool.timeouts.recycle = Some(settings.command_timeout);
    if let Some(nodes) = cluster_nodes(&settings.url)? {
        let manager = deadpool_redis::cluster::Manager::new(nodes, false)
            .map_err(|e| RedisError::Url(e.to_string()))?;
        let pool = deadpool_redis::cluster::Pool::builder(manager)
            .config(pool)
            .runtime(deadpool_redis::Runtime::Tokio1)
            .build()
            .map_err(|e| RedisError::Url(e.to_string()))?;
        return Ok(CachePool::Cluster {
            pool,
            timeout: settings.command_timeout,
        });
    }
    let connection = deadpool_redis::redis::AsyncConnectionConfig::new()
        .set_connection_timeout(Some(settings.command_timeout))
        .set_response_timeout(Some(settings.command_timeout));
    let manager = deadpool_redis::Manager::new_with_config(settings.url.as_str(), connection)
        .map_err(|e| RedisError::Url(e.to_string()))?;
    deadpool_redis::Pool::builder(manager)
        .config(pool)
        .runtime(deadpool_redis::Runtime::Tokio1)
        .build()
        .map(CachePool::Single)
        .map_err(|e| RedisError::Url(e.to_string()))
}

/// The seed nodes of a cluster URL in fred's form,
/// `redis-cluster://[user:password@]host:port[?node=host:port&node=…]`, as single-node URLs
/// (`redis://[user:password@]host:port`); `None` for any other scheme.
fn cluster_nodes(url: &str) -> Result<Option<Vec<String>>, RedisError> {
    let (node_scheme, rest) = if let Some(rest) = url.strip_prefix("redis-cluster://") {
        ("redis", rest)
    } else if let Some(rest) = url.strip_prefix("rediss-cluster://") {
        ("rediss", rest)
    } else {
        return Ok(None);
    };
    let (authority, query) = rest.split_once('?').unwrap_or((rest, ""));
    let authority = authority.split('/').next().unwrap_or_default();
    let (userinfo, first) = match authority.rsplit_once('@') {
        Some((userinfo, host)) => (format!("{userinfo}@"), host),
        None => (String::new(), authority),
    };
    if first.is_empty() {
        return Err(RedisError::Url(format!(
            "no host in {node_scheme}-cluster URL"
        )));
    }
    let others = query
        .split('&')
        .filter_map(|pair| pair.strip_prefix("node="))
        .filter(|node| !node.is_empty());
    Ok(Some(
        std::iter::once(first)
            .chain(others)
            .map(|node| format!("{node_scheme}://{userinfo}{node}"))
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cluster_url_names_its_seed_nodes() {
        assert_eq!(
            cluster_nodes("redis-cluster://127.0.0.1:7101").expect("valid"),
            Some(vec!["redis://127.0.0.1:7101".to_owned()])
        );
        assert_eq!(
            cluster_nodes("rediss-cluster://u:p@a:1?node=b:2&node=c:3").expect("valid"),
            Some(vec![
                "rediss://u:p@a:1".to_owned(),
                "rediss://u:p@b:2".to_owned(),
                "rediss://u:p@c:3".to_owned(),
            ])
        );
        assert_eq!(
            cluster_nodes("redis://127.0.0.1:6379/0").expect("valid"),
            None
        );
        assert!(cluster_nodes("redis-cluster://").is_err());
    }

    #[test]
    fn fred_reads_the_same_cluster_url() {
        let config = Config::from_url("redis-cluster://127.0.0.1:7101?node=127.0.0.1:7102")
            .expect("a cluster URL");
        assert!(config.server.is_clustered());
    }
}
