//! The job types the worker runs today, and their registration. Later features add theirs here.

mod optimise_fsrs;
mod outbox_purge;
mod purge_user;
mod queue_stats;
mod system_echo;

pub use lingo_kernel::jobs::system::{PurgeOutbox, QueueStatsReport, SystemEcho};

use crate::Registry;
use lingo_kernel::jobs::Job;
use lingo_learning::optimise::{OptimiseAllFsrs, OptimiseFsrs, OptimiseParameters};
use lingo_learning::ports::ReviewHistory;
use lingo_postgres::{PgFsrsParameters, PgOutbox};
use lingo_redis::{RedisJobQueue, RedisOtpStore, RedisRateLimiter};
use lingo_users::account::PurgeUserData;
use std::sync::Arc;
use std::time::Duration;

/// Names of every registered job type (the scheduler checks its entries against this).
pub const KNOWN: &[&str] = &[
    SystemEcho::NAME,
    PurgeOutbox::NAME,
    QueueStatsReport::NAME,
    PurgeUserData::NAME,
    OptimiseFsrs::NAME,
    OptimiseAllFsrs::NAME,
];

/// What the job handlers need.
#[derive(Clone)]
pub struct JobDeps {
    pub outbox: PgOutbox,
    pub queue: RedisJobQueue,
    pub otps: RedisOtpStore,
    pub limiter: RedisRateLimiter,
    pub outbox_retention: Duration,
    pub optimise: Arc<OptimiseParameters>,
    pub review_history: Arc<dyn ReviewHistory>,
}

impl JobDeps {
    pub fn new(stores: &lingo_bootstrap::Stores, outbox_retention: Duration) -> Self {
        let fsrs = PgFsrsParameters::new(stores.postgres.clone());
        Self {
            outbox: stores.outbox.clone(),
            queue: stores.queue.clone(),
            otps: RedisOtpStore::new(stores.redis.clone(), &stores.redis_prefix),
            limiter: RedisRateLimiter::new(stores.redis.clone(), &stores.redis_prefix),
            outbox_retention,
            optimise: Arc::new(OptimiseParameters::new(
                Arc::new(fsrs.clone()),
                Arc::new(fsrs.clone()),
            )),
            review_history: Arc::new(fsrs),
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
    {
        let deps = deps.clone();
        registry.register(move |ctx, job| optimise_fsrs::run(deps.clone(), ctx, job));
    }
    {
        let deps = deps.clone();
        registry.register(move |ctx, job| optimise_fsrs::run_all(deps.clone(), ctx, job));
    }
    registry.register(move |ctx, job| queue_stats::run(deps.clone(), ctx, job));
    registry
}
