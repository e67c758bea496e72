//! The job types the worker runs today, and their registration. Later features add theirs here.

mod generate_content;
mod import_dictionary;
mod optimise_fsrs;
mod outbox_purge;
mod propagate_deck;
mod purge_user;
mod queue_stats;
mod system_echo;

pub use lingo_kernel::jobs::system::{PurgeOutbox, QueueStatsReport, SystemEcho};

use crate::Registry;
use lingo_content::generate_content::{ContentService, GenerateContent};
use lingo_dictionary::import::{ImportDictionary, ImportService};
use lingo_kernel::jobs::Job;
use lingo_kernel::jobs::{JobContext, JobError};
use lingo_kernel::{Clock, SystemClock};
use lingo_learning::deck::PropagateSystemDeck;
use lingo_learning::optimise::{OptimiseAllFsrs, OptimiseFsrs, OptimiseParameters};
use lingo_learning::ports::{DeckStore, ReviewHistory};
use lingo_postgres::{PgDeckStore, PgFsrsParameters, PgOutbox};
use lingo_redis::{RedisJobQueue, RedisOtpStore, RedisRateLimiter};
use lingo_users::account::PurgeUserData;
use serde::Serialize;
use std::future::Future;
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
    PropagateSystemDeck::NAME,
    ImportDictionary::NAME,
    GenerateContent::NAME,
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
    pub decks: Arc<dyn DeckStore>,
    pub import: Arc<ImportService>,
    /// Learner content; the offline extractive generator unless `with_content` says otherwise.
    pub content: Arc<ContentService>,
    pub clock: Arc<dyn Clock>,
}

impl JobDeps {
    pub fn new(stores: &lingo_bootstrap::Stores, outbox_retention: Duration) -> Self {
        let fsrs = PgFsrsParameters::new(stores.postgres.clone());
        let clock: Arc<dyn Clock> = Arc::new(SystemClock);
        Self {
            outbox: stores.outbox.clone(),
            queue: stores.queue.clone(),
            otps: RedisOtpStore::new(stores.redis.clone(), &stores.redis_prefix),
            limiter: RedisRateLimiter::new(
                stores.redis.clone(),
                &stores.redis_prefix,
                clock.clone(),
            ),
            outbox_retention,
            optimise: Arc::new(OptimiseParameters::new(
                Arc::new(fsrs.clone()),
                Arc::new(fsrs.clone()),
            )),
            review_history: Arc::new(fsrs),
            decks: Arc::new(PgDeckStore::new(stores.postgres.clone())),
            import: Arc::new(lingo_bootstrap::dictionary::import_service(stores)),
            content: Arc::new(lingo_bootstrap::content::content_service_with(
                Arc::new(lingo_content::extractive::ExtractiveGenerator),
                stores,
            )),
            clock,
        }
    }

    /// With the content service the configuration names (an LLM or the extractive generator).
    pub fn with_content(mut self, content: ContentService) -> Self {
        self.content = Arc::new(content);
        self
    }
}

/// Registers a handler that needs the shared dependencies.
fn with_deps<J, F, Fut, R>(registry: &mut Registry, deps: &JobDeps, handler: F)
where
    J: Job,
    F: Fn(JobDeps, JobContext, J) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<R, JobError>> + Send + 'static,
    R: Serialize,
{
    let deps = deps.clone();
    registry.register(move |ctx, job| handler(deps.clone(), ctx, job));
}

pub fn registry(deps: JobDeps) -> Registry {
    let mut registry = Registry::new();
    registry.register(system_echo::run);
    with_deps(&mut registry, &deps, outbox_purge::run);
    with_deps(&mut registry, &deps, purge_user::run);
    with_deps(&mut registry, &deps, optimise_fsrs::run);
    with_deps(&mut registry, &deps, optimise_fsrs::run_all);
    with_deps(&mut registry, &deps, propagate_deck::run);
    with_deps(&mut registry, &deps, queue_stats::run);
    with_deps(&mut registry, &deps, import_dictionary::run);
    with_deps(&mut registry, &deps, generate_content::run);
    registry
}
