use crate::metrics::Metrics;
use lingo_bootstrap::RouteThrottles;
use lingo_bootstrap::readiness::Readiness;
use lingo_bootstrap::{Config, Overrides, Services, Stores};
use lingo_content::request_content::ContentRequestService;
use lingo_content::usage_report::UsageReportService;
use lingo_dictionary::analyse_text::TextAnalysisService;
use lingo_dictionary::lookup::LookupService;
use lingo_dictionary::request_import::ImportRequestService;
use lingo_dictionary::request_reconcile::ReconcileRequestService;
use lingo_kernel::TrustedProxies;
use lingo_kernel::jobs::JobService;
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
use std::sync::Arc;
use std::time::Duration;

/// What handlers share: the use cases and the HTTP settings, nothing else (no store, no port).
/// Taken from the composition root (`lingo_bootstrap::Services`) once in `main` or by the test
/// harness.
#[derive(Clone)]
pub struct AppState {
    pub auth: AuthService,
    pub accounts: AccountService,
    pub account_admin: AccountAdminService,
    pub decks: DeckService,
    pub cards: CardQueryService,
    pub reviews: ReviewService,
    pub study: StudyService,
    pub session: lingo_learning::study_session::StudySessionService,
    pub stats: StatsService,
    pub sync: lingo_learning::sync::SyncService,
    pub card_actions: CardActionService,
    pub quizzes: QuizService,
    pub optimise: OptimiseRequestService,
    /// Decks as CSV or Anki packages.
    pub deck_exports: lingo_learning::export_deck::DeckExportService,
    /// The learner's complete data export, at once or as a file written by a job.
    pub account_exports: lingo_users::export_account::AccountExportService,
    pub lookup: Arc<LookupService>,
    /// Serialised lookup bodies, in-process (`crate::lookup_cache`).
    pub lookup_bodies: Arc<crate::lookup_cache::LookupBodies>,
    pub analyser: Arc<TextAnalysisService>,
    pub imports: Arc<ImportRequestService>,
    /// Learners' imports into their decks.
    pub learner_imports: lingo_learning::import_words::LearnerImportRequests,
    pub reconcile: Arc<ReconcileRequestService>,
    pub word_moderation: lingo_dictionary::moderation::WordModerationService,
    pub content: Arc<ContentRequestService>,
    pub content_usage: Arc<UsageReportService>,
    pub pronunciation: Arc<lingo_dictionary::speech::PronunciationService>,
    pub devices: lingo_notifications::manage_devices::DeviceService,
    pub notifications: lingo_notifications::notification_list::NotificationService,
    pub jobs: JobService,
    pub readiness: Readiness,
    /// Requests per route class, per account or client address.
    pub throttles: RouteThrottles,
    pub metrics: Arc<Metrics>,
    /// Proxies whose `Forwarded`/`X-Forwarded-For` hops name the client.
    pub trusted_proxies: TrustedProxies,
    /// How long a phone sign-in code lives (told to the client).
    pub otp_ttl: Duration,
    /// Deadline of each store ping of `/ready`.
    pub ready_timeout: Duration,
    /// First responses to `Idempotency-Key` requests.
    pub idempotency: lingo_kernel::idempotency::IdempotencyService,
    /// Apps older than this are told to update; `None` serves every version.
    pub min_client_version: Option<lingo_kernel::client_version::ClientVersion>,
}

impl AppState {
    pub fn new(services: &Services, config: &Config) -> Self {
        let s = services.clone();
        Self {
            auth: s.auth,
            accounts: s.accounts,
            account_admin: s.account_admin,
            decks: s.decks,
            cards: s.cards,
            reviews: s.reviews,
            study: s.study,
            session: s.session,
            stats: s.stats,
            sync: s.sync,
            card_actions: s.card_actions,
            quizzes: s.quizzes,
            optimise: s.optimise_requests,
            deck_exports: s.deck_exports,
            account_exports: s.account_exports,
            lookup: s.lookup,
            lookup_bodies: Arc::new(crate::lookup_cache::bodies()),
            analyser: s.analyser,
            imports: s.import_requests,
            learner_imports: s.learner_imports,
            reconcile: s.reconcile_requests,
            word_moderation: s.word_moderation,
            content: s.content_requests,
            content_usage: s.content_usage,
            pronunciation: s.pronunciation,
            devices: s.devices,
            notifications: s.notifications,
            jobs: s.jobs,
            readiness: s.readiness,
            throttles: s.route_throttles,
            metrics: Arc::new(Metrics::default()),
            trusted_proxies: config.http.trusted_proxies.clone(),
            otp_ttl: s.otp_ttl,
            ready_timeout: Duration::from_secs(1),
            idempotency: s.idempotency,
            min_client_version: config.http.min_client_version,
        }
    }

    /// Builds the composition root and takes the api's part of it.
    pub fn build(config: &Config, stores: Stores, overrides: Overrides) -> anyhow::Result<Self> {
        Ok(Self::new(
            &Services::build(config, stores, overrides)?,
            config,
        ))
    }
}
