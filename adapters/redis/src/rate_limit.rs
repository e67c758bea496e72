//! Rate limiting with GCRA (the generic cell rate algorithm) in one Lua script: one key per
//! limited subject holding its "theoretical arrival time"; exact, O(1), shared by every replica.

use async_trait::async_trait;
use fred::prelude::{Client, LuaInterface};
use lingo_kernel::Clock;
use lingo_kernel::rate_limit::{RateDecision, RateGrant, RateLimit, RateLimitError, RateLimiter};
use sha2::{Digest, Sha256};
use std::sync::Arc;
use std::time::Duration;

/// KEYS: the subject's key. ARGV: now_ms, emission interval ms, burst (max).
/// Returns 0 when allowed, else the milliseconds to wait.
const GCRA: &str = r#"
local now = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local burst = tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', KEYS[1]) or ARGV[1])
if tat < now then tat = now end
local new_tat = tat + interval
local allow_at = new_tat - interval * burst
if now < allow_at then return allow_at - now end
redis.call('SET', KEYS[1], new_tat, 'PX', math.ceil(new_tat - now) + 1)
return 0
"#;

/// GCRA for up to ARGV[4] actions at once: as many as the burst allows now (counted as that many
/// single hits), returned as {granted, 0}; or {0, milliseconds to wait for one}.
const GCRA_TAKE: &str = r#"
local now = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local burst = tonumber(ARGV[3])
local want = tonumber(ARGV[4])
local tat = tonumber(redis.call('GET', KEYS[1]) or ARGV[1])
if tat < now then tat = now end
local n = math.floor((now - tat + interval * burst) / interval)
if n > want then n = want end
if n < 1 then return {0, tat + interval - interval * burst - now} end
local new_tat = tat + n * interval
redis.call('SET', KEYS[1], new_tat, 'PX', math.ceil(new_tat - now) + 1)
return {n, 0}
"#;

#[derive(Clone)]
pub struct RedisRateLimiter {
    client: Client,
    prefix: String,
    /// "Now" is passed to the script, so every replica measures with the clock it is given.
    clock: Arc<dyn Clock>,
}

impl RedisRateLimiter {
    pub fn new(client: Client, prefix: &str, clock: Arc<dyn Clock>) -> Self {
        Self {
            client,
            prefix: format!("{prefix}rl:"),
            clock,
        }
    }

    /// Subjects are often personal (an email, a phone, an address): key names carry their hash,
    /// as a hash tag, so any keys of one subject share a Redis Cluster slot.
    fn key(&self, subject: &str) -> String {
        let digest = Sha256::digest(subject.as_bytes());
        let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
        format!("{}{{{hex}}}", self.prefix)
    }
}

impl RedisRateLimiter {
    /// Forgets a subject's count (account deletion).
    pub async fn reset(&self, subject: &str) -> Result<(), crate::RedisError> {
        use fred::prelude::KeysInterface;
        let _: i64 = self.client.del(self.key(subject)).await?;
        Ok(())
    }
}

#[async_trait]
impl RateLimiter for RedisRateLimiter {
    async fn hit(&self, subject: &str, limit: RateLimit) -> Result<RateDecision, RateLimitError> {
        let max = limit.max.max(1);
        let interval_ms = (limit.window.as_millis() as u64 / u64::from(max)).max(1);
        let now_ms = self.clock.now().timestamp_millis();
        let wait_ms: i64 = self
            .client
            .eval(
                GCRA,
                vec![self.key(subject)],
                vec![now_ms.to_string(), interval_ms.to_string(), max.to_string()],
            )
            .await
            .map_err(|e| RateLimitError(e.to_string()))?;
        Ok(if wait_ms <= 0 {
            RateDecision::Allowed
        } else {
            RateDecision::Limited {
                retry_after: Duration::from_millis(wait_ms as u64),
            }
        })
    }

    async fn take(
        &self,
        subject: &str,
        limit: RateLimit,
        n: u32,
    ) -> Result<RateGrant, RateLimitError> {
        let max = limit.max.max(1);
        let interval_ms = (limit.window.as_millis() as u64 / u64::from(max)).max(1);
        let now_ms = self.clock.now().timestamp_millis();
        let (granted, wait_ms): (i64, i64) = self
            .client
            .eval(
                GCRA_TAKE,
                vec![self.key(subject)],
                vec![
                    now_ms.to_string(),
                    interval_ms.to_string(),
                    max.to_string(),
                    n.max(1).to_string(),
                ],
            )
            .await
            .map_err(|e| RateLimitError(e.to_string()))?;
        Ok(if granted > 0 {
            RateGrant::Granted(granted as u32)
        } else {
            RateGrant::Limited {
                retry_after: Duration::from_millis(wait_ms.max(1) as u64),
            }
        })
    }
}
