//! One-time codes in Redis: the code's hash and an attempt counter under one key with a TTL.

use crate::connection::RedisError;
use async_trait::async_trait;
use fred::prelude::{Client, KeysInterface, LuaInterface};
use lingo_users::PhoneNumber;
use lingo_users::ports::{OtpCheck, OtpStore, Unavailable};
use sha2::{Digest, Sha256};
use std::time::Duration;

#[derive(Clone)]
pub struct RedisOtpStore {
    client: Client,
    prefix: String,
}

/// KEYS: code key. ARGV: code hash (hex). Returns attempts left after a wrong code, -1 for a
/// valid code (consumed), -2 when there is no code.
const CHECK: &str = r#"
local stored = redis.call('HGET', KEYS[1], 'hash')
if not stored then return -2 end
if stored == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return -1
end
local left = redis.call('HINCRBY', KEYS[1], 'left', -1)
if left <= 0 then redis.call('DEL', KEYS[1]) end
return math.max(left, 0)
"#;

fn unavailable(e: fred::error::Error) -> Unavailable {
    Unavailable(format!("redis: {e}"))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl RedisOtpStore {
    pub fn new(client: Client, prefix: &str) -> Self {
        Self {
            client,
            prefix: prefix.to_owned(),
        }
    }

    /// Keys are named by a hash of the number: no phone numbers in key names.
    fn key(&self, phone: &PhoneNumber) -> String {
        format!(
            "{}otp:{}",
            self.prefix,
            hex(&Sha256::digest(phone.as_str().as_bytes()))
        )
    }

    /// Drops any pending code of this number (account deletion).
    pub async fn forget(&self, phone: &PhoneNumber) -> Result<(), RedisError> {
        let _: i64 = self.client.del(self.key(phone)).await?;
        Ok(())
    }
}

#[async_trait]
impl OtpStore for RedisOtpStore {
    async fn put(
        &self,
        phone: &PhoneNumber,
        code_hash: &[u8],
        ttl: Duration,
        max_attempts: u32,
    ) -> Result<(), Unavailable> {
        let _: i64 = self
            .client
            .eval(
                "redis.call('DEL', KEYS[1]); redis.call('HSET', KEYS[1], 'hash', ARGV[1], 'left', ARGV[2]); \
                 redis.call('PEXPIRE', KEYS[1], ARGV[3]); return 1",
                vec![self.key(phone)],
                vec![hex(code_hash), max_attempts.to_string(), ttl.as_millis().to_string()],
            )
            .await
            .map_err(unavailable)?;
        Ok(())
    }

    async fn check(&self, phone: &PhoneNumber, code_hash: &[u8]) -> Result<OtpCheck, Unavailable> {
        let outcome: i64 = self
            .client
            .eval(CHECK, vec![self.key(phone)], vec![hex(code_hash)])
            .await
            .map_err(unavailable)?;
        Ok(match outcome {
            -1 => OtpCheck::Valid,
            -2 => OtpCheck::Missing,
            0 => OtpCheck::Wrong { attempts_left: 0 },
            left => OtpCheck::Wrong {
                attempts_left: u32::try_from(left).unwrap_or(0),
            },
        })
    }
}
