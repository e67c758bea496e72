use crate::connection::RedisError;
use fred::prelude::{Client, LuaInterface};
use std::time::Duration;

/// A lease held: the fencing token grows every time the lease changes hands, so a write made
/// under an older token can be refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lease {
    pub token: u64,
}

/// A leader lease in Redis: one holder at a time, renewed by its holder, taken over by another
/// replica once the holder stops renewing (dies) and the time to live passes.
///
/// Its keys share the hash tag `{lease:<name>}` (the lease, its fence counter, its ticks), so
/// `ACQUIRE_OR_RENEW`, which touches the first two, stays on one Redis Cluster slot.
#[derive(Clone)]
pub struct RedisLease {
    client: Client,
    key: String,
    fence_key: String,
    holder: String,
    ttl: Duration,
}

const ACQUIRE_OR_RENEW: &str = r#"
local current = redis.call('GET', KEYS[1])
if current then
  local holder, token = string.match(current, '^(.*)|(%d+)$')
  if holder == ARGV[1] then
    redis.call('PEXPIRE', KEYS[1], ARGV[2])
    return tonumber(token)
  end
  return 0
end
local token = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], ARGV[1] .. '|' .. token, 'PX', ARGV[2])
return token
"#;

const RELEASE: &str = r#"
local current = redis.call('GET', KEYS[1])
if current and string.match(current, '^(.*)|%d+$') == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"#;

/// Records that a tick fired, unless it already did or the caller's token is older than the
/// newest one seen (a stale leader). Returns 1 when the caller may fire.
const FENCED_TICK: &str = r#"
local last_token = tonumber(redis.call('HGET', KEYS[1], 'token') or '0')
local last_tick = tonumber(redis.call('HGET', KEYS[1], 'tick') or '0')
if tonumber(ARGV[2]) < last_token then return 0 end
if tonumber(ARGV[1]) <= last_tick then return 0 end
redis.call('HSET', KEYS[1], 'token', ARGV[2], 'tick', ARGV[1])
return 1
"#;

impl RedisLease {
    pub fn new(
        client: Client,
        prefix: &str,
        name: &str,
        holder: impl Into<String>,
        ttl: Duration,
    ) -> Self {
        Self {
            client,
            key: format!("{prefix}{{lease:{name}}}"),
            fence_key: format!("{prefix}{{lease:{name}}}:fence"),
            holder: holder.into(),
            ttl,
        }
    }

    fn ticks_key(&self, entry: &str) -> String {
        format!("{}:ticks:{entry}", self.key)
    }

    /// Takes the lease if free, renews it if ours; `None` when another holder has it.
    pub async fn acquire_or_renew(&self) -> Result<Option<Lease>, RedisError> {
        let ttl_ms = self.ttl.as_millis().to_string();
        let token: u64 = self
            .client
            .eval(
                ACQUIRE_OR_RENEW,
                vec![self.key.clone(), self.fence_key.clone()],
                vec![self.holder.clone(), ttl_ms],
            )
            .await?;
        Ok((token > 0).then_some(Lease { token }))
    }

    /// Gives the lease up (on shutdown) so another replica takes over at once.
    pub async fn release(&self) -> Result<(), RedisError> {
        let _: i64 = self
            .client
            .eval(RELEASE, vec![self.key.clone()], vec![self.holder.clone()])
            .await?;
        Ok(())
    }

    /// Whether `entry` fired at `tick_ms` (or a later tick) already, as recorded by
    /// `claim_tick`.
    pub async fn fired(&self, entry: &str, tick_ms: i64) -> Result<bool, RedisError> {
        use fred::prelude::HashesInterface;
        let last: Option<i64> = self.client.hget(self.ticks_key(entry), "tick").await?;
        Ok(last.is_some_and(|last| tick_ms <= last))
    }

    /// Claims the firing of `entry` at `tick_ms` under `lease`: true exactly once per tick,
    /// and never for a holder whose token has been superseded.
    pub async fn claim_tick(
        &self,
        lease: Lease,
        entry: &str,
        tick_ms: i64,
    ) -> Result<bool, RedisError> {
        let fired: i64 = self
            .client
            .eval(
                FENCED_TICK,
                vec![self.ticks_key(entry)],
                vec![tick_ms.to_string(), lease.token.to_string()],
            )
            .await?;
        Ok(fired == 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::key_slot::key_slot;
    use fred::prelude::{Builder, Config};

    #[test]
    fn a_leases_keys_are_in_one_cluster_slot() {
        // Building a client opens no connection.
        let client = Builder::from_config(Config::default())
            .build()
            .expect("client");
        for (prefix, name) in [("lingo:", "scheduler"), ("", "a:b"), ("test:9e:", "x")] {
            let lease = RedisLease::new(client.clone(), prefix, name, "me", Duration::from_secs(1));
            let slot = key_slot(&lease.key);
            assert!(lease.key.starts_with(prefix));
            assert_eq!(key_slot(&lease.fence_key), slot);
            assert_eq!(key_slot(&lease.ticks_key("outbox.purge")), slot);
        }
    }
}
