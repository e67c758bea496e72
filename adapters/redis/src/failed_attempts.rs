//! Progressive delay in one Lua script: a hash per (identifier, address) with the attempts that
//! did not succeed and the time of the last one. Checking and counting are one atomic step, so
//! parallel guesses cannot all pass before the first failure is written.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use fred::prelude::{Client, KeysInterface, LuaInterface};
use lingo_kernel::failed_attempts::{AttemptDecision, FailedAttempts, ProgressiveDelay};
use lingo_kernel::rate_limit::RateLimitError;
use sha2::{Digest, Sha256};
use std::time::Duration;

/// KEYS: the subject's hash. ARGV: now_ms, free, base_ms, max_ms, forget_ms.
/// Returns 0 when allowed (the attempt is counted), else the milliseconds to wait. The delay is
/// `ProgressiveDelay::delay`: base · 2^(attempts − free), capped at max.
const BEGIN: &str = r#"
local now = tonumber(ARGV[1])
local free = tonumber(ARGV[2])
local base = tonumber(ARGV[3])
local max = tonumber(ARGV[4])
local forget = tonumber(ARGV[5])
local attempts = tonumber(redis.call('HGET', KEYS[1], 'n') or '0')
local last = tonumber(redis.call('HGET', KEYS[1], 't') or '0')
if attempts >= free then
  local doublings = math.min(attempts - free, 30)
  local delay = math.min(max, base * (2 ^ doublings))
  local wait = last + delay - now
  if wait > 0 then return math.ceil(wait) end
end
redis.call('HSET', KEYS[1], 'n', attempts + 1, 't', now)
redis.call('PEXPIRE', KEYS[1], forget)
return 0
"#;

#[derive(Clone)]
pub struct RedisFailedAttempts {
    client: Client,
    prefix: String,
}

impl RedisFailedAttempts {
    pub fn new(client: Client, prefix: &str) -> Self {
        Self {
            client,
            prefix: format!("{prefix}fa:"),
        }
    }

    /// Subjects are personal (an email or a phone with an address): key names carry their hash.
    fn key(&self, subject: &str) -> String {
        let digest = Sha256::digest(subject.as_bytes());
        let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
        format!("{}{hex}", self.prefix)
    }
}

fn millis(d: Duration) -> String {
    d.as_millis().min(u128::from(u64::MAX)).to_string()
}

#[async_trait]
impl FailedAttempts for RedisFailedAttempts {
    async fn begin(
        &self,
        key: &str,
        rule: ProgressiveDelay,
        now: DateTime<Utc>,
    ) -> Result<AttemptDecision, RateLimitError> {
        let wait_ms: i64 = self
            .client
            .eval(
                BEGIN,
                vec![self.key(key)],
                vec![
                    now.timestamp_millis().to_string(),
                    rule.free.to_string(),
                    millis(rule.base),
                    millis(rule.max),
                    millis(rule.forget_after.max(Duration::from_millis(1))),
                ],
            )
            .await
            .map_err(|e| RateLimitError(e.to_string()))?;
        Ok(if wait_ms <= 0 {
            AttemptDecision::Allowed
        } else {
            AttemptDecision::Wait {
                retry_after: Duration::from_millis(wait_ms as u64),
            }
        })
    }

    async fn succeeded(&self, key: &str) -> Result<(), RateLimitError> {
        let _: i64 = self
            .client
            .del(self.key(key))
            .await
            .map_err(|e| RateLimitError(e.to_string()))?;
        Ok(())
    }
}
