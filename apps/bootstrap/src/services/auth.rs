//! Accounts and sign-in wired to their adapters: users and refresh tokens in PostgreSQL, codes
//! and rate limits in Redis, the configured SMS provider, Google's JWKS, Argon2id and JWT.

use crate::Stores;
use crate::config::{Config, EmailConfig, EmailProvider, EmailTls, SmsConfig};
use lingo_crypto::{Argon2Hasher, Argon2Settings, OsSecrets};
use lingo_google::{GoogleIdTokenVerifier, GoogleSettings};
use lingo_jwt::JwtAccessTokens;
use lingo_kernel::Clock;
use lingo_kernel::rate_limit::{RateLimit, RateLimiter};
use lingo_postgres::{
    PgAccountAdministration, PgEmailTokenStore, PgRefreshTokenStore, PgUserRepository,
};
use lingo_redis::{RedisFailedAttempts, RedisOtpStore};
use lingo_users::AccessTokens;
use lingo_users::account::AccountService;
use lingo_users::administer_accounts::AccountAdminService;
use lingo_users::auth::{AuthDeps, AuthService, AuthSettings};
use lingo_users::ports::{EmailSender, SmsSender};
use lingo_users::revocation::{RevocationCache, RevocationSettings};
use std::sync::Arc;
use std::time::Duration;

pub(super) struct Users {
    pub auth: AuthService,
    pub accounts: AccountService,
    pub account_admin: AccountAdminService,
    pub otp_ttl: Duration,
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

fn email_sender(config: &EmailConfig) -> anyhow::Result<Arc<dyn EmailSender>> {
    Ok(match &config.provider {
        EmailProvider::Log => Arc::new(lingo_email::LogSender),
        EmailProvider::Smtp(smtp) => {
            Arc::new(lingo_email::SmtpSender::new(&lingo_email::SmtpSettings {
                host: smtp.host.clone(),
                port: smtp.port,
                tls: match smtp.tls {
                    EmailTls::StartTls => lingo_email::SmtpTls::StartTls,
                    EmailTls::Tls => lingo_email::SmtpTls::Tls,
                    EmailTls::None => lingo_email::SmtpTls::None,
                },
                credentials: smtp.user.clone().zip(smtp.password.clone()),
                from: config.from.clone(),
                command_timeout: smtp.timeout,
                send_timeout: smtp.timeout * 3,
            })?)
        }
    })
}

pub(super) fn build(
    config: &Config,
    stores: &Stores,
    sms: Option<Arc<dyn SmsSender>>,
    email: Option<Arc<dyn EmailSender>>,
    limiter: Arc<dyn RateLimiter>,
    clock: Arc<dyn Clock>,
) -> anyhow::Result<Users> {
    let auth = &config.auth;
    let tokens: Arc<dyn AccessTokens> = Arc::new(JwtAccessTokens::new(
        auth.jwt_secret.as_bytes(),
        &auth.jwt_issuer,
        &auth.jwt_audience,
        chrono::Duration::from_std(auth.access_ttl)?,
    ));
    let users = Arc::new(PgUserRepository::new(stores.postgres.clone()));
    // One cache per process, shared by every use case that changes a generation, so a change
    // takes effect on this node at once.
    let revocations = Arc::new(RevocationCache::new(
        users.clone(),
        clock.clone(),
        RevocationSettings {
            ttl: auth.revocation_cache_ttl,
            capacity: auth.revocation_cache_capacity,
        },
    ));
    let sms = match sms {
        Some(sms) => sms,
        None => sms_sender(&auth.sms)?,
    };
    let email = match email {
        Some(email) => email,
        None => email_sender(&config.email)?,
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
        email,
        email_tokens: Arc::new(PgEmailTokenStore::new(stores.postgres.clone())),
        identity: Arc::new(GoogleIdTokenVerifier::new(google)),
        passwords: Arc::new(Argon2Hasher::new(Argon2Settings {
            memory_kib: auth.argon2_memory_kib,
            iterations: auth.argon2_iterations,
            parallelism: auth.argon2_parallelism,
        })?),
        access_tokens: tokens,
        secrets: Arc::new(OsSecrets),
        revocations: revocations.clone(),
        limiter,
        clock: clock.clone(),
        attempts: Arc::new(RedisFailedAttempts::new(
            stores.redis.clone(),
            &stores.redis_prefix,
        )),
    };
    let limits = &config.limits;
    let settings = AuthSettings {
        refresh_ttl: auth.refresh_ttl,
        refresh_max_age: auth.refresh_max_age,
        otp_pepper: auth.otp_pepper.as_bytes().to_vec(),
        login_limit: RateLimit::per(
            auth.login_attempts_per_15_minutes,
            Duration::from_secs(15 * 60),
        ),
        email_link_base: config.email.link_base_url.clone(),
        otp_verify_limit: RateLimit::per(
            limits.otp_verify_per_10_minutes,
            Duration::from_secs(10 * 60),
        ),
        login_delay: limits.login_delay,
        otp_verify_delay: limits.otp_verify_delay,
        refresh_limit: RateLimit::per(limits.refresh_per_minute, Duration::from_secs(60)),
        sms: limits.sms.clone(),
        ..AuthSettings::default()
    };
    let otp_ttl = settings.otp_ttl;
    Ok(Users {
        auth: AuthService::new(deps, settings),
        accounts: AccountService::new(users.clone(), revocations.clone(), clock.clone()),
        account_admin: AccountAdminService::new(
            users,
            Arc::new(PgAccountAdministration::new(stores.postgres.clone())),
            revocations,
            clock,
        ),
        otp_ttl,
    })
}
