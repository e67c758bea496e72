//! How one provider is reached and how hard we try: loaded once by the app, checked when the
//! provider is built.

use crate::BuildError;
use reqwest::Url;
use reqwest::header::HeaderValue;
use std::time::Duration;

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
            user_agent: default_user_agent(),
        }
    }

    /// Checks everything a lookup relies on, so a typo fails the boot, not a lookup.
    pub(crate) fn check(&self) -> Result<Url, BuildError> {
        let invalid = |what: &str| Err(BuildError::Settings(what.to_owned()));
        if self.timeout.is_zero() {
            return invalid("the timeout must be longer than zero");
        }
        if self.max_attempts == 0 {
            return invalid("max_attempts must be at least 1");
        }
        if self.breaker_threshold == 0 {
            return invalid("breaker_threshold must be at least 1");
        }
        if self.base_delay > self.max_delay {
            return invalid("base_delay must not be longer than max_delay");
        }
        if self.user_agent.trim().is_empty() || HeaderValue::from_str(&self.user_agent).is_err() {
            return invalid("user_agent must be a non-empty, printable header value");
        }
        base_url(&self.base_url)
    }
}

/// `Lingo/<version>`: a placeholder that names the software; the contact is the deployment's.
fn default_user_agent() -> String {
    format!(
        "Lingo/{} (vocabulary-learning backend)",
        env!("CARGO_PKG_VERSION")
    )
}

fn base_url(raw: &str) -> Result<Url, BuildError> {
    let invalid = || BuildError::BaseUrl(raw.to_owned());
    let url = Url::parse(raw).map_err(|_| invalid())?;
    if !matches!(url.scheme(), "http" | "https") || url.cannot_be_a_base() {
        return Err(invalid());
    }
    Ok(url)
}

/// `base` with `segments` appended as path segments, each percent-encoded as needed (spaces,
/// non-ASCII letters, `/`, `?` and `#` included).
pub(crate) fn endpoint(base: &Url, segments: &[&str]) -> Url {
    let mut url = base.clone();
    if let Ok(mut path) = url.path_segments_mut() {
        path.pop_if_empty().extend(segments);
    }
    url
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

    #[test]
    fn endpoint_segments_are_percent_encoded_under_the_base_path() {
        let base = Url::parse("http://127.0.0.1:1/prefix/").expect("valid");
        let url = endpoint(&base, &["entries", "en", "ice cream/AC?#"]);
        assert_eq!(url.path(), "/prefix/entries/en/ice%20cream%2FAC%3F%23");
    }
}
