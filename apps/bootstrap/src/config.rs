//! Configuration from `LINGO_…` environment variables, typed and checked once at start-up.
//! Every variable has a development default (see `.env.example`); an invalid value stops the
//! process with a message naming the variable.

mod email;
mod env;
mod limits;
mod push;
mod sections;

pub use email::{EmailConfig, EmailProvider, EmailTls, SmtpConfig};
pub use env::{ConfigError, EnvSource};
pub use limits::{LimitsConfig, RouteLimits};
pub use push::{ApnsConfig, FcmConfig, PushConfig, PushProvider};
pub use sections::*;

use lingo_dictionary::meaning::{DEFAULT_MEANING_FALLBACK, MeaningChains};

pub const DEFAULT_SCHEDULE: &str = "outbox.purge=0 30 3 * * *;queue.stats=0 * * * * *;\
    learning.optimise_all=0 0 4 * * *;reminders.send=0 0/15 * * * *;\
    sync.purge_tombstones=0 45 3 * * *;account.purge_exports=0 50 3 * * *;\
    notifications.purge=0 55 3 * * *";

const DEV_JWT_SECRET: &str = "development-only-secret-change-me-0123456789";

impl Config {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_source(&EnvSource::process())
    }

    pub fn from_source(env: &EnvSource) -> Result<Self, ConfigError> {
        let environment = match env.string("LINGO_ENV", "development").as_str() {
            "development" | "dev" => Environment::Development,
            "production" | "prod" => Environment::Production,
            other => {
                return Err(ConfigError::invalid(
                    "LINGO_ENV",
                    other,
                    "expected 'development' or 'production'",
                ));
            }
        };
        let production = environment == Environment::Production;
        let log_format = match env
            .string(
                "LINGO_LOG_FORMAT",
                if production { "json" } else { "pretty" },
            )
            .as_str()
        {
            "json" => LogFormat::Json,
            "pretty" | "text" => LogFormat::Pretty,
            other => {
                return Err(ConfigError::invalid(
                    "LINGO_LOG_FORMAT",
                    other,
                    "expected 'json' or 'pretty'",
                ));
            }
        };
        let jwt_secret = env.string("LINGO_JWT_SECRET", DEV_JWT_SECRET);
        if production && jwt_secret == DEV_JWT_SECRET {
            return Err(ConfigError::invalid(
                "LINGO_JWT_SECRET",
                "<development default>",
                "set a secret of at least 32 bytes in production",
            ));
        }
        if jwt_secret.len() < 32 {
            return Err(ConfigError::invalid(
                "LINGO_JWT_SECRET",
                "<hidden>",
                "must be at least 32 bytes",
            ));
        }
        Ok(Self {
            environment,
            http: HttpConfig {
                host: env.string("LINGO_HTTP_HOST", "0.0.0.0"),
                port: env.parse("LINGO_HTTP_PORT", 8080)?,
                body_limit_bytes: env.parse("LINGO_HTTP_BODY_LIMIT_BYTES", 1_048_576)?,
                request_timeout: env.millis("LINGO_HTTP_REQUEST_TIMEOUT_MS", 30_000)?,
                shutdown_timeout: env.millis("LINGO_HTTP_SHUTDOWN_TIMEOUT_MS", 30_000)?,
                cors_origins: env.list("LINGO_HTTP_CORS_ORIGINS"),
                workers: env.parse("LINGO_HTTP_WORKERS", 0)?,
                metrics_address: Some(env.string("LINGO_METRICS_ADDR", "127.0.0.1:9090"))
                    .filter(|a| !a.is_empty() && a != "off"),
                min_client_version: env
                    .optional("LINGO_MIN_CLIENT_VERSION")
                    .map(|raw| {
                        raw.parse().map_err(
                            |e: lingo_kernel::client_version::ClientVersionError| {
                                ConfigError::invalid(
                                    "LINGO_MIN_CLIENT_VERSION",
                                    &raw,
                                    e.to_string(),
                                )
                            },
                        )
                    })
                    .transpose()?,
                idempotency_ttl: env.millis("LINGO_IDEMPOTENCY_TTL_MS", 86_400_000)?,
                trusted_proxies: limits::trusted_proxies(env)?,
            },
            database: DatabaseConfig {
                url: env.string(
                    "LINGO_DATABASE_URL",
                    "postgres://postgres@127.0.0.1:5432/lingo",
                ),
                pool_size: env.positive("LINGO_DATABASE_POOL_SIZE", 16)?,
                acquire_timeout: env.millis("LINGO_DATABASE_ACQUIRE_TIMEOUT_MS", 2_000)?,
                statement_timeout: env.millis("LINGO_DATABASE_STATEMENT_TIMEOUT_MS", 5_000)?,
                lock_timeout: env.millis("LINGO_DATABASE_LOCK_TIMEOUT_MS", 2_000)?,
                migrate_on_start: env.parse("LINGO_DATABASE_MIGRATE_ON_START", !production)?,
            },
            mongo: MongoConfig {
                url: env.string("LINGO_MONGO_URL", "mongodb://127.0.0.1:27017"),
                database: env.string("LINGO_MONGO_DATABASE", "lingo"),
                timeout: env.millis("LINGO_MONGO_TIMEOUT_MS", 2_000)?,
                operation_timeout: env.millis("LINGO_MONGO_OPERATION_TIMEOUT_MS", 5_000)?,
                bulk_timeout: env.millis("LINGO_MONGO_BULK_TIMEOUT_MS", 30_000)?,
            },
            redis: RedisConfig {
                url: env.string("LINGO_REDIS_URL", "redis://127.0.0.1:6379/0"),
                key_prefix: env.string("LINGO_REDIS_PREFIX", "lingo:"),
                pool_size: env.positive("LINGO_REDIS_POOL_SIZE", 16)?,
                command_timeout: env.millis("LINGO_REDIS_TIMEOUT_MS", 2_000)?,
            },
            queue: QueueConfig {
                visibility_timeout: env.millis("LINGO_QUEUE_VISIBILITY_TIMEOUT_MS", 60_000)?,
                worker_concurrency: env.positive("LINGO_WORKER_CONCURRENCY", 8)?,
                retry_base: env.millis("LINGO_QUEUE_RETRY_BASE_MS", 2_000)?,
                retry_max: env.millis("LINGO_QUEUE_RETRY_MAX_MS", 600_000)?,
                finished_retention: env.millis("LINGO_QUEUE_RETENTION_MS", 7 * 86_400_000)?,
                shutdown_grace: env.millis("LINGO_WORKER_SHUTDOWN_GRACE_MS", 25_000)?,
                outbox_poll_interval: env.millis("LINGO_OUTBOX_POLL_MS", 500)?,
                retry_window: env.millis("LINGO_QUEUE_RETRY_WINDOW_MS", 15 * 60_000)?,
                reconcile_every: env.millis("LINGO_QUEUE_RECONCILE_MS", 10_000)?,
            },
            scheduler: SchedulerConfig {
                schedule: env.string("LINGO_SCHEDULE", DEFAULT_SCHEDULE),
                lease_ttl: env.millis("LINGO_SCHEDULER_LEASE_TTL_MS", 10_000)?,
                outbox_retention: env.millis("LINGO_OUTBOX_RETENTION_MS", 7 * 86_400_000)?,
            },
            exports: ExportConfig {
                retention: std::time::Duration::from_secs(
                    86_400 * env.positive("LINGO_EXPORT_RETENTION_DAYS", 7)? as u64,
                ),
            },
            telemetry: TelemetryConfig {
                service_name: env.string("LINGO_SERVICE_NAME", "lingo"),
                log_format,
                log_filter: env.string("LINGO_LOG", "info"),
                otlp_endpoint: env.optional("LINGO_OTLP_ENDPOINT"),
            },
            auth: auth_config(env, jwt_secret, production)?,
            dictionary: dictionary_config(env, production)?,
            quiz: QuizConfig {
                slow_ms: env.parse("LINGO_QUIZ_SLOW_MS", 15_000)?,
                fast_ms: env.parse("LINGO_QUIZ_FAST_MS", 4_000)?,
            },
            learner_import: LearnerImportConfig {
                upload_dir: env.string(
                    "LINGO_LEARNER_IMPORT_DIR",
                    if production {
                        "/var/lib/lingo/uploads/learners"
                    } else {
                        ".dev/uploads/learners"
                    },
                ),
                upload_limit_bytes: env
                    .parse("LINGO_LEARNER_IMPORT_LIMIT_BYTES", 32 * 1024 * 1024)?,
                max_rows: env.positive("LINGO_LEARNER_IMPORT_MAX_ROWS", 20_000)?,
                max_uncompressed_bytes: env.parse(
                    "LINGO_LEARNER_IMPORT_MAX_UNCOMPRESSED_BYTES",
                    256 * 1024 * 1024,
                )?,
            },
            content: content_config(env)?,
            speech: speech_config(env)?,
            email: email::email_config(env, production)?,
            push: push::push_config(env, production)?,
            limits: limits::limits_config(env)?,
        })
    }
}

