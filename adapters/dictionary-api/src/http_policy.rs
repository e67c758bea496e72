//! One GET with everything a provider call needs around it: the circuit breaker, a timeout per
//! attempt, retries with backoff on 5xx, 429 and network failures, a capped read of the body
//! and the translation of the outcome into a [`ProviderError`].
//!
//! What is retried: 429, 5xx, timeouts, refused or reset connections and bodies cut off
//! mid-way; all of them may pass with time. What is not: 404 (the word is unknown, and will
//! stay so), other 4xx (the request itself is wrong) and 2xx bodies that are not JSON (the
//! provider will answer the same again).
//!
//! What the breaker counts as a failure: a lookup that ended unavailable after its retries.
//! Any answer, even a 404, a 400 or malformed JSON, shows the provider is up; counting those
//! would let one odd word switch a provider off for everyone.

use crate::BuildError;
use crate::circuit_breaker::{CircuitBreaker, CircuitState};
use crate::provider_settings::ProviderSettings;
use chrono::{DateTime, Utc};
use lingo_dictionary::ports::ProviderError;
use lingo_kernel::retry_delay::{parse_retry_after, retry_delay};
use lingo_kernel::{Clock, SystemClock};
use reqwest::header::{ACCEPT, HeaderMap, HeaderValue, RETRY_AFTER};
use reqwest::{Client, Response, StatusCode, Url, redirect};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// Dictionary answers are a few to a few hundred kilobytes; a body much larger is not one, and
/// reading it whole would let a broken proxy make us buffer without limit.
const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;

pub(crate) struct HttpPolicy {
    /// Names the provider in errors, which may be logged far from the lookup's span.
    provider: &'static str,
    client: Client,
    max_attempts: u32,
    base_delay: Duration,
    max_delay: Duration,
    breaker: CircuitBreaker,
    clock: Arc<dyn Clock>,
}

/// What one attempt came to.
enum Attempt {
    /// The provider answered; retrying would get the same answer.
    Answered(Result<serde_json::Value, ProviderError>),
    /// Worth another attempt, after `retry_after` if the provider said so.
    Failed {
        reason: String,
        retry_after: Option<Duration>,
    },
}

impl HttpPolicy {
    /// Checks `settings` and builds the client; returns the parsed base URL with the policy.
    pub(crate) fn new(
        provider: &'static str,
        settings: &ProviderSettings,
    ) -> Result<(Self, Url), BuildError> {
        let base_url = settings.check()?;
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        let client = Client::builder()
            .timeout(settings.timeout)
            .connect_timeout(settings.timeout)
            .user_agent(settings.user_agent.as_str())
            .default_headers(headers)
            .redirect(redirect::Policy::limited(5))
            .build()
            .map_err(|err| BuildError::Client(err.to_string()))?;
        let policy = Self {
            provider,
            client,
            max_attempts: settings.max_attempts,
            base_delay: settings.base_delay,
            max_delay: settings.max_delay,
            breaker: CircuitBreaker::new(settings.breaker_threshold, settings.breaker_cooldown),
            clock: Arc::new(SystemClock),
        };
        Ok((policy, base_url))
    }

    pub(crate) fn set_clock(&mut self, clock: Arc<dyn Clock>) {
        self.clock = clock;
    }

    pub(crate) fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    pub(crate) fn circuit(&self) -> CircuitState {
        self.breaker.state()
    }

    /// The JSON body of a 2xx answer to `GET url`; `NotFound` on 404 and 410.
    pub(crate) async fn get_json(&self, url: &Url) -> Result<serde_json::Value, ProviderError> {
        let Ok(permit) = self.breaker.try_acquire(self.clock.now()) else {
            tracing::debug!(provider = self.provider, "circuit open: failing fast");
            return Err(ProviderError::Unavailable("circuit open".to_owned()));
        };
        let mut attempt = 1;
        loop {
            match self.attempt(url).await {
                Attempt::Answered(result) => {
                    permit.succeeded();
                    return result;
                }
                Attempt::Failed {
                    reason,
                    retry_after,
                } if attempt < self.max_attempts => {
                    let delay = retry_delay(attempt, self.base_delay, self.max_delay, retry_after);
                    tracing::debug!(attempt, ?delay, %reason, "provider call failed; retrying");
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                }
                Attempt::Failed { reason, .. } => {
                    permit.failed(self.clock.now());
                    let message = format!(
                        "{} {reason} (gave up after {attempt} attempt{})",
                        self.provider,
                        if attempt == 1 { "" } else { "s" }
                    );
                    tracing::warn!(error = %message, "provider unavailable");
                    return Err(ProviderError::Unavailable(message));
                }
            }
        }
    }

