//! The abuse limits (`LINGO_RATE_LIMIT_…`, `LINGO_SMS_…`, the content money budget) and the
//! trusted proxies; every limit, its key and what it defends is in `docs/abuse-limits.md`.

use super::{ConfigError, EnvSource};
use lingo_kernel::TrustedProxies;
use lingo_kernel::failed_attempts::ProgressiveDelay;
use lingo_users::sms_policy::{AllowedCountries, DEFAULT_ALLOWED_COUNTRIES, SmsPolicy};
use std::time::Duration;

/// Requests per minute of each route class, per account when signed in, per client address
/// otherwise (anonymous callers also at most `anonymous`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RouteLimits {
    pub auth: u32,
    pub lookup: u32,
    pub search: u32,
    pub analyse: u32,
    pub content: u32,
    pub quizzes: u32,
    pub batches: u32,
    pub anonymous: u32,
}

#[derive(Debug, Clone)]
pub struct LimitsConfig {
    pub routes: RouteLimits,
    /// Refreshes per token family per minute.
    pub refresh_per_minute: u32,
    pub login_delay: ProgressiveDelay,
    pub otp_verify_delay: ProgressiveDelay,
    /// Code verifications per phone per 10 minutes, from every address together.
    pub otp_verify_per_10_minutes: u32,
    pub sms: SmsPolicy,
}

fn per_minute(env: &EnvSource, var: &str, default: usize) -> Result<u32, ConfigError> {
    Ok(u32::try_from(env.positive(var, default)?).unwrap_or(u32::MAX))
}

fn delay(env: &EnvSource, what: &str) -> Result<ProgressiveDelay, ConfigError> {
    let rule = ProgressiveDelay {
        free: env.parse(&format!("LINGO_RATE_LIMIT_{what}_FREE_ATTEMPTS"), 5)?,
        base: env.millis(&format!("LINGO_RATE_LIMIT_{what}_DELAY_MS"), 1_000)?,
        max: env.millis(
            &format!("LINGO_RATE_LIMIT_{what}_MAX_DELAY_MS"),
            15 * 60_000,
        )?,
        forget_after: Duration::from_secs(24 * 3600),
    };
    Ok(rule)
}

pub(super) fn money(env: &EnvSource, var: &str, default: f64) -> Result<f64, ConfigError> {
    let value: f64 = env.parse(var, default)?;
    if !value.is_finite() || value < 0.0 {
        return Err(ConfigError::invalid(
            var,
            &value.to_string(),
            "a non-negative amount in US dollars",
        ));
    }
    Ok(value)
}

pub(super) fn trusted_proxies(env: &EnvSource) -> Result<TrustedProxies, ConfigError> {
    if let Some(old) = env.optional("LINGO_HTTP_TRUST_FORWARDED") {
        return Err(ConfigError::invalid(
            "LINGO_HTTP_TRUST_FORWARDED",
            &old,
            "replaced by LINGO_HTTP_TRUSTED_PROXIES: list the networks of your proxies \
             (e.g. 10.0.0.0/8); remove LINGO_HTTP_TRUST_FORWARDED",
        ));
    }
    let raw = env.string("LINGO_HTTP_TRUSTED_PROXIES", "");
    TrustedProxies::parse(&raw)
        .map_err(|e| ConfigError::invalid("LINGO_HTTP_TRUSTED_PROXIES", &raw, e.to_string()))
}

