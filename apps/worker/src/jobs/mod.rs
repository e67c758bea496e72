//! The job types the worker runs today, and their registration. Later features add theirs here.

mod outbox_purge;
mod purge_user;
mod queue_stats;
mod system_echo;

pub use lingo_kernel::jobs::system::{PurgeOutbox, QueueStatsReport, SystemEcho};

use crate::Registry;
use lingo_kernel::jobs::Job;
use lingo_postgres::PgOutbox;
use lingo_redis::{RedisJobQueue, RedisOtpStore, RedisRateLimiter};
use lingo_users::account::PurgeUserData;
use std::time::Duration;

/// Names of every registered job type (the scheduler checks its entries against this).
pub const KNOWN: &[&str] = &[
    SystemEcho::NAME,
    PurgeOutbox::NAME,
    QueueStatsReport::NAME,
    PurgeUserData::NAME,
];

/// What the job handlers need.
#[derive(Clone)]
pub struct JobDeps {
    pub outbox: PgOutbox,
    pub queue: RedisJobQueue,
    pub otps: RedisOtpStore,
    pub limiter: RedisRateLimiter,
    pub outbox_retention: Duration,
}

impl JobDeps {
    pub fn new(stores: &lingo_bootstrap::Stores, outbox_retention: Duration) -> Self {
        Self {
            outbox: stores.outbox.clone(),
            queue: stores.queue.clone(),
            otps: RedisOtpStore::new(stores.redis.clone(), &stores.redis_prefix),
            limiter: RedisRateLimiter::new(stores.redis.clone(), &stores.redis_prefix),
            outbox_retention,
        }
    }
}

pub fn registry(deps: JobDeps) -> Registry {
    let mut registry = Registry::new();
    registry.register(system_echo::run);
    {
        let deps = deps.clone();
        registry.register(move |ctx, job| outbox_purge::run(deps.clone(), ctx, job));
    }
    {
        let deps = deps.clone();
        registry.register(move |ctx, job| purge_user::run(deps.clone(), ctx, job));
    }
    registry.register(move |ctx, job| queue_stats::run(deps.clone(), ctx, job));
    registry
}
