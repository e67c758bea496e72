//! The rate-limiter port: "may this key act now?", answered by a shared store so every api
//! replica counts together.

use async_trait::async_trait;
use std::time::Duration;

/// At most `max` actions per `window`, with bursts up to `max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    pub max: u32,
    pub window: Duration,
}

impl RateLimit {
    pub const fn per(max: u32, window: Duration) -> Self {
        Self { max, window }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateDecision {
    Allowed,
    Limited { retry_after: Duration },
}

/// The answer to "may `key` act `n` times?": some of the actions (at least one, at most `n`), or
/// none before `retry_after`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateGrant {
    Granted(u32),
    Limited { retry_after: Duration },
}

#[derive(Debug, thiserror::Error)]
#[error("rate limiter unavailable: {0}")]
pub struct RateLimitError(pub String);

#[async_trait]
pub trait RateLimiter: Send + Sync {
    /// Counts one action of `key` against `limit`.
    async fn hit(&self, key: &str, limit: RateLimit) -> Result<RateDecision, RateLimitError>;

    /// Counts up to `n` actions of `key` at once: as many as `limit` allows now (at least one),
    /// or none with the wait for the next one. Counted exactly like `n` calls of `hit`, so a
    /// caller may spend the granted actions later (`LeasedRateLimiter`). The default asks for one.
    async fn take(&self, key: &str, limit: RateLimit, n: u32) -> Result<RateGrant, RateLimitError> {
        let _ = n;
        Ok(match self.hit(key, limit).await? {
            RateDecision::Allowed => RateGrant::Granted(1),
            RateDecision::Limited { retry_after } => RateGrant::Limited { retry_after },
        })
    }
}

/// One class of requests under one limit, counted per client key: "may this client act now?".
#[derive(Clone)]
pub struct RequestThrottle {
    limiter: std::sync::Arc<dyn RateLimiter>,
    limit: RateLimit,
}

impl RequestThrottle {
    pub fn new(limiter: std::sync::Arc<dyn RateLimiter>, limit: RateLimit) -> Self {
        Self { limiter, limit }
    }

    /// Counts one request of `key` (already namespaced by the caller, e.g. `auth:203.0.113.7`).
    pub async fn hit(&self, key: &str) -> Result<RateDecision, RateLimitError> {
        self.limiter.hit(key, self.limit).await
    }
}
