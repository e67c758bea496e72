use crate::metrics::Metrics;
use crate::rate_limit::RouteLimits;
use lingo_bootstrap::config::{DictionaryConfig, SmsConfig};
use lingo_bootstrap::dictionary::Dictionary;
use lingo_bootstrap::{Config, Stores};
use lingo_crypto::{Argon2Hasher, Argon2Settings, OsSecrets};
use lingo_dictionary::ports::DictionaryProvider;
use lingo_google::{GoogleIdTokenVerifier, GoogleSettings};
use lingo_jwt::JwtAccessTokens;
use lingo_kernel::jobs::{DeadLetters, JobQueue};
use lingo_kernel::rate_limit::{RateLimit, RateLimiter};
use lingo_kernel::{Clock, SystemClock};
use lingo_learning::card_actions::CardActions;
use lingo_learning::ports::{CardStore, DeckStore};
use lingo_learning::review::ReviewService;
use lingo_learning::stats::StatsService;
use lingo_learning::study_queue::StudyService;
use lingo_postgres::{
    PgCardStore, PgDeckStore, PgFsrsParameters, PgRefreshTokenStore, PgUserRepository,
};
use lingo_redis::{RedisOtpStore, RedisRateLimiter};
use lingo_users::AccessTokens;
use lingo_users::account::AccountService;
use lingo_users::auth::{AuthDeps, AuthService, AuthSettings};
use lingo_users::ports::SmsSender;
use std::sync::Arc;
use std::time::Duration;

/// What handlers share. Built once in `main` (or by the test harness).
#[derive(Clone)]
pub struct AppState {
    pub stores: Stores,
    pub jobs: Arc<dyn JobQueue>,
    pub dead_letters: Arc<dyn DeadLetters>,
    pub tokens: Arc<dyn AccessTokens>,
    pub clock: Arc<dyn Clock>,
    pub metrics: Arc<Metrics>,
    pub auth: AuthService,
    pub accounts: AccountService,
    pub decks: Arc<dyn DeckStore>,
    pub cards: Arc<dyn CardStore>,
    pub reviews: ReviewService,
    pub study: StudyService,
    pub stats: StatsService,
    pub card_actions: CardActions,
    pub quizzes: lingo_learning::quiz::QuizService,
    pub dictionary: Dictionary,
    pub content: Arc<lingo_content::request_content::ContentRequests>,
    pub content_usage: Arc<dyn lingo_content::ports::UsageLedger>,
    /// Prices per million prompt and completion tokens.
    pub content_prices: (f64, f64),
    pub dictionary_config: DictionaryConfig,
    pub limiter: Arc<dyn RateLimiter>,
    pub route_limits: RouteLimits,
    pub trust_forwarded: bool,
    pub otp_ttl: Duration,
    /// Deadline of each store ping of `/ready`.
    pub ready_timeout: Duration,
}

/// Replacements for adapters that talk to the outside world (tests, tools).
#[derive(Default, Clone)]
pub struct Overrides {
    pub sms: Option<Arc<dyn SmsSender>>,
    pub clock: Option<Arc<dyn Clock>>,
    /// Dictionary providers instead of the configured ones (local doubles in tests).
    pub dictionary_providers: Option<Vec<Arc<dyn DictionaryProvider>>>,
}

fn sms_sender(config: &SmsConfig) -> anyhow::Result<Arc<dyn SmsSender>> {
    let timeout = Duration::from_secs(10);
    Ok(match config {
        SmsConfig::Log => Arc::new(lingo_sms::LogSender),
        SmsConfig::Kavenegar {
            base_url,
            api_key,
            sender,
        } => Arc::new(lingo_sms::KavenegarSender::new(
            base_url,
            api_key,
            sender.as_deref(),
            timeout,
        )?),
        SmsConfig::Twilio {
            base_url,
            account_sid,
            auth_token,
            from,
        } => Arc::new(lingo_sms::TwilioSender::new(
            base_url,
            account_sid,
            auth_token,
            from,
            timeout,
        )?),
    })
}

