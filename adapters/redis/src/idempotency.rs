//! The idempotency port on Redis: one key per caller and idempotency key, claimed with
//! `SET NX PX` and overwritten by the outcome.

use async_trait::async_trait;
use fred::prelude::{Client, Expiration, KeysInterface, SetOptions};
use fred::types::Value;
use lingo_kernel::idempotency::{IdempotencyError, IdempotencyStore};
use std::time::Duration;

fn unavailable(e: fred::error::Error) -> IdempotencyError {
    IdempotencyError(format!("redis: {e}"))
}

fn millis(ttl: Duration) -> i64 {
    // PX 0 is an error to Redis.
    i64::try_from(ttl.as_millis()).unwrap_or(i64::MAX).max(1)
}

#[derive(Clone)]
pub struct RedisIdempotencyStore {
    client: Client,
    prefix: String,
}

impl RedisIdempotencyStore {
    pub fn new(client: Client, prefix: &str) -> Self {
        Self {
            client,
            prefix: format!("{prefix}idempotency:"),
        }
    }

    fn key(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }
}

#[async_trait]
impl IdempotencyStore for RedisIdempotencyStore {
    #[tracing::instrument(skip(self, pending))]
    async fn claim(
        &self,
        key: &str,
        pending: &[u8],
        ttl: Duration,
    ) -> Result<Option<Vec<u8>>, IdempotencyError> {
        let key = self.key(key);
        // A holder whose key expires between our SET and GET leaves it free: claim again.
        for _ in 0..3 {
            let set: Value = self
                .client
                .set(
                    &key,
                    pending.to_vec(),
                    Some(Expiration::PX(millis(ttl))),
                    Some(SetOptions::NX),
                    false,
                )
                .await
                .map_err(unavailable)?;
            if !set.is_null() {
                return Ok(None);
            }
            let held: Option<Vec<u8>> = self.client.get(&key).await.map_err(unavailable)?;
            if held.is_some() {
                return Ok(held);
            }
        }
        Err(IdempotencyError("the key kept changing hands".into()))
    }

    #[tracing::instrument(skip(self, outcome))]
    async fn complete(
        &self,
        key: &str,
        outcome: &[u8],
        ttl: Duration,
    ) -> Result<(), IdempotencyError> {
        let _: Value = self
            .client
            .set(
                self.key(key),
                outcome.to_vec(),
                Some(Expiration::PX(millis(ttl))),
                None,
                false,
            )
            .await
            .map_err(unavailable)?;
        Ok(())
    }

    #[tracing::instrument(skip(self))]
    async fn release(&self, key: &str) -> Result<(), IdempotencyError> {
        let _: i64 = self.client.del(self.key(key)).await.map_err(unavailable)?;
        Ok(())
    }
}
