//! The typed sections of the configuration: what each process is told, nothing about where it
//! comes from (that is `config.rs`).

use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    /// Human-readable logs, migrations applied at start-up.
    Development,
    /// JSON logs; migrations only through `lingo-admin migrate`.
    Production,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Pretty,
    Json,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub environment: Environment,
    pub http: HttpConfig,
    pub database: DatabaseConfig,
    pub mongo: MongoConfig,
    pub redis: RedisConfig,
    pub queue: QueueConfig,
    pub scheduler: SchedulerConfig,
    pub exports: ExportConfig,
    pub telemetry: TelemetryConfig,
    pub auth: AuthConfig,
    pub dictionary: DictionaryConfig,
    pub content: ContentConfig,
    pub speech: SpeechConfig,
    pub quiz: QuizConfig,
    pub learner_import: LearnerImportConfig,
    pub email: super::EmailConfig,
    pub push: super::PushConfig,
    pub limits: super::limits::LimitsConfig,
}

/// Learners' imports of word lists and Anki packages (docs/learner-import.md).
#[derive(Debug, Clone)]
pub struct LearnerImportConfig {
    /// Where uploads are written; must be shared with the workers.
    pub upload_dir: String,
    pub upload_limit_bytes: u64,
    /// Rows (or Anki notes) in one file.
    pub max_rows: usize,
    /// What an Anki package's collection may hold uncompressed.
    pub max_uncompressed_bytes: u64,
}

/// When a correct quiz answer counts as slow (→ Hard) or fast (→ Easy).
#[derive(Debug, Clone, Copy)]
pub struct QuizConfig {
    pub slow_ms: u32,
    pub fast_ms: u32,
}

#[derive(Debug, Clone)]
pub struct HttpConfig {
    pub host: String,
    pub port: u16,
    pub body_limit_bytes: usize,
    pub request_timeout: Duration,
    pub shutdown_timeout: Duration,
    /// Allowed CORS origins; empty allows none, `*` allows any.
    pub cors_origins: Vec<String>,
    pub workers: usize,
    /// `host:port` of the admin listener that serves `/metrics`, apart from the public port;
    /// `None` (`LINGO_METRICS_ADDR=off`) serves metrics nowhere.
    pub metrics_address: Option<String>,
    /// Apps sending an older `X-Client-Version` are told to update (426); `None` serves all.
    pub min_client_version: Option<lingo_kernel::client_version::ClientVersion>,
    /// How long the first response to an `Idempotency-Key` is replayed.
    pub idempotency_ttl: Duration,
    /// Proxies whose `Forwarded`/`X-Forwarded-For` hops are believed; empty: the peer is the
    /// client.
    pub trusted_proxies: lingo_kernel::TrustedProxies,
}

#[derive(Debug, Clone)]
pub struct DatabaseConfig {
    pub url: String,
    pub pool_size: usize,
    pub acquire_timeout: Duration,
    /// `statement_timeout` of the pooled sessions (migrations run on their own session, without
    /// it); zero keeps the server's setting.
    pub statement_timeout: Duration,
    /// `lock_timeout` of the pooled sessions; zero keeps the server's setting.
    pub lock_timeout: Duration,
    pub migrate_on_start: bool,
}

#[derive(Debug, Clone)]
pub struct MongoConfig {
    pub url: String,
    pub database: String,
    /// Connecting and selecting a server.
    pub timeout: Duration,
    /// One operation, end to end (the driver has no socket timeout).
    pub operation_timeout: Duration,
    /// One chunk of a bulk write (imports), which legitimately takes longer.
    pub bulk_timeout: Duration,
}

#[derive(Debug, Clone)]
pub struct RedisConfig {
    pub url: String,
    pub key_prefix: String,
    pub pool_size: usize,
    pub command_timeout: Duration,
}

#[derive(Debug, Clone)]
pub struct QueueConfig {
    pub visibility_timeout: Duration,
    pub worker_concurrency: usize,
    pub retry_base: Duration,
    pub retry_max: Duration,
    pub finished_retention: Duration,
    pub shutdown_grace: Duration,
    /// How often the dispatcher hands staged jobs to Redis.
    pub outbox_poll_interval: Duration,
    /// A failing job is retried for at least this long after its creation, whatever its
    /// attempts (a budget in time that outlasts a store outage).
    pub retry_window: Duration,
    /// How often an unfinished job is compared with Redis, which may have lost it.
    pub reconcile_every: Duration,
}

#[derive(Debug, Clone)]
pub struct SchedulerConfig {
    /// `name=cron` pairs separated by `;`, where the name is the job type to enqueue and the
    /// cron expression has six fields (seconds first). Checked by the scheduler at start-up.
    pub schedule: String,
    pub lease_ttl: Duration,
    pub outbox_retention: Duration,
}

#[derive(Debug, Clone)]
pub struct ExportConfig {
    /// How long a written account export can be downloaded (`LINGO_EXPORT_RETENTION_DAYS`).
    pub retention: Duration,
}

#[derive(Debug, Clone)]
pub struct TelemetryConfig {
    pub service_name: String,
    pub log_format: LogFormat,
    pub log_filter: String,
    /// OTLP/HTTP endpoint (e.g. `http://localhost:4318/v1/traces`); none disables export.
    pub otlp_endpoint: Option<String>,
}

