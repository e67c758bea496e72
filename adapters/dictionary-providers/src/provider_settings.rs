//! How one provider is reached and how hard we try: loaded once by the app, checked when the
//! provider is built.

use crate::BuildError;
use lingo_http::{HttpSettings, Url, parse_base_url};
use std::time::Duration;

/// Dictionary answers are a few to a few hundred kilobytes; a body much larger is not one, and
/// reading it whole would let a broken proxy make us buffer without limit.
const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;

/// The settings of one provider. Start from the provider's `default_settings()` (or
/// [`ProviderSettings::new`] with a base URL) and override what the deployment needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderSettings {
    /// Scheme, host and optional path prefix, e.g. `https://api.dictionaryapi.dev`.
    pub base_url: String,
    /// Bounds one attempt, from connecting until the last byte of the body.
    pub timeout: Duration,
    /// Attempts per lookup, the first included; at least 1.
    pub max_attempts: u32,
    /// The backoff before the second attempt; it doubles for each later one (with jitter).
    pub base_delay: Duration,
    /// No wait between attempts is longer, whatever the backoff or `Retry-After` says.
    pub max_delay: Duration,
    /// Consecutive unavailable lookups after which the circuit opens; at least 1.
    pub breaker_threshold: u32,
    /// How long an open circuit fails fast before it lets one trial lookup through.
    pub breaker_cooldown: Duration,
    /// Sent with every request. Wikimedia asks for a name, a version and a contact
    /// (`Lingo/0.1 (ops@example.org)`); deployments should set their own.
    pub user_agent: String,
}

impl ProviderSettings {
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(4);
    pub const DEFAULT_MAX_ATTEMPTS: u32 = 3;
    pub const DEFAULT_BASE_DELAY: Duration = Duration::from_millis(250);
    pub const DEFAULT_MAX_DELAY: Duration = Duration::from_secs(4);
    pub const DEFAULT_BREAKER_THRESHOLD: u32 = 5;
    pub const DEFAULT_BREAKER_COOLDOWN: Duration = Duration::from_secs(30);

    /// The defaults, against `base_url`.
    pub fn new(base_url: impl Into<String>) -> Self {
        Self {
            base_url: base_url.into(),
            timeout: Self::DEFAULT_TIMEOUT,
            max_attempts: Self::DEFAULT_MAX_ATTEMPTS,
            base_delay: Self::DEFAULT_BASE_DELAY,
            max_delay: Self::DEFAULT_MAX_DELAY,
            breaker_threshold: Self::DEFAULT_BREAKER_THRESHOLD,
            breaker_cooldown: Self::DEFAULT_BREAKER_COOLDOWN,
            user_agent: lingo_http::default_user_agent(),
        }
    }

    /// Checks everything a lookup relies on, so a typo fails the boot, not a lookup.
    pub(crate) fn check(&self) -> Result<Url, BuildError> {
        self.http_settings().check().map_err(BuildError::Settings)?;
        if self.breaker_threshold == 0 {
            return Err(BuildError::Settings(
                "breaker_threshold must be at least 1".to_owned(),
            ));
        }
        parse_base_url(&self.base_url).ok_or_else(|| BuildError::BaseUrl(self.base_url.clone()))
    }

    /// The client these settings ask for: JSON accepted, a few redirects followed.
    pub(crate) fn http_settings(&self) -> HttpSettings {
        HttpSettings {
            timeout: self.timeout,
            connect_timeout: self.timeout,
            user_agent: self.user_agent.clone(),
            accept: Some("application/json".to_owned()),
            max_attempts: self.max_attempts,
            base_delay: self.base_delay,
            max_delay: self.max_delay,
            max_body_bytes: MAX_BODY_BYTES,
            max_redirects: 5,
            http2_prior_knowledge: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_pass_the_check() {
        let settings = ProviderSettings::new("https://api.dictionaryapi.dev");
        assert!(settings.check().is_ok());
    }

    #[test]
    fn settings_that_cannot_work_are_refused() {
        let good = ProviderSettings::new("https://api.dictionaryapi.dev");
        let cases = [
            ProviderSettings {
                max_attempts: 0,
                ..good.clone()
            },
            ProviderSettings {
                breaker_threshold: 0,
                ..good.clone()
            },
            ProviderSettings {
                timeout: Duration::ZERO,
                ..good.clone()
            },
            ProviderSettings {
                base_delay: Duration::from_secs(10),
                max_delay: Duration::from_secs(1),
                ..good.clone()
            },
            ProviderSettings {
                user_agent: "Lingo\n".to_owned(),
                ..good.clone()
            },
        ];
        for settings in cases {
            assert!(
                matches!(settings.check(), Err(BuildError::Settings(_))),
                "{settings:?}"
            );
        }
        for url in ["ftp://example.org", "not a url", "mailto:a@example.org"] {
            let settings = ProviderSettings::new(url);
            assert_eq!(settings.check(), Err(BuildError::BaseUrl(url.to_owned())));
        }
    }
}
