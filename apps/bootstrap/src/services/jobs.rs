//! What the worker's job handlers use, built by the composition root.

use lingo_content::generate_content::ContentGenerationService;
use lingo_content::prepare_content::ContentPreparationService;
use lingo_dictionary::import::ImportService;
use lingo_dictionary::reconcile::ReconcileService;
use lingo_kernel::Clock;
use lingo_kernel::jobs::DurableJobs;
use lingo_learning::optimise::OptimiseService;
use lingo_learning::ports::{DeckStore, ReviewHistory};
use lingo_learning::prepare_content::ContentPreparation;
use lingo_redis::{RedisOtpStore, RedisRateLimiter};
use std::sync::Arc;
use std::time::Duration;

/// The dependencies of the job handlers. The job queue is an infrastructure handle (enqueueing
/// follow-up jobs, statistics, the ledger's purge); the Redis stores are erased by the account
/// purge.
#[derive(Clone)]
pub struct JobDeps {
    pub jobs: DurableJobs,
    pub otps: RedisOtpStore,
    pub limiter: RedisRateLimiter,
    pub outbox_retention: Duration,
    pub optimise: Arc<OptimiseService>,
    pub review_history: Arc<dyn ReviewHistory>,
    pub decks: Arc<dyn DeckStore>,
    /// `learning.import_words`.
    pub import_words: Arc<lingo_learning::import_words::ImportWordsService>,
    pub import: Arc<ImportService>,
    pub reconcile: Arc<ReconcileService>,
    pub content: Arc<ContentGenerationService>,
    /// `content.prepare`: the generations of words that reached a deck.
    pub content_preparation: Arc<ContentPreparationService>,
    /// Enqueues `content.prepare` (after a system deck grew).
    pub prepare_requests: ContentPreparation,
    /// `speech.render`.
    pub pronunciation: Arc<lingo_dictionary::speech::PronunciationService>,
    /// `reminders.send`.
    pub reminders: lingo_notifications::send_reminders::ReminderService,
    /// `account.export` and `account.purge_exports`.
    pub account_exports: lingo_users::export_account::AccountExportService,
    /// `notifications.purge`.
    pub notification_purge: lingo_notifications::purge_notifications::NotificationPurgeService,
    /// `sync.purge_tombstones`.
    pub tombstone_purge: lingo_learning::purge_tombstones::TombstonePurgeService,
    pub clock: Arc<dyn Clock>,
}

impl JobDeps {
    /// With another content service (tests give one with a scripted generator).
    pub fn with_content(mut self, content: ContentGenerationService) -> Self {
        self.content = Arc::new(content);
        self
    }
}

impl JobDeps {
    /// The handlers' dependencies on `stores` with the development configuration and the
    /// offline extractive generator: for tests and tools that run jobs without a full process.
    pub fn new(stores: &crate::Stores, outbox_retention: Duration) -> Self {
        let mut config = crate::Config::from_source(&crate::config::EnvSource::from_pairs([]))
            .unwrap_or_else(|e| panic!("the development configuration is valid: {e}"));
        config.scheduler.outbox_retention = outbox_retention;
        let overrides = super::Overrides {
            content_generator: Some(Arc::new(lingo_content::extractive::ExtractiveGenerator {
                meanings: config.dictionary.meanings.clone(),
            })),
            ..super::Overrides::default()
        };
        match super::Services::build(&config, stores.clone(), overrides) {
            Ok(services) => services.job_deps,
            Err(e) => panic!("job dependencies could not be wired: {e}"),
        }
    }
}