#[derive(Debug, Clone)]
pub struct AuthConfig {
    /// HMAC secret for access tokens (HS256).
    pub jwt_secret: String,
    pub jwt_issuer: String,
    pub jwt_audience: String,
    pub access_ttl: Duration,
    pub refresh_ttl: Duration,
    /// No refresh past this much after a sign-in (the refresh family's absolute lifetime).
    pub refresh_max_age: Duration,
    /// How long a node trusts a looked-up token generation (access-token revocation delay).
    pub revocation_cache_ttl: Duration,
    /// Accounts the revocation cache holds at most.
    pub revocation_cache_capacity: usize,
    /// Server secret mixed into stored one-time-code hashes.
    pub otp_pepper: String,
    pub argon2_memory_kib: u32,
    pub argon2_iterations: u32,
    pub argon2_parallelism: u32,
    /// Password attempts per account per 15 minutes, from every address together (the loose
    /// ceiling above the per-address progressive delay).
    pub login_attempts_per_15_minutes: u32,
    pub sms: SmsConfig,
    /// Google OAuth client ids whose ID tokens are accepted; none disables Google sign-in.
    pub google_client_ids: Vec<String>,
    pub google_jwks_url: String,
}

/// `LINGO_LLM_STRUCTURED_OUTPUT`: how the LLM is asked for JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StructuredOutputMode {
    /// `json_schema`: the schema travels in `response_format`.
    JsonSchema,
    /// `json_object`: JSON mode without a schema.
    JsonObject,
    /// `none`: the prompt alone asks for JSON.
    None,
}

impl StructuredOutputMode {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "json_schema" => Some(Self::JsonSchema),
            "json_object" => Some(Self::JsonObject),
            "none" => Some(Self::None),
            _ => None,
        }
    }
}

/// An external dictionary asked on a miss.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DictionaryProviderKind {
    /// `free-dictionary-api`: dictionaryapi.dev (English).
    FreeDictionaryApi,
    /// `wiktionary`: Wiktionary's REST definitions (every language).
    Wiktionary,
}

impl DictionaryProviderKind {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "free-dictionary-api" => Some(Self::FreeDictionaryApi),
            "wiktionary" => Some(Self::Wiktionary),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct ContentConfig {
    /// An OpenAI-compatible chat-completions base URL (`https://api.openai.com/v1`,
    /// `http://localhost:11434/v1`); unset means the offline extractive generator.
    pub llm_base_url: Option<String>,
    pub llm_api_key: Option<String>,
    pub llm_model: String,
    /// What the server supports for structured answers.
    pub llm_structured_output: StructuredOutputMode,
    pub llm_timeout: Duration,
    pub llm_max_tokens: u32,
    /// New generations a learner may start per day.
    pub daily_quota: u32,
    /// How long after a failed generation a learner's request tries it again.
    pub retry_failed_after: Duration,
    /// Prices per million tokens, for the cost report and the daily budget.
    pub price_prompt_per_mtok: f64,
    pub price_completion_per_mtok: f64,
    /// Estimated cost of all model generations per UTC day, in US dollars; 0 means no budget.
    pub daily_budget_usd: f64,
    /// What one model call is assumed to cost until (or unless) its token usage is reported.
    pub generation_estimate_usd: f64,
}

/// Which engine renders pronunciation audio (`LINGO_SPEECH_ENGINE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpeechEngine {
    /// espeak-ng + opusenc on the worker's machine (Debian `espeak-ng`, `opus-tools`).
    Espeak,
    /// An OpenAI-compatible `/v1/audio/speech` server.
    OpenAi,
    /// No rendered audio: only audio a dictionary source gives.
    None,
}

impl SpeechEngine {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "espeak" | "espeak-ng" => Some(Self::Espeak),
            "openai" => Some(Self::OpenAi),
            "none" => Some(Self::None),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct SpeechConfig {
    pub engine: SpeechEngine,
    /// `https://api.openai.com/v1` or a local server's `/v1` (engine `openai`).
    pub base_url: Option<String>,
    pub api_key: Option<String>,
    pub model: String,
    pub voice: String,
    pub timeout: Duration,
}

#[derive(Debug, Clone)]
pub struct DictionaryConfig {
    /// Providers asked in order on a miss (`LINGO_DICTIONARY_PROVIDERS`; `none` for none).
    pub providers: Vec<DictionaryProviderKind>,
    pub free_dictionary_url: String,
    pub wiktionary_url: String,
    pub provider_timeout: Duration,
    pub provider_attempts: usize,
    pub user_agent: String,
    pub cache_ttl: Duration,
    pub miss_ttl: Duration,
    /// Server-side directories an admin may import from (absolute, canonicalised at use).
    pub import_roots: Vec<String>,
    /// Where uploaded import files are written; must be shared with the workers.
    pub upload_dir: String,
    pub upload_limit_bytes: u64,
    /// Where meanings come from when the learner's language has no translation, per language
    /// (`LINGO_MEANING_FALLBACK`).
    pub meanings: lingo_dictionary::meaning::MeaningChains,
}

#[derive(Debug, Clone)]
pub enum SmsConfig {
    /// Logs the text instead of sending it (development only).
    Log,
    Kavenegar {
        base_url: String,
        api_key: String,
        sender: Option<String>,
    },
    Twilio {
        base_url: String,
        account_sid: String,
        auth_token: String,
        from: String,
    },
}
