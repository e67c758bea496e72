//! [`HttpClient`]: one `reqwest` client built from [`HttpSettings`], and a send that retries
//! what may pass with time.
//!
//! What is retried: 408, 429, 5xx, timeouts, refused or reset connections and bodies cut off
//! mid-way. What is not: other statuses (they are answers, for the adapter to read), bodies over
//! the cap, too many redirects and requests that cannot be built: the same request would fail
//! the same way again. `Retry-After` (seconds or an HTTP date, read on 429 and 503, the statuses
//! that define it) replaces the backoff; neither waits longer than `max_delay`.

use crate::capped_body::read_capped;
use crate::circuit_breaker::{CircuitBreaker, CircuitState};
use crate::http_error::{ErrorKind, HttpError};
use crate::http_settings::HttpSettings;
use crate::retry_after::{parse_retry_after, retry_delay};
use chrono::{DateTime, Utc};
use lingo_kernel::Clock;
use reqwest::header::{ACCEPT, HeaderMap, HeaderValue, RETRY_AFTER};
use reqwest::{Client, RequestBuilder, StatusCode, Url, redirect};
use serde::de::DeserializeOwned;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// A client that cannot be built: found at start-up, not per call.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BuildError {
    #[error("invalid HTTP settings: {0}")]
    Settings(String),
    #[error("the HTTP client could not be built: {0}")]
    Client(String),
}

/// One client per adapter, reused for every call so connections (and TLS sessions) are kept.
pub struct HttpClient {
    client: Client,
    settings: HttpSettings,
    clock: Arc<dyn Clock>,
    breaker: Option<CircuitBreaker>,
}

/// A whole answer: any status the client does not retry, and its body, read within the cap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl HttpClient {
    /// `clock` dates `Retry-After` and the breaker's cool-down.
    pub fn new(settings: HttpSettings, clock: Arc<dyn Clock>) -> Result<Self, BuildError> {
        settings.check().map_err(BuildError::Settings)?;
        let mut headers = HeaderMap::new();
        if let Some(accept) = &settings.accept {
            let value = HeaderValue::from_str(accept)
                .map_err(|_| BuildError::Settings("accept must be a header value".to_owned()))?;
            headers.insert(ACCEPT, value);
        }
        let redirects = match settings.max_redirects {
            0 => redirect::Policy::none(),
            limit => redirect::Policy::limited(limit),
        };
        let mut builder = Client::builder()
            .timeout(settings.timeout)
            .connect_timeout(settings.connect_timeout)
            .user_agent(settings.user_agent.as_str())
            .default_headers(headers)
            .redirect(redirects);
        if settings.http2_prior_knowledge {
            builder = builder.http2_prior_knowledge();
        }
        let client = builder
            .build()
            .map_err(|err| BuildError::Client(err.to_string()))?;
        Ok(Self {
            client,
            settings,
            clock,
            breaker: None,
        })
    }

    /// Puts a circuit breaker in front of every call: after `threshold` consecutive calls that
    /// failed transiently (retries included) calls fail fast for `cooldown`. Any answer, even a
    /// 404 or a malformed body, shows the service is up.
    pub fn with_circuit_breaker(mut self, threshold: u32, cooldown: Duration) -> Self {
        self.breaker = Some(CircuitBreaker::new(threshold, cooldown));
        self
    }

    pub fn set_clock(&mut self, clock: Arc<dyn Clock>) {
        self.clock = clock;
    }

    /// The injected clock's now, for the adapter's own timestamps.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Where the breaker stands; `Closed` without one.
    pub fn circuit(&self) -> CircuitState {
        self.breaker
            .as_ref()
            .map_or(CircuitState::Closed, CircuitBreaker::state)
    }

    pub fn get(&self, url: Url) -> RequestBuilder {
        self.client.get(url)
    }

    pub fn post(&self, url: Url) -> RequestBuilder {
        self.client.post(url)
    }

    /// Sends `request`, again while it fails transiently and attempts remain, and returns the
    /// first answer that is not retried. A request whose body cannot be cloned (a stream) is
    /// sent once.
    pub async fn send(&self, request: RequestBuilder) -> Result<Answer, HttpError> {
        let permit = match &self.breaker {
            Some(breaker) => match breaker.try_acquire(self.clock.now()) {
                Ok(permit) => Some(permit),
                Err(_) => {
                    tracing::debug!("circuit open: failing fast");
                    return Err(HttpError::new(ErrorKind::CircuitOpen).after(0));
                }
            },
            None => None,
        };
        let result = self.send_with_retries(request).await;
        if let Some(permit) = permit {
            match &result {
                Err(err) if err.is_transient() => permit.failed(self.clock.now()),
                _ => permit.succeeded(),
            }
        }
        result
    }

    async fn send_with_retries(&self, request: RequestBuilder) -> Result<Answer, HttpError> {
        let mut next = Some(request);
        let mut attempt = 1;
        loop {
            let Some(template) = next.take() else {
                return Err(HttpError::new(ErrorKind::Transport(
                    crate::Transport::Request,
                )));
            };
            let this_attempt = match template.try_clone() {
                Some(copy) => {
                    next = Some(template);
                    copy
                }
                None => template,
            };
            match self.attempt(this_attempt).await {
                Err(err)
                    if err.is_transient()
                        && attempt < self.settings.max_attempts
                        && next.is_some() =>
                {
                    let delay = retry_delay(
                        attempt,
                        self.settings.base_delay,
                        self.settings.max_delay,
                        err.retry_after(),
                    );
                    tracing::debug!(attempt, ?delay, error = %err.report(), "call failed; retrying");
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                }
                Err(err) => return Err(err.after(attempt)),
                Ok(answer) => return Ok(answer),
            }
        }
    }

    async fn attempt(&self, request: RequestBuilder) -> Result<Answer, HttpError> {
        let response = request.send().await.map_err(HttpError::transport)?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = read_capped(response, self.settings.max_body_bytes).await?;
        let retry_after = || self.retry_after(status, &headers);
        match status.as_u16() {
            429 => Err(HttpError::new(ErrorKind::RateLimited {
                retry_after: retry_after(),
                body,
            })),
            408 | 500..=599 => Err(HttpError::new(ErrorKind::Unavailable {
                status,
                retry_after: retry_after(),
                body,
            })),
            _ => Ok(Answer {
                status,
                headers,
                body,
            }),
        }
    }

    /// `Retry-After` counts on 429 and 503 only: those are the statuses that define it.
    fn retry_after(&self, status: StatusCode, headers: &HeaderMap) -> Option<Duration> {
        if !matches!(status.as_u16(), 429 | 503) {
            return None;
        }
        let value = headers.get(RETRY_AFTER)?.to_str().ok()?;
        parse_retry_after(value, self.clock.now())
    }
}

impl Answer {
    /// The answer if its status is 2xx; `Refused` with its status and body otherwise.
    pub fn success(self) -> Result<Self, HttpError> {
        if self.status.is_success() {
            Ok(self)
        } else {
            Err(HttpError::new(ErrorKind::Refused {
                status: self.status,
                body: self.body,
            }))
        }
    }

    /// A header's value, if present and printable.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)?.to_str().ok()
    }

    /// The body as JSON of type `T`; `MalformedBody` if it is not.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, HttpError> {
        serde_json::from_slice(&self.body).map_err(|err| {
            HttpError::new(ErrorKind::MalformedBody {
                reason: format!("a body that is not JSON ({err})"),
            })
        })
    }
}

impl fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpClient")
            .field("settings", &self.settings)
            .field("breaker", &self.breaker)
            .finish_non_exhaustive()
    }
}