fn content_config(env: &EnvSource) -> Result<ContentConfig, ConfigError> {
    let raw = env.string("LINGO_LLM_STRUCTURED_OUTPUT", "json_schema");
    let structured = StructuredOutputMode::parse(&raw).ok_or_else(|| {
        ConfigError::invalid(
            "LINGO_LLM_STRUCTURED_OUTPUT",
            &raw,
            "expected json_schema, json_object or none",
        )
    })?;
    Ok(ContentConfig {
        llm_base_url: env.optional("LINGO_LLM_BASE_URL"),
        llm_api_key: env.optional("LINGO_LLM_API_KEY"),
        llm_model: env.string("LINGO_LLM_MODEL", "gpt-4o-mini"),
        llm_structured_output: structured,
        llm_timeout: env.millis("LINGO_LLM_TIMEOUT_MS", 60_000)?,
        llm_max_tokens: env.parse("LINGO_LLM_MAX_TOKENS", 1_200)?,
        daily_quota: env.parse("LINGO_CONTENT_DAILY_QUOTA", 50)?,
        retry_failed_after: env.millis("LINGO_CONTENT_RETRY_FAILED_MS", 10 * 60_000)?,
        price_prompt_per_mtok: env.parse("LINGO_LLM_PRICE_PROMPT_PER_MTOK", 0.0)?,
        price_completion_per_mtok: env.parse("LINGO_LLM_PRICE_COMPLETION_PER_MTOK", 0.0)?,
        daily_budget_usd: limits::money(env, "LINGO_CONTENT_DAILY_BUDGET_USD", 20.0)?,
        generation_estimate_usd: limits::money(
            env,
            "LINGO_CONTENT_GENERATION_ESTIMATE_USD",
            0.002,
        )?,
    })
}