pub(super) fn limits_config(env: &EnvSource) -> Result<LimitsConfig, ConfigError> {
    let countries = env.string("LINGO_SMS_ALLOWED_COUNTRIES", DEFAULT_ALLOWED_COUNTRIES);
    let allowed = AllowedCountries::parse(&countries).map_err(|e| {
        ConfigError::invalid("LINGO_SMS_ALLOWED_COUNTRIES", &countries, e.to_string())
    })?;
    Ok(LimitsConfig {
        routes: RouteLimits {
            auth: per_minute(env, "LINGO_RATE_LIMIT_AUTH_PER_MINUTE", 30)?,
            lookup: per_minute(env, "LINGO_RATE_LIMIT_LOOKUP_PER_MINUTE", 300)?,
            search: per_minute(env, "LINGO_RATE_LIMIT_SEARCH_PER_MINUTE", 120)?,
            analyse: per_minute(env, "LINGO_RATE_LIMIT_ANALYSE_PER_MINUTE", 30)?,
            content: per_minute(env, "LINGO_RATE_LIMIT_CONTENT_PER_MINUTE", 300)?,
            quizzes: per_minute(env, "LINGO_RATE_LIMIT_QUIZZES_PER_MINUTE", 120)?,
            batches: per_minute(env, "LINGO_RATE_LIMIT_BATCHES_PER_MINUTE", 30)?,
            anonymous: per_minute(env, "LINGO_RATE_LIMIT_ANONYMOUS_PER_MINUTE", 60)?,
        },
        refresh_per_minute: per_minute(env, "LINGO_RATE_LIMIT_REFRESH_PER_MINUTE", 10)?,
        login_delay: delay(env, "LOGIN")?,
        otp_verify_delay: delay(env, "CODE_VERIFY")?,
        otp_verify_per_10_minutes: per_minute(
            env,
            "LINGO_RATE_LIMIT_CODE_VERIFY_PER_10_MINUTES",
            30,
        )?,
        sms: SmsPolicy {
            allowed,
            per_phone_daily: per_minute(env, "LINGO_SMS_PER_PHONE_PER_DAY", 10)?,
            per_address_daily: per_minute(env, "LINGO_SMS_PER_ADDRESS_PER_DAY", 20)?,
            per_country_daily: per_minute(env, "LINGO_SMS_PER_COUNTRY_PER_DAY", 5_000)?,
            global_daily: per_minute(env, "LINGO_SMS_GLOBAL_PER_DAY", 20_000)?,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(pairs: &[(&str, &str)]) -> EnvSource {
        EnvSource::from_pairs(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())))
    }

    #[test]
    fn the_old_forwarding_switch_is_refused_naming_its_replacement() {
        let error = trusted_proxies(&source(&[("LINGO_HTTP_TRUST_FORWARDED", "true")]))
            .expect_err("replaced");
        assert!(
            error.to_string().contains("LINGO_HTTP_TRUSTED_PROXIES"),
            "{error}"
        );
        assert!(trusted_proxies(&source(&[])).expect("default").is_empty());
        let proxies = trusted_proxies(&source(&[(
            "LINGO_HTTP_TRUSTED_PROXIES",
            "10.0.0.0/8, 192.168.0.0/16, fd00::/8",
        )]))
        .expect("networks");
        assert_eq!(proxies.networks().len(), 3);
        let error = trusted_proxies(&source(&[("LINGO_HTTP_TRUSTED_PROXIES", "10.0.0.0/99")]))
            .expect_err("not a network");
        assert!(error.to_string().contains("LINGO_HTTP_TRUSTED_PROXIES"));
    }

    #[test]
    fn limits_have_documented_defaults_and_refuse_nonsense() {
        let limits = limits_config(&source(&[])).expect("defaults");
        assert_eq!(limits.routes.auth, 30);
        assert_eq!(limits.sms.allowed.codes().len(), 13);
        for (var, value) in [
            ("LINGO_SMS_ALLOWED_COUNTRIES", "98,+x"),
            ("LINGO_RATE_LIMIT_LOOKUP_PER_MINUTE", "0"),
        ] {
            let error = limits_config(&source(&[(var, value)])).expect_err(var);
            assert!(error.to_string().contains(var), "{error}");
        }
        for amount in ["-1", "NaN", "inf"] {
            let var = "LINGO_CONTENT_DAILY_BUDGET_USD";
            assert!(
                money(&source(&[(var, amount)]), var, 20.0).is_err(),
                "{amount}"
            );
        }
        assert_eq!(
            money(&source(&[]), "LINGO_CONTENT_DAILY_BUDGET_USD", 20.0),
            Ok(20.0)
        );
    }
}