    async fn attempt(&self, url: &Url) -> Attempt {
        let response = match self.client.get(url.clone()).send().await {
            Ok(response) => response,
            Err(err) => return self.transport_failure(err),
        };
        let status = response.status();
        match status.as_u16() {
            200..=299 => self.read_json(response).await,
            404 | 410 => Attempt::Answered(Err(ProviderError::NotFound)),
            429 | 500..=599 => Attempt::Failed {
                reason: format!("answered HTTP {}", status.as_u16()),
                retry_after: self.retry_after(&response, status),
            },
            code => Attempt::Answered(Err(ProviderError::Unavailable(format!(
                "{} refused the request with HTTP {code}",
                self.provider
            )))),
        }
    }

    /// `Retry-After` counts on 429 and 503 only: those are the statuses that define it.
    fn retry_after(&self, response: &Response, status: StatusCode) -> Option<Duration> {
        if !matches!(status.as_u16(), 429 | 503) {
            return None;
        }
        let value = response.headers().get(RETRY_AFTER)?.to_str().ok()?;
        parse_retry_after(value, self.clock.now())
    }

    async fn read_json(&self, mut response: Response) -> Attempt {
        if response
            .content_length()
            .is_some_and(|declared| declared > MAX_BODY_BYTES as u64)
        {
            return Attempt::Answered(Err(self.too_large()));
        }
        let mut body = Vec::new();
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) if body.len() + chunk.len() > MAX_BODY_BYTES => {
                    return Attempt::Answered(Err(self.too_large()));
                }
                Ok(Some(chunk)) => body.extend_from_slice(&chunk),
                Ok(None) => break,
                Err(err) => return self.transport_failure(err),
            }
        }
        Attempt::Answered(serde_json::from_slice(&body).map_err(|err| {
            ProviderError::Malformed(format!(
                "{} answered a body that is not JSON ({err})",
                self.provider
            ))
        }))
    }

    fn too_large(&self) -> ProviderError {
        ProviderError::Malformed(format!(
            "{}'s answer is larger than {MAX_BODY_BYTES} bytes, which no dictionary entry is",
            self.provider
        ))
    }

    /// Timeouts, refused connections and cut-off bodies may pass with time; a redirect loop
    /// will not. The URL is left out of the reason: the lookup's span has the word.
    fn transport_failure(&self, err: reqwest::Error) -> Attempt {
        let err = err.without_url();
        let what = if err.is_timeout() {
            "timed out"
        } else if err.is_connect() {
            "could not be reached"
        } else if err.is_body() || err.is_decode() {
            "cut its answer off"
        } else if err.is_redirect() {
            "redirected too often"
        } else {
            "failed"
        };
        let reason = format!("{what} ({})", error_chain(&err));
        if err.is_redirect() || err.is_builder() {
            Attempt::Answered(Err(ProviderError::Unavailable(format!(
                "{} {reason}",
                self.provider
            ))))
        } else {
            Attempt::Failed {
                reason,
                retry_after: None,
            }
        }
    }
}

/// The error and its causes on one line (hyper's "connection closed before message completed"
/// is two levels down).
fn error_chain(err: &reqwest::Error) -> String {
    let mut detail = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        detail.push_str(": ");
        detail.push_str(&cause.to_string());
        source = cause.source();
    }
    detail
}

impl fmt::Debug for HttpPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpPolicy")
            .field("provider", &self.provider)
            .field("max_attempts", &self.max_attempts)
            .field("base_delay", &self.base_delay)
            .field("max_delay", &self.max_delay)
            .field("breaker", &self.breaker)
            .finish_non_exhaustive()
    }
}
