//! One GET of a provider's JSON through `lingo-http` (circuit breaker, timeouts, retries with
//! backoff and `Retry-After`, a capped body), and the translation of the outcome into a
//! [`ProviderError`].
//!
//! What is retried is `lingo-http`'s policy: 408, 429, 5xx, timeouts, refused or reset
//! connections and bodies cut off mid-way. What is not: 404 and 410 (the word is unknown, and
//! will stay so), other 4xx (the request itself is wrong) and 2xx bodies that are not JSON (the
//! provider will answer the same again).
//!
//! What the breaker counts as a failure: a lookup that ended unavailable after its retries.
//! Any answer, even a 404, a 400 or malformed JSON, shows the provider is up; counting those
//! would let one odd word switch a provider off for everyone.

use crate::BuildError;
use crate::provider_settings::ProviderSettings;
use chrono::{DateTime, Utc};
use lingo_dictionary::ports::ProviderError;
use lingo_http::{CircuitState, ErrorKind, HttpClient, HttpError, Url};
use lingo_kernel::{Clock, SystemClock};
use std::sync::Arc;

#[derive(Debug)]
pub(crate) struct HttpPolicy {
    /// Names the provider in errors, which may be logged far from the lookup's span.
    provider: &'static str,
    http: HttpClient,
}

impl HttpPolicy {
    /// Checks `settings` and builds the client; returns the parsed base URL with the policy.
    pub(crate) fn new(
        provider: &'static str,
        settings: &ProviderSettings,
    ) -> Result<(Self, Url), BuildError> {
        let base_url = settings.check()?;
        let http = HttpClient::new(settings.http_settings(), Arc::new(SystemClock))
            .map_err(|err| BuildError::Client(err.to_string()))?
            .with_circuit_breaker(settings.breaker_threshold, settings.breaker_cooldown);
        Ok((Self { provider, http }, base_url))
    }

    pub(crate) fn set_clock(&mut self, clock: Arc<dyn Clock>) {
        self.http.set_clock(clock);
    }

    pub(crate) fn now(&self) -> DateTime<Utc> {
        self.http.now()
    }

    pub(crate) fn circuit(&self) -> CircuitState {
        self.http.circuit()
    }

    /// The JSON body of a 2xx answer to `GET url`; `NotFound` on 404 and 410.
    pub(crate) async fn get_json(&self, url: &Url) -> Result<serde_json::Value, ProviderError> {
        let answer = self
            .http
            .send(self.http.get(url.clone()))
            .await
            .map_err(|err| self.failed(&err))?;
        match answer.status.as_u16() {
            200..=299 => answer
                .json()
                .map_err(|err| ProviderError::Malformed(format!("{} {err}", self.provider))),
            404 | 410 => Err(ProviderError::NotFound),
            code => Err(ProviderError::Unavailable(format!(
                "{} refused the request with HTTP {code}",
                self.provider
            ))),
        }
    }

    fn failed(&self, err: &HttpError) -> ProviderError {
        match err.kind() {
            ErrorKind::CircuitOpen => {
                tracing::debug!(provider = self.provider, "circuit open: failing fast");
                ProviderError::Unavailable("circuit open".to_owned())
            }
            ErrorKind::BodyTooLarge { limit } => ProviderError::Malformed(format!(
                "{}'s answer is larger than {limit} bytes, which no dictionary entry is",
                self.provider
            )),
            _ if err.is_transient() => {
                let message = format!("{} {}{}", self.provider, err.report(), err.gave_up());
                tracing::warn!(error = %message, "provider unavailable");
                ProviderError::Unavailable(message)
            }
            _ => ProviderError::Unavailable(format!("{} {}", self.provider, err.report())),
        }
    }
}
