//! Idempotent requests: the first outcome of a non-idempotent request is kept under the caller's
//! key, so that a retry gets it again instead of acting twice. A retry with the same key but
//! another request is refused, and so is one that arrives while the first is still running.
//! What an outcome is (an HTTP response, say) is the caller's business: the service keeps bytes.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
#[error("idempotency store unavailable: {0}")]
pub struct IdempotencyError(pub String);

/// Where claims and outcomes are kept.
#[async_trait]
pub trait IdempotencyStore: Send + Sync {
    /// Stores `pending` under `key` for `ttl` if the key holds nothing, and returns `None`: the
    /// caller now owns the key. Otherwise stores nothing and returns what the key holds.
    async fn claim(
        &self,
        key: &str,
        pending: &[u8],
        ttl: Duration,
    ) -> Result<Option<Vec<u8>>, IdempotencyError>;

    /// Replaces what the key holds by `outcome`, kept for `ttl`.
    async fn complete(
        &self,
        key: &str,
        outcome: &[u8],
        ttl: Duration,
    ) -> Result<(), IdempotencyError>;

    /// Gives the key up.
    async fn release(&self, key: &str) -> Result<(), IdempotencyError>;
}

#[derive(Serialize, Deserialize)]
struct Record {
    fingerprint: String,
    /// `None` while the first request runs.
    outcome: Option<Vec<u8>>,
}

/// What to do with a request that carries a key.
#[derive(Debug, PartialEq, Eq)]
pub enum Begin {
    /// The first of its key: serve it, then `finish` or `abandon` the ticket.
    Proceed(Ticket),
    /// A retry of a request already served: answer this outcome again.
    Replay(Vec<u8>),
    /// The first request with this key is still being served.
    InFlight,
    /// The key was used for another request.
    Mismatch,
}

/// The claim of a key by the request being served.
#[derive(Debug, PartialEq, Eq)]
pub struct Ticket {
    key: String,
    fingerprint: String,
}

#[derive(Clone)]
pub struct IdempotencyService {
    store: Arc<dyn IdempotencyStore>,
    /// How long an outcome is replayed.
    retention: Duration,
}

impl IdempotencyService {
    pub fn new(store: Arc<dyn IdempotencyStore>, retention: Duration) -> Self {
        Self { store, retention }
    }

    /// `scope` is the caller (keys of different callers never meet), `fingerprint` what makes
    /// two requests the same one; `running` bounds how long a claim blocks retries if its
    /// request never finishes.
    pub async fn begin(
        &self,
        scope: &str,
        key: &str,
        fingerprint: &str,
        running: Duration,
    ) -> Result<Begin, IdempotencyError> {
        let store_key = format!("{scope}:{key}");
        let pending = serde_json::to_vec(&Record {
            fingerprint: fingerprint.to_owned(),
            outcome: None,
        })
        .map_err(|e| IdempotencyError(e.to_string()))?;
        let Some(held) = self.store.claim(&store_key, &pending, running).await? else {
            return Ok(Begin::Proceed(Ticket {
                key: store_key,
                fingerprint: fingerprint.to_owned(),
            }));
        };
        let record: Record =
            serde_json::from_slice(&held).map_err(|e| IdempotencyError(e.to_string()))?;
        Ok(match record {
            Record { fingerprint: f, .. } if f != fingerprint => Begin::Mismatch,
            Record {
                outcome: Some(outcome),
                ..
            } => Begin::Replay(outcome),
            Record { outcome: None, .. } => Begin::InFlight,
        })
    }

    /// Keeps the outcome for retries.
    pub async fn finish(&self, ticket: Ticket, outcome: Vec<u8>) -> Result<(), IdempotencyError> {
        let record = serde_json::to_vec(&Record {
            fingerprint: ticket.fingerprint,
            outcome: Some(outcome),
        })
        .map_err(|e| IdempotencyError(e.to_string()))?;
        self.store
            .complete(&ticket.key, &record, self.retention)
            .await
    }

    /// Frees the key: a retry will be served afresh.
    pub async fn abandon(&self, ticket: Ticket) -> Result<(), IdempotencyError> {
        self.store.release(&ticket.key).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;
    use std::sync::Mutex;

    #[derive(Default)]
    struct MemoryStore(Mutex<HashMap<String, Vec<u8>>>);

    #[async_trait]
    impl IdempotencyStore for MemoryStore {
        async fn claim(
            &self,
            key: &str,
            pending: &[u8],
            _: Duration,
        ) -> Result<Option<Vec<u8>>, IdempotencyError> {
            let mut map = self.0.lock().expect("lock");
            if let Some(held) = map.get(key) {
                return Ok(Some(held.clone()));
            }
            map.insert(key.to_owned(), pending.to_vec());
            Ok(None)
        }
        async fn complete(&self, key: &str, o: &[u8], _: Duration) -> Result<(), IdempotencyError> {
            self.0
                .lock()
                .expect("lock")
                .insert(key.to_owned(), o.to_vec());
            Ok(())
        }
        async fn release(&self, key: &str) -> Result<(), IdempotencyError> {
            self.0.lock().expect("lock").remove(key);
            Ok(())
        }
    }

    fn service() -> IdempotencyService {
        IdempotencyService::new(Arc::new(MemoryStore::default()), Duration::from_secs(60))
    }

    const RUNNING: Duration = Duration::from_secs(30);

    #[tokio::test]
    async fn the_first_request_proceeds_and_its_retries_replay_it() {
        let service = service();
        let Begin::Proceed(ticket) = service.begin("u1", "k", "f", RUNNING).await.expect("ok")
        else {
            panic!("the first request proceeds");
        };
        assert_eq!(
            service.begin("u1", "k", "f", RUNNING).await.expect("ok"),
            Begin::InFlight
        );
        service.finish(ticket, b"201".to_vec()).await.expect("ok");
        assert_eq!(
            service.begin("u1", "k", "f", RUNNING).await.expect("ok"),
            Begin::Replay(b"201".to_vec())
        );
        assert_eq!(
            service.begin("u1", "k", "g", RUNNING).await.expect("ok"),
            Begin::Mismatch
        );
        assert!(matches!(
            service.begin("u2", "k", "g", RUNNING).await.expect("ok"),
            Begin::Proceed(_)
        ));
    }

    #[tokio::test]
    async fn an_abandoned_key_is_served_afresh() {
        let service = service();
        let Begin::Proceed(ticket) = service.begin("u", "k", "f", RUNNING).await.expect("ok")
        else {
            panic!("proceeds");
        };
        service.abandon(ticket).await.expect("ok");
        assert!(matches!(
            service.begin("u", "k", "f", RUNNING).await.expect("ok"),
            Begin::Proceed(_)
        ));
    }
}
