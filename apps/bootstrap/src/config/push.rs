//! `LINGO_PUSH_…`, `LINGO_FCM_…`, `LINGO_APNS_…`: who delivers pushes (docs/reminders.md).

use super::{ConfigError, EnvSource};
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct PushConfig {
    pub provider: PushProvider,
    pub timeout: Duration,
}

/// `LINGO_PUSH_PROVIDER`.
#[derive(Debug, Clone)]
#[expect(
    clippy::large_enum_variant,
    reason = "read once at start-up; boxing would only add noise to the matches"
)]
pub enum PushProvider {
    /// `log`: logs pushes instead of sending them (development only; the default there).
    Log,
    /// `none`: no push; reminders are in-app notifications only (the default in production).
    None,
    /// `providers`: FCM for Android and/or APNs for iOS, each when its variables are set.
    Providers {
        fcm: Option<FcmConfig>,
        apns: Option<ApnsConfig>,
    },
}

#[derive(Debug, Clone)]
pub struct FcmConfig {
    pub project_id: String,
    /// The service account's JSON key file (read at start-up).
    pub service_account_file: String,
    pub base_url: String,
    /// Replaces the key file's `token_uri` (a local double).
    pub token_url: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ApnsConfig {
    /// The `.p8` key file (read at start-up).
    pub key_file: String,
    pub key_id: String,
    pub team_id: String,
    pub topic: String,
    pub base_url: String,
}

pub(super) fn push_config(env: &EnvSource, production: bool) -> Result<PushConfig, ConfigError> {
    let default = if production { "none" } else { "log" };
    let provider = match env.string("LINGO_PUSH_PROVIDER", default).as_str() {
        "log" if production => {
            return Err(ConfigError::invalid(
                "LINGO_PUSH_PROVIDER",
                "log",
                "the log sender sends nothing; choose providers or none in production",
            ));
        }
        "log" => PushProvider::Log,
        "none" => PushProvider::None,
        "providers" => {
            let fcm = fcm_config(env)?;
            let apns = apns_config(env)?;
            if fcm.is_none() && apns.is_none() {
                return Err(ConfigError::invalid(
                    "LINGO_PUSH_PROVIDER",
                    "providers",
                    "set LINGO_FCM_PROJECT_ID or LINGO_APNS_KEY_FILE (or both)",
                ));
            }
            PushProvider::Providers { fcm, apns }
        }
        other => {
            return Err(ConfigError::invalid(
                "LINGO_PUSH_PROVIDER",
                other,
                "expected log, none or providers",
            ));
        }
    };
    Ok(PushConfig {
        provider,
        timeout: env.millis("LINGO_PUSH_TIMEOUT_MS", 10_000)?,
    })
}

fn required(env: &EnvSource, var: &str, by: &str) -> Result<String, ConfigError> {
    env.optional(var)
        .ok_or_else(|| ConfigError::invalid(var, "", format!("required with {by}")))
}

fn fcm_config(env: &EnvSource) -> Result<Option<FcmConfig>, ConfigError> {
    let Some(project_id) = env.optional("LINGO_FCM_PROJECT_ID") else {
        return Ok(None);
    };
    Ok(Some(FcmConfig {
        project_id,
        service_account_file: required(
            env,
            "LINGO_FCM_SERVICE_ACCOUNT_FILE",
            "LINGO_FCM_PROJECT_ID",
        )?,
        base_url: env.string("LINGO_FCM_BASE_URL", "https://fcm.googleapis.com"),
        token_url: env.optional("LINGO_FCM_TOKEN_URL"),
    }))
}

fn apns_config(env: &EnvSource) -> Result<Option<ApnsConfig>, ConfigError> {
    let Some(key_file) = env.optional("LINGO_APNS_KEY_FILE") else {
        return Ok(None);
    };
    Ok(Some(ApnsConfig {
        key_file,
        key_id: required(env, "LINGO_APNS_KEY_ID", "LINGO_APNS_KEY_FILE")?,
        team_id: required(env, "LINGO_APNS_TEAM_ID", "LINGO_APNS_KEY_FILE")?,
        topic: required(env, "LINGO_APNS_TOPIC", "LINGO_APNS_KEY_FILE")?,
        base_url: env.string("LINGO_APNS_BASE_URL", "https://api.push.apple.com"),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(pairs: &[(&str, &str)]) -> EnvSource {
        EnvSource::from_pairs(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())))
    }

    #[test]
    fn development_logs_pushes_and_production_sends_none_unless_told() {
        assert!(matches!(
            push_config(&source(&[]), false).expect("valid").provider,
            PushProvider::Log
        ));
        assert!(matches!(
            push_config(&source(&[]), true).expect("valid").provider,
            PushProvider::None
        ));
        let error = push_config(&source(&[("LINGO_PUSH_PROVIDER", "log")]), true)
            .expect_err("log in production");
        assert!(error.to_string().contains("LINGO_PUSH_PROVIDER"), "{error}");
    }

    #[test]
    fn each_provider_needs_its_credentials() {
        let error = push_config(&source(&[("LINGO_PUSH_PROVIDER", "providers")]), false)
            .expect_err("no provider");
        assert!(error.to_string().contains("LINGO_PUSH_PROVIDER"), "{error}");
        let error = push_config(
            &source(&[
                ("LINGO_PUSH_PROVIDER", "providers"),
                ("LINGO_APNS_KEY_FILE", "/etc/lingo/apns.p8"),
                ("LINGO_APNS_KEY_ID", "ABC123DEFG"),
            ]),
            false,
        )
        .expect_err("no team id");
        assert!(error.to_string().contains("LINGO_APNS_TEAM_ID"), "{error}");
        let config = push_config(
            &source(&[
                ("LINGO_PUSH_PROVIDER", "providers"),
                ("LINGO_FCM_PROJECT_ID", "lingo"),
                ("LINGO_FCM_SERVICE_ACCOUNT_FILE", "/etc/lingo/fcm.json"),
            ]),
            false,
        )
        .expect("valid");
        match config.provider {
            PushProvider::Providers {
                fcm: Some(fcm),
                apns: None,
            } => assert_eq!(fcm.base_url, "https://fcm.googleapis.com"),
            other => panic!("unexpected {other:?}"),
        }
    }
}
