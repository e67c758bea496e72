//! The composition root: every adapter is built here, exactly once, from typed configuration,
//! and wired into the use cases. The api, the worker, the scheduler and the admin tool take
//! what they need from one [`Services`] value; nothing else in the tree constructs an adapter
//! (tests and benches aside). This is the one place that knows which technology backs which
//! port.

mod auth;
mod content;
mod dictionary;
mod exports;
mod jobs;
mod learning;
mod notifications;
mod route_limits;
mod speech;

pub use jobs::JobDeps;
pub use route_limits::{RouteClass, RouteThrottles};

use crate::Stores;
use crate::config::Config;
use crate::readiness::Readiness;
use lingo_content::generate_content::ContentGenerationService;
use lingo_content::ports::ContentGenerator;
use lingo_content::request_content::ContentRequestService;
use lingo_content::usage_report::UsageReportService;
use lingo_dictionary::analyse_text::TextAnalysisService;
use lingo_dictionary::import::ImportService;
use lingo_dictionary::lookup::LookupService;
use lingo_dictionary::ports::{DictionaryProvider, FrequencySource, LemmaTable};
use lingo_dictionary::request_import::ImportRequestService;
use lingo_dictionary::request_reconcile::ReconcileRequestService;
use lingo_kernel::jobs::JobService;
use lingo_kernel::rate_limit::RateLimiter;
use lingo_kernel::{Clock, SystemClock};
use lingo_learning::card_actions::CardActionService;
use lingo_learning::card_queries::CardQueryService;
use lingo_learning::manage_decks::DeckService;
use lingo_learning::quiz::QuizService;
use lingo_learning::request_optimisation::OptimiseRequestService;
use lingo_learning::review::ReviewService;
use lingo_learning::stats::StatsService;
use lingo_learning::study_queue::StudyService;
use lingo_users::account::AccountService;
use lingo_users::administer_accounts::AccountAdminService;
use lingo_users::auth::AuthService;
use lingo_users::ports::{EmailSender, SmsSender};
use std::sync::Arc;
use std::time::Duration;

/// The content generation use case with the generator `config` names (tests and tools that
/// run one job handler with another configuration); meanings follow the default chain.
pub fn content_service(
    config: &crate::config::ContentConfig,
    stores: &Stores,
) -> anyhow::Result<ContentGenerationService> {
    Ok(content::generation(
        config,
        stores,
        content::generator(
            config,
            &lingo_dictionary::meaning::MeaningChains::parse(
                lingo_dictionary::meaning::DEFAULT_MEANING_FALLBACK,
            )?,
        )?,
        Arc::new(SystemClock),
    ))
}

/// The dictionary import use case alone (tests and benches that import fixtures), reading any
/// path.
pub fn import_service(stores: &Stores) -> Arc<ImportService> {
    dictionary::import_service(
        stores,
        lingo_dictfiles::FileFormats::unrestricted(),
        Arc::new(SystemClock),
    )
}

/// Replacements for the adapters that talk to the outside world (tests, tools).
#[derive(Default, Clone)]
pub struct Overrides {
    pub sms: Option<Arc<dyn SmsSender>>,
    pub email: Option<Arc<dyn EmailSender>>,
    pub clock: Option<Arc<dyn Clock>>,
    /// Dictionary providers instead of the configured ones (local doubles in tests).
    pub dictionary_providers: Option<Vec<Arc<dyn DictionaryProvider>>>,
    /// A content generator instead of the configured one.
    pub content_generator: Option<Arc<dyn ContentGenerator>>,
    /// A push sender instead of the configured providers.
    pub push: Option<Arc<dyn lingo_notifications::ports::PushSender>>,
}

/// Every use case of Lingo, wired to its adapters, plus the few infrastructure handles the
/// processes need (readiness, the queue for the worker loop, the outbox relay). Cheap to clone.
#[derive(Clone)]
pub struct Services {
    pub clock: Arc<dyn Clock>,
    // users
    pub auth: AuthService,
    pub accounts: AccountService,
    /// Administrators' changes to accounts (disable, enable, grant or revoke admin).
    pub account_admin: AccountAdminService,
    /// How long a phone sign-in code lives (the api tells the client).
    pub otp_ttl: Duration,
    /// The api's limits per route class.
    pub route_throttles: RouteThrottles,
    // learning
    pub decks: DeckService,
    pub cards: CardQueryService,
    pub reviews: ReviewService,
    pub study: StudyService,
    pub session: lingo_learning::study_session::StudySessionService,
    pub stats: StatsService,
    pub sync: lingo_learning::sync::SyncService,
    pub card_actions: CardActionService,
    pub quizzes: QuizService,
    pub optimise_requests: OptimiseRequestService,
    /// Learners' imports into their decks.
    pub learner_imports: lingo_learning::import_words::LearnerImportRequests,
    // exports
    pub deck_exports: lingo_learning::export_deck::DeckExportService,
    pub account_exports: lingo_users::export_account::AccountExportService,
    // dictionary
    pub lookup: Arc<LookupService>,
    pub analyser: Arc<TextAnalysisService>,
    pub import: Arc<ImportService>,
    pub import_requests: Arc<ImportRequestService>,
    pub reconcile_requests: Arc<ReconcileRequestService>,
    pub frequencies: Arc<dyn FrequencySource>,
    pub lemma_table: Arc<dyn LemmaTable>,
    pub word_moderation: lingo_dictionary::moderation::WordModerationService,
    // content
    pub content_requests: Arc<ContentRequestService>,
    pub content_usage: Arc<UsageReportService>,
    pub content_generation: Arc<ContentGenerationService>,
    // pronunciation audio
    pub pronunciation: Arc<lingo_dictionary::speech::PronunciationService>,
    // devices, notifications, reminders
    pub devices: lingo_notifications::manage_devices::DeviceService,
    pub notifications: lingo_notifications::notification_list::NotificationService,
    // jobs
    pub jobs: JobService,
    /// What the worker's job handlers use.
    pub job_deps: JobDeps,
    pub readiness: Readiness,
    /// First outcomes of non-idempotent requests, replayed for retries with the same key.
    pub idempotency: lingo_kernel::idempotency::IdempotencyService,
    pub stores: Stores,
}

