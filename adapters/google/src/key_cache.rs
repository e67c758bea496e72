//! Google's signing keys, fetched lazily and cached.
//!
//! Reads take a short synchronous lock; fetches are serialised by an async mutex so that
//! concurrent verifications share one request, and spaced by `min_refresh_interval` so that
//! unknown key ids (rotation or garbage) cannot make us hammer Google. When a refresh fails, the
//! keys we already hold stay usable: Google publishes a key well before signing with it and keeps
//! it published well after, so an outage should not sign everyone out.

use std::collections::HashMap;
use std::sync::{PoisonError, RwLock};
use std::time::Duration;

use jsonwebtoken::DecodingKey;
use lingo_http::{HttpClient, HttpError, HttpSettings, Url};
use lingo_kernel::SystemClock;
use lingo_users::ports::IdentityError;
use std::sync::Arc;
use tokio::sync::Mutex;
use tokio::time::Instant;

use crate::jwks;

pub(crate) struct KeyCache {
    http: HttpClient,
    url: String,
    min_refresh_interval: Duration,
    keys: RwLock<CachedKeys>,
    /// Held for the whole of a fetch; holds the time and failure of the last attempt.
    refresh: Mutex<LastAttempt>,
}

#[derive(Default)]
struct CachedKeys {
    by_kid: HashMap<String, DecodingKey>,
    fresh_until: Option<Instant>,
}

#[derive(Default)]
struct LastAttempt {
    at: Option<Instant>,
    error: Option<String>,
}

enum Lookup {
    Fresh(DecodingKey),
    /// Either stale or not in the set; a refetch may help.
    Refetch(Option<DecodingKey>),
}

impl KeyCache {
    /// `http` makes one attempt per fetch: the refresh interval, not a retry loop, decides when
    /// Google is asked again.
    pub(crate) fn new(http: HttpClient, url: String, min_refresh_interval: Duration) -> Self {
        Self {
            http,
            url,
            min_refresh_interval,
            keys: RwLock::default(),
            refresh: Mutex::default(),
        }
    }

    /// The key Google signs `kid` tokens with; `Invalid` if Google does not publish it,
    /// `Unavailable` if we cannot tell.
    pub(crate) async fn key(&self, kid: &str) -> Result<DecodingKey, IdentityError> {
        if let Lookup::Fresh(key) = self.lookup(kid) {
            return Ok(key);
        }
        let mut last = self.refresh.lock().await;
        // Another verification may have fetched while we waited for the lock.
        let held = match self.lookup(kid) {
            Lookup::Fresh(key) => return Ok(key),
            Lookup::Refetch(held) => held,
        };
        let may_fetch = last
            .at
            .is_none_or(|at| at.elapsed() >= self.min_refresh_interval);
        if may_fetch {
            last.at = Some(Instant::now());
            last.error = match self.fetch().await {
                Ok(()) => None,
                Err(reason) => {
                    tracing::warn!(url = %self.url, %reason, "could not refresh Google's signing keys");
                    Some(reason)
                }
            };
            if let Lookup::Fresh(key) | Lookup::Refetch(Some(key)) = self.lookup(kid) {
                return Ok(key);
            }
        } else if let Some(key) = held {
            return Ok(key);
        }
        // Without a working fetch we cannot tell a rotated key from a made-up one.
        match &last.error {
            Some(reason) => Err(IdentityError::Unavailable(format!(
                "Google's signing keys could not be fetched: {reason}"
            ))),
            None => Err(IdentityError::Invalid(format!(
                "the token is signed with key id {kid:?}, which Google does not publish"
            ))),
        }
    }

    fn lookup(&self, kid: &str) -> Lookup {
        let keys = self.keys.read().unwrap_or_else(PoisonError::into_inner);
        let key = keys.by_kid.get(kid).cloned();
        let fresh = keys.fresh_until.is_some_and(|until| Instant::now() < until);
        match key {
            Some(key) if fresh => Lookup::Fresh(key),
            key => Lookup::Refetch(key),
        }
    }

    #[tracing::instrument(skip_all, fields(url = %self.url))]
    async fn fetch(&self) -> Result<(), String> {
        let url = Url::parse(&self.url).map_err(|err| format!("the request failed: {err}"))?;
        let answer = self
            .http
            .send(self.http.get(url))
            .await
            .and_then(|answer| answer.success())
            .map_err(|err| failure(&err))?;
        let max_age = jwks::max_age(answer.header("cache-control"));
        let body = answer.body;
        let by_kid = jwks::parse_key_set(&body).map_err(|e| e.to_string())?;
        tracing::info!(
            keys = by_kid.len(),
            max_age_s = max_age.as_secs(),
            "fetched Google's signing keys"
        );
        let mut keys = self.keys.write().unwrap_or_else(PoisonError::into_inner);
        *keys = CachedKeys {
            by_kid,
            fresh_until: Some(Instant::now() + max_age),
        };
        Ok(())
    }
}

/// Google's key set is a few kilobytes; a body much larger is not it.
const MAX_KEY_SET_BYTES: usize = 1024 * 1024;

/// One attempt per fetch within `timeout`, redirects followed as `reqwest` does by default.
#[allow(clippy::expect_used)]
pub(crate) fn jwks_client(timeout: Duration) -> HttpClient {
    let timeout = timeout.max(Duration::from_millis(1));
    let settings = HttpSettings {
        timeout,
        connect_timeout: timeout,
        max_attempts: 1,
        max_body_bytes: MAX_KEY_SET_BYTES,
        max_redirects: 10,
        ..HttpSettings::default()
    };
    HttpClient::new(settings, Arc::new(SystemClock)).expect("the HTTP client can be built")
}

/// A status Google answered, or why it did not answer.
fn failure(err: &HttpError) -> String {
    match err.status() {
        Some(status) => format!("the JWKS endpoint answered {status}"),
        None => format!("the request failed: {}", err.report()),
    }
}
