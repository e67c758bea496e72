//! The job types the worker runs today, and their registration. Later features add theirs here.

mod outbox_purge;
mod queue_stats;
mod system_echo;

pub use lingo_kernel::jobs::system::{PurgeOutbox, QueueStatsReport, SystemEcho};

use crate::Registry;
use lingo_kernel::jobs::Job;
use lingo_postgres::PgOutbox;
use lingo_redis::RedisJobQueue;
use std::time::Duration;

/// Names of every registered job type (the scheduler checks its entries against this).
pub const KNOWN: &[&str] = &[SystemEcho::NAME, PurgeOutbox::NAME, QueueStatsReport::NAME];

/// What the job handlers need.
#[derive(Clone)]
pub struct JobDeps {
    pub outbox: PgOutbox,
    pub queue: RedisJobQueue,
    pub outbox_retention: Duration,
}

pub fn registry(deps: JobDeps) -> Registry {
    let mut registry = Registry::new();
    registry.register(system_echo::run);
    {
        let deps = deps.clone();
        registry.register(move |ctx, job| outbox_purge::run(deps.clone(), ctx, job));
    }
    registry.register(move |ctx, job| queue_stats::run(deps.clone(), ctx, job));
    registry
}
