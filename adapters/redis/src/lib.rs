//! Redis adapters: the job queue on Redis streams (`fred`), the cache (`deadpool-redis`), the
//! scheduler's lease and the dictionary lookup lock. Every key starts with a configurable prefix,
//! so tests (and several environments sharing one server) never see each other's keys.

mod cache;
mod connection;
mod failed_attempts;
mod idempotency;
mod key_slot;
mod lease;
mod lookup_lock;
mod otp;
mod queue;
mod rate_limit;

pub use cache::RedisCache;
pub use connection::{CachePool, RedisError, RedisSettings, connect_fred, connect_pool};
pub use failed_attempts::RedisFailedAttempts;
pub use idempotency::RedisIdempotencyStore;
pub use key_slot::key_slot;
pub use lease::{Lease, RedisLease};
pub use lookup_lock::RedisLookupLock;
pub use otp::RedisOtpStore;
pub use queue::{QueueSettings, RedisJobQueue, TraceInjector};
pub use rate_limit::RedisRateLimiter;

/// The `fred` client type, for apps that hand a client to `RedisLease` or `RedisJobQueue`.
pub use fred::prelude::Client as RedisClient;