impl AppState {
    /// Wires the use cases to the adapters the configuration names.
    pub fn build(config: &Config, stores: Stores, overrides: Overrides) -> anyhow::Result<Self> {
        let auth = &config.auth;
        let clock = overrides.clock.unwrap_or_else(|| Arc::new(SystemClock));
        let tokens: Arc<dyn AccessTokens> = Arc::new(JwtAccessTokens::new(
            auth.jwt_secret.as_bytes(),
            &auth.jwt_issuer,
            &auth.jwt_audience,
            chrono::Duration::from_std(auth.access_ttl)?,
        ));
        let limiter: Arc<dyn RateLimiter> = Arc::new(RedisRateLimiter::new(
            stores.redis.clone(),
            &stores.redis_prefix,
            clock.clone(),
        ));
        let users = Arc::new(PgUserRepository::new(stores.postgres.clone()));
        let sms = match overrides.sms {
            Some(sms) => sms,
            None => sms_sender(&auth.sms)?,
        };
        let mut google = GoogleSettings::new(auth.google_client_ids.clone());
        google.jwks_url = auth.google_jwks_url.clone();
        let deps = AuthDeps {
            users: users.clone(),
            refresh_tokens: Arc::new(PgRefreshTokenStore::new(stores.postgres.clone())),
            otps: Arc::new(RedisOtpStore::new(
                stores.redis.clone(),
                &stores.redis_prefix,
            )),
            sms,
            identity: Arc::new(GoogleIdTokenVerifier::new(google)),
            passwords: Arc::new(Argon2Hasher::new(Argon2Settings {
                memory_kib: auth.argon2_memory_kib,
                iterations: auth.argon2_iterations,
                parallelism: auth.argon2_parallelism,
            })?),
            access_tokens: tokens.clone(),
            secrets: Arc::new(OsSecrets),
            limiter: limiter.clone(),
            clock: clock.clone(),
        };
        let settings = AuthSettings {
            refresh_ttl: auth.refresh_ttl,
            otp_pepper: auth.otp_pepper.as_bytes().to_vec(),
            login_limit: RateLimit::per(
                auth.login_attempts_per_15_minutes,
                Duration::from_secs(15 * 60),
            ),
            ..AuthSettings::default()
        };
        let otp_ttl = settings.otp_ttl;
        let cards: Arc<dyn CardStore> = Arc::new(PgCardStore::new(stores.postgres.clone()));
        let dictionary = match overrides.dictionary_providers {
            Some(providers) => Dictionary::build_with(&config.dictionary, &stores, providers)?,
            None => Dictionary::build(&config.dictionary, &stores)?,
        };
        let content = Arc::new(lingo_bootstrap::content::content_requests(
            &config.content,
            &stores,
            limiter.clone(),
        ));
        Ok(Self {
            content,
            content_usage: lingo_bootstrap::content::usage_ledger(&stores),
            content_prices: (
                config.content.price_prompt_per_mtok,
                config.content.price_completion_per_mtok,
            ),
            dictionary,
            dictionary_config: config.dictionary.clone(),
            decks: Arc::new(PgDeckStore::new(stores.postgres.clone())),
            quizzes: lingo_bootstrap::quiz::quiz_service(
                &stores,
                &config.quiz,
                ReviewService::new(cards.clone(), clock.clone()),
                clock.clone(),
            ),
            reviews: ReviewService::new(cards.clone(), clock.clone()),
            study: StudyService::new(
                cards.clone(),
                Arc::new(PgFsrsParameters::new(stores.postgres.clone())),
                clock.clone(),
            ),
            stats: StatsService::new(cards.clone(), clock.clone()),
            card_actions: CardActions::new(cards.clone(), clock.clone()),
            cards,
            jobs: Arc::new(stores.queue.clone()),
            dead_letters: Arc::new(stores.queue.clone()),
            tokens,
            metrics: Arc::new(Metrics::default()),
            auth: AuthService::new(deps, settings),
            accounts: AccountService::new(users, clock.clone()),
            clock,
            limiter,
            route_limits: RouteLimits {
                auth: RateLimit::per(auth.auth_requests_per_minute, Duration::from_secs(60)),
            },
            trust_forwarded: auth.trust_forwarded,
            otp_ttl,
            ready_timeout: Duration::from_secs(1),
            stores,
        })
    }
}