impl Services {
    /// Wires the use cases to the adapters the configuration names. Builds no connection:
    /// `Stores::connect` did that.
    pub fn build(config: &Config, stores: Stores, overrides: Overrides) -> anyhow::Result<Self> {
        let clock = overrides.clock.unwrap_or_else(|| Arc::new(SystemClock));
        let limiter: Arc<dyn RateLimiter> = Arc::new(lingo_redis::RedisRateLimiter::new(
            stores.redis.clone(),
            &stores.redis_prefix,
            clock.clone(),
        ));
        let users = auth::build(
            config,
            &stores,
            overrides.sms,
            overrides.email,
            limiter.clone(),
            clock.clone(),
        )?;
        let pronunciation = speech::build(&config.speech, &stores, clock.clone())?;
        let dictionary = dictionary::build(
            &config.dictionary,
            &stores,
            overrides.dictionary_providers,
            pronunciation.clone(),
            clock.clone(),
        )?;
        let learning = learning::build(
            config,
            &stores,
            pronunciation.clone(),
            dictionary.lookup.clone(),
            clock.clone(),
        );
        let generator = match overrides.content_generator {
            Some(generator) => generator,
            None => content::generator(&config.content, &config.dictionary.meanings)?,
        };
        let content = content::build(
            &config.content,
            &stores,
            generator,
            limiter.clone(),
            clock.clone(),
        );
        let notifications =
            notifications::build(&config.push, &stores, overrides.push, clock.clone())?;
        let exports = exports::build(config, &stores, clock.clone());
        let jobs = JobService::new(Arc::new(stores.jobs.clone()), Arc::new(stores.jobs.clone()));
        let job_deps = JobDeps {
            jobs: stores.jobs.clone(),
            otps: lingo_redis::RedisOtpStore::new(stores.redis.clone(), &stores.redis_prefix),
            limiter: lingo_redis::RedisRateLimiter::new(
                stores.redis.clone(),
                &stores.redis_prefix,
                clock.clone(),
            ),
            outbox_retention: config.scheduler.outbox_retention,
            optimise: learning.optimise.clone(),
            review_history: learning.review_history.clone(),
            decks: learning.deck_store.clone(),
            import_words: learning.import_words.clone(),
            import: dictionary.import.clone(),
            reconcile: dictionary.reconcile,
            content: content.generation.clone(),
            content_preparation: content.preparation.clone(),
            pronunciation: pronunciation.clone(),
            prepare_requests: lingo_learning::prepare_content::ContentPreparation::new(Arc::new(
                stores.jobs.clone(),
            )),
            reminders: notifications.reminders,
            notification_purge: notifications.purge,
            account_exports: exports.accounts.clone(),
            tombstone_purge: exports.tombstone_purge,
            clock: clock.clone(),
        };
        let idempotency = lingo_kernel::idempotency::IdempotencyService::new(
            Arc::new(lingo_redis::RedisIdempotencyStore::new(
                stores.redis.clone(),
                &stores.redis_prefix,
            )),
            config.http.idempotency_ttl,
        );
        Ok(Self {
            idempotency,
            auth: users.auth,
            accounts: users.accounts,
            account_admin: users.account_admin,
            otp_ttl: users.otp_ttl,
            route_throttles: RouteThrottles::new(
                limiter.clone(),
                clock.clone(),
                &config.limits.routes,
            ),
            decks: learning.decks,
            cards: learning.cards,
            reviews: learning.reviews,
            study: learning.study,
            session: learning.session,
            stats: learning.stats,
            sync: learning.sync,
            card_actions: learning.card_actions,
            quizzes: learning.quizzes,
            optimise_requests: learning.optimise_requests,
            learner_imports: learning.imports,
            deck_exports: exports.decks,
            account_exports: exports.accounts,
            lookup: dictionary.lookup,
            analyser: dictionary.analyser,
            import: dictionary.import,
            import_requests: dictionary.import_requests,
            reconcile_requests: dictionary.reconcile_requests,
            frequencies: dictionary.frequencies,
            lemma_table: dictionary.lemma_table,
            word_moderation: dictionary.moderation,
            content_requests: content.requests,
            content_usage: content.usage,
            content_generation: content.generation,
            pronunciation,
            devices: notifications.devices,
            notifications: notifications.notifications,
            jobs,
            job_deps,
            readiness: Readiness::new(stores.clone()),
            clock,
            stores,
        })
    }
}
