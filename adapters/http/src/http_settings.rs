//! How an adapter's client behaves: loaded by the app as part of the adapter's own settings,
//! checked once when the client is built.

use reqwest::header::HeaderValue;
use std::time::Duration;

/// The settings of one client. Start from [`HttpSettings::default`] and override what the
/// adapter needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpSettings {
    /// Bounds one attempt, from connecting until the last byte of the body.
    pub timeout: Duration,
    /// Bounds connecting (TCP and TLS) within an attempt.
    pub connect_timeout: Duration,
    /// Sent with every request.
    pub user_agent: String,
    /// Sent as `Accept` with every request, if set.
    pub accept: Option<String>,
    /// Attempts per call, the first included; at least 1. 1 means no retry (for calls that are
    /// not idempotent, such as sending an SMS).
    pub max_attempts: u32,
    /// The backoff before the second attempt; it doubles for each later one (with jitter).
    pub base_delay: Duration,
    /// No wait between attempts is longer, whatever the backoff or `Retry-After` says.
    pub max_delay: Duration,
    /// A body longer than this is not read: the call fails with `BodyTooLarge`.
    pub max_body_bytes: usize,
    /// Redirects followed per attempt; 0 follows none (a redirect is then an answer).
    pub max_redirects: usize,
    /// Speaks HTTP/2 from the first byte, without negotiation (h2c on `http://`): for a local
    /// double of an HTTP/2-only API such as APNs. Over `https://` HTTP/2 is negotiated by ALPN
    /// anyway.
    pub http2_prior_knowledge: bool,
}

impl HttpSettings {
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
    pub const DEFAULT_MAX_ATTEMPTS: u32 = 3;
    pub const DEFAULT_BASE_DELAY: Duration = Duration::from_millis(250);
    pub const DEFAULT_MAX_DELAY: Duration = Duration::from_secs(4);
    pub const DEFAULT_MAX_BODY_BYTES: usize = 1024 * 1024;

    /// Checks everything a call relies on, so a typo fails the boot, not a call.
    pub fn check(&self) -> Result<(), String> {
        let invalid = |what: &str| Err(what.to_owned());
        if self.timeout.is_zero() || self.connect_timeout.is_zero() {
            return invalid("the timeout must be longer than zero");
        }
        if self.max_attempts == 0 {
            return invalid("max_attempts must be at least 1");
        }
        if self.base_delay > self.max_delay {
            return invalid("base_delay must not be longer than max_delay");
        }
        if self.user_agent.trim().is_empty() || HeaderValue::from_str(&self.user_agent).is_err() {
            return invalid("user_agent must be a non-empty, printable header value");
        }
        if self.max_body_bytes == 0 {
            return invalid("max_body_bytes must be at least 1");
        }
        Ok(())
    }
}

impl Default for HttpSettings {
    fn default() -> Self {
        Self {
            timeout: Self::DEFAULT_TIMEOUT,
            connect_timeout: Self::DEFAULT_TIMEOUT,
            user_agent: default_user_agent(),
            accept: None,
            max_attempts: Self::DEFAULT_MAX_ATTEMPTS,
            base_delay: Self::DEFAULT_BASE_DELAY,
            max_delay: Self::DEFAULT_MAX_DELAY,
            max_body_bytes: Self::DEFAULT_MAX_BODY_BYTES,
            max_redirects: 0,
            http2_prior_knowledge: false,
        }
    }
}

/// `Lingo/<version>`: names the software; a contact, where a provider asks for one, is the
/// deployment's to add.
pub fn default_user_agent() -> String {
    format!(
        "Lingo/{} (vocabulary-learning backend)",
        env!("CARGO_PKG_VERSION")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_pass_the_check() {
        assert_eq!(HttpSettings::default().check(), Ok(()));
    }

    #[test]
    fn settings_that_cannot_work_are_refused() {
        let good = HttpSettings::default();
        let cases = [
            HttpSettings {
                max_attempts: 0,
                ..good.clone()
            },
            HttpSettings {
                timeout: Duration::ZERO,
                ..good.clone()
            },
            HttpSettings {
                connect_timeout: Duration::ZERO,
                ..good.clone()
            },
            HttpSettings {
                base_delay: Duration::from_secs(10),
                max_delay: Duration::from_secs(1),
                ..good.clone()
            },
            HttpSettings {
                user_agent: "Lingo\n".to_owned(),
                ..good.clone()
            },
            HttpSettings {
                max_body_bytes: 0,
                ..good.clone()
            },
        ];
        for settings in cases {
            assert!(settings.check().is_err(), "{settings:?}");
        }
    }
}
