//! The single-flight lock of dictionary lookups: one `SET NX PX` key per word, holding a random
//! token so that only its holder releases it.

use async_trait::async_trait;
use fred::prelude::{Client, Expiration, KeysInterface, LuaInterface, SetOptions};
use lingo_dictionary::ports::{LookupLock, StoreError};
use std::time::Duration;
use tokio::time::Instant;

/// Deletes the key only if it still holds the caller's token: after the TTL another caller may
/// hold the lock, and a late release must not free it.
const RELEASE: &str = r#"
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"#;

/// How often `wait_released` looks again.
const POLL_INTERVAL: Duration = Duration::from_millis(20);

fn unavailable(e: fred::error::Error) -> StoreError {
    StoreError::Unavailable(format!("redis: {e}"))
}

#[derive(Clone)]
pub struct RedisLookupLock {
    client: Client,
    prefix: String,
}

impl RedisLookupLock {
    pub fn new(client: Client, prefix: &str) -> Self {
        Self {
            client,
            prefix: format!("{prefix}lock:"),
        }
    }

    fn key(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }
}

#[async_trait]
impl LookupLock for RedisLookupLock {
    #[tracing::instrument(skip(self))]
    async fn try_acquire(&self, key: &str, ttl: Duration) -> Result<Option<String>, StoreError> {
        let token = uuid::Uuid::new_v4().simple().to_string();
        // PX 0 is an error to Redis: a lock lives at least a millisecond.
        let ttl_ms = i64::try_from(ttl.as_millis()).unwrap_or(i64::MAX).max(1);
        let reply: Option<String> = self
            .client
            .set(
                self.key(key),
                token.as_str(),
                Some(Expiration::PX(ttl_ms)),
                Some(SetOptions::NX),
                false,
            )
            .await
            .map_err(unavailable)?;
        Ok(reply.map(|_| token))
    }

    #[tracing::instrument(skip(self, token))]
    async fn release(&self, key: &str, token: &str) -> Result<(), StoreError> {
        let _: i64 = self
            .client
            .eval(RELEASE, vec![self.key(key)], vec![token.to_owned()])
            .await
            .map_err(unavailable)?;
        Ok(())
    }

    #[tracing::instrument(skip(self))]
    async fn wait_released(&self, key: &str, timeout: Duration) -> Result<(), StoreError> {
        let key = self.key(key);
        let deadline = Instant::now() + timeout;
        loop {
            let held: i64 = self.client.exists(&key).await.map_err(unavailable)?;
            let now = Instant::now();
            if held == 0 || now >= deadline {
                return Ok(());
            }
            tokio::time::sleep(POLL_INTERVAL.min(deadline - now)).await;
        }
    }
}