fn speech_config(env: &EnvSource) -> Result<SpeechConfig, ConfigError> {
    let raw = env.string("LINGO_SPEECH_ENGINE", "espeak");
    let engine = SpeechEngine::parse(&raw).ok_or_else(|| {
        ConfigError::invalid(
            "LINGO_SPEECH_ENGINE",
            &raw,
            "expected espeak, openai or none",
        )
    })?;
    let base_url = env.optional("LINGO_SPEECH_BASE_URL");
    if engine == SpeechEngine::OpenAi && base_url.is_none() {
        return Err(ConfigError::invalid(
            "LINGO_SPEECH_BASE_URL",
            "",
            "required when LINGO_SPEECH_ENGINE=openai",
        ));
    }
    Ok(SpeechConfig {
        engine,
        base_url,
        api_key: env.optional("LINGO_SPEECH_API_KEY"),
        model: env.string("LINGO_SPEECH_MODEL", "tts-1"),
        voice: env.string("LINGO_SPEECH_VOICE", "alloy"),
        timeout: env.millis("LINGO_SPEECH_TIMEOUT_MS", 20_000)?,
    })
}

fn dictionary_config(env: &EnvSource, production: bool) -> Result<DictionaryConfig, ConfigError> {
    let names = env
        .optional("LINGO_DICTIONARY_PROVIDERS")
        .map(|raw| {
            raw.split(',')
                .map(|p| p.trim().to_owned())
                .filter(|p| !p.is_empty() && p != "none")
                .collect::<Vec<_>>()
        })
        .unwrap_or_else(|| vec!["free-dictionary-api".into(), "wiktionary".into()]);
    let providers = names
        .iter()
        .map(|name| {
            DictionaryProviderKind::parse(name).ok_or_else(|| {
                ConfigError::invalid(
                    "LINGO_DICTIONARY_PROVIDERS",
                    name,
                    "known providers: free-dictionary-api, wiktionary",
                )
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let dev_root = if production { "/var/lib/lingo" } else { ".dev" };
    Ok(DictionaryConfig {
        providers,
        free_dictionary_url: env
            .string("LINGO_FREE_DICTIONARY_URL", "https://api.dictionaryapi.dev"),
        wiktionary_url: env.string("LINGO_WIKTIONARY_URL", "https://en.wiktionary.org"),
        provider_timeout: env.millis("LINGO_DICTIONARY_PROVIDER_TIMEOUT_MS", 4_000)?,
        provider_attempts: env.positive("LINGO_DICTIONARY_PROVIDER_ATTEMPTS", 3)?,
        user_agent: env.string(
            "LINGO_DICTIONARY_USER_AGENT",
            "Lingo/0.1 (https://github.com/lingo; ops@lingo.invalid)",
        ),
        cache_ttl: env.millis("LINGO_DICTIONARY_CACHE_TTL_MS", 86_400_000)?,
        miss_ttl: env.millis("LINGO_DICTIONARY_MISS_TTL_MS", 3_600_000)?,
        import_roots: env
            .optional("LINGO_IMPORT_ROOTS")
            .map(|raw| {
                raw.split(',')
                    .map(|r| r.trim().to_owned())
                    .filter(|r| !r.is_empty())
                    .collect()
            })
            .unwrap_or_else(|| {
                vec![
                    "/usr/share/dictd".into(),
                    "/usr/share/wordnet".into(),
                    format!("{dev_root}/data"),
                    format!("{dev_root}/uploads"),
                ]
            }),
        upload_dir: env.string("LINGO_IMPORT_UPLOAD_DIR", &format!("{dev_root}/uploads")),
        upload_limit_bytes: env.parse("LINGO_IMPORT_UPLOAD_LIMIT_BYTES", 512 * 1024 * 1024)?,
        meanings: meaning_chains(env)?,
    })
}

/// `LINGO_MEANING_FALLBACK`: where a learner's meanings come from when their language has no
/// translation (quizzes, card backs, extractive content).
fn meaning_chains(env: &EnvSource) -> Result<MeaningChains, ConfigError> {
    let raw = env.string("LINGO_MEANING_FALLBACK", DEFAULT_MEANING_FALLBACK);
    MeaningChains::parse(&raw)
        .map_err(|e| ConfigError::invalid("LINGO_MEANING_FALLBACK", &raw, e.to_string()))
}

fn required(env: &EnvSource, var: &str) -> Result<String, ConfigError> {
    env.optional(var)
        .ok_or_else(|| ConfigError::invalid(var, "", "required by the chosen SMS provider"))
}

fn sms_config(env: &EnvSource, production: bool) -> Result<SmsConfig, ConfigError> {
    match env.string("LINGO_SMS_PROVIDER", "log").as_str() {
        "log" if production => Err(ConfigError::invalid(
            "LINGO_SMS_PROVIDER",
            "log",
            "the log sender prints codes; choose kavenegar or twilio in production",
        )),
        "log" => Ok(SmsConfig::Log),
        "kavenegar" => Ok(SmsConfig::Kavenegar {
            base_url: env.string("LINGO_KAVENEGAR_BASE_URL", "https://api.kavenegar.com"),
            api_key: required(env, "LINGO_KAVENEGAR_API_KEY")?,
            sender: env.optional("LINGO_KAVENEGAR_SENDER"),
        }),
        "twilio" => Ok(SmsConfig::Twilio {
            base_url: env.string("LINGO_TWILIO_BASE_URL", "https://api.twilio.com"),
            account_sid: required(env, "LINGO_TWILIO_ACCOUNT_SID")?,
            auth_token: required(env, "LINGO_TWILIO_AUTH_TOKEN")?,
            from: required(env, "LINGO_TWILIO_FROM")?,
        }),
        other => Err(ConfigError::invalid(
            "LINGO_SMS_PROVIDER",
            other,
            "expected log, kavenegar or twilio",
        )),
    }
}

const DEV_OTP_PEPPER: &str = "development-only-otp-pepper";

fn auth_config(
    env: &EnvSource,
    jwt_secret: String,
    production: bool,
) -> Result<AuthConfig, ConfigError> {
    let otp_pepper = env.string("LINGO_OTP_PEPPER", DEV_OTP_PEPPER);
    if production && otp_pepper == DEV_OTP_PEPPER {
        return Err(ConfigError::invalid(
            "LINGO_OTP_PEPPER",
            "<development default>",
            "set a secret in production",
        ));
    }
    Ok(AuthConfig {
        jwt_secret,
        jwt_issuer: env.string("LINGO_JWT_ISSUER", "lingo"),
        jwt_audience: env.string("LINGO_JWT_AUDIENCE", "lingo-app"),
        access_ttl: env.millis("LINGO_ACCESS_TOKEN_TTL_MS", 15 * 60_000)?,
        refresh_ttl: env.millis("LINGO_REFRESH_TOKEN_TTL_MS", 30 * 86_400_000)?,
        refresh_max_age: env.millis("LINGO_REFRESH_FAMILY_MAX_AGE_MS", 60 * 86_400_000)?,
        revocation_cache_ttl: env.millis("LINGO_REVOCATION_CACHE_TTL_MS", 5_000)?,
        revocation_cache_capacity: env.positive("LINGO_REVOCATION_CACHE_CAPACITY", 100_000)?,
        otp_pepper,
        argon2_memory_kib: env.parse("LINGO_ARGON2_MEMORY_KIB", 19_456)?,
        argon2_iterations: env.parse("LINGO_ARGON2_ITERATIONS", 2)?,
        argon2_parallelism: env.parse("LINGO_ARGON2_PARALLELISM", 1)?,
        login_attempts_per_15_minutes: env.positive("LINGO_RATE_LIMIT_LOGIN_PER_15_MINUTES", 50)?
            as u32,
        sms: sms_config(env, production)?,
        google_client_ids: env.list("LINGO_GOOGLE_CLIENT_IDS"),
        google_jwks_url: env.string(
            "LINGO_GOOGLE_JWKS_URL",
            "https://www.googleapis.com/oauth2/v3/certs",
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn source(pairs: &[(&str, &str)]) -> EnvSource {
        EnvSource::from_pairs(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())))
    }

    #[test]
    fn defaults_describe_a_local_development_stack() {
        let config = Config::from_source(&source(&[])).expect("defaults are valid");
        assert_eq!(config.environment, Environment::Development);
        assert_eq!(config.http.port, 8080);
        assert!(config.database.migrate_on_start);
        assert_eq!(config.telemetry.log_format, LogFormat::Pretty);
        assert_eq!(config.queue.visibility_timeout, Duration::from_secs(60));
    }

    #[test]
    fn an_invalid_value_names_its_variable() {
        let error =
            Config::from_source(&source(&[("LINGO_HTTP_PORT", "eighty")])).expect_err("not a port");
        assert!(error.to_string().contains("LINGO_HTTP_PORT"), "{error}");
        let error = Config::from_source(&source(&[("LINGO_WORKER_CONCURRENCY", "0")]))
            .expect_err("zero workers");
        assert!(
            error.to_string().contains("LINGO_WORKER_CONCURRENCY"),
            "{error}"
        );
    }

    #[test]
    fn production_needs_a_real_secret_and_logs_json() {
        let error = Config::from_source(&source(&[("LINGO_ENV", "production")]))
            .expect_err("default secret");
        assert!(error.to_string().contains("LINGO_JWT_SECRET"));
        let prod = [
            ("LINGO_ENV", "production"),
            ("LINGO_JWT_SECRET", "0123456789abcdef0123456789abcdef-prod"),
            ("LINGO_OTP_PEPPER", "pepper"),
            ("LINGO_SMS_PROVIDER", "twilio"),
            ("LINGO_TWILIO_ACCOUNT_SID", "AC1"),
            ("LINGO_TWILIO_AUTH_TOKEN", "t"),
            ("LINGO_TWILIO_FROM", "+15550001111"),
            ("LINGO_EMAIL_PROVIDER", "smtp"),
            ("LINGO_EMAIL_SMTP_HOST", "smtp.example"),
            ("LINGO_EMAIL_FROM", "Lingo <no-reply@lingo.example>"),
            ("LINGO_EMAIL_LINK_BASE_URL", "https://lingo.example"),
        ];
        let config = Config::from_source(&source(&prod)).expect("valid");
        assert_eq!(config.telemetry.log_format, LogFormat::Json);
        assert!(!config.database.migrate_on_start);
    }

    #[test]
    fn the_sms_provider_needs_its_credentials_and_no_log_sender_in_production() {
        let error = Config::from_source(&source(&[("LINGO_SMS_PROVIDER", "kavenegar")]))
            .expect_err("no key");
        assert!(
            error.to_string().contains("LINGO_KAVENEGAR_API_KEY"),
            "{error}"
        );
        let error = Config::from_source(&source(&[
            ("LINGO_ENV", "production"),
            ("LINGO_JWT_SECRET", "0123456789abcdef0123456789abcdef-prod"),
            ("LINGO_OTP_PEPPER", "pepper"),
        ]))
        .expect_err("log sender in production");
        assert!(error.to_string().contains("LINGO_SMS_PROVIDER"), "{error}");
    }

    #[test]
    fn cors_origins_are_a_comma_separated_list() {
        let config = Config::from_source(&source(&[(
            "LINGO_HTTP_CORS_ORIGINS",
            "https://app.example, https://admin.example",
        )]))
        .expect("valid");
        assert_eq!(
            config.http.cors_origins,
            vec!["https://app.example", "https://admin.example"]
        );
    }
}
