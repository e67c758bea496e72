//! Readiness: can this process reach every store it needs right now?

use serde::Serialize;
use std::future::Future;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct StoreCheck {
    pub name: &'static str,
    pub ok: bool,
    pub latency_ms: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Runs `ping` with a deadline; a store that does not answer in time is reported down.
pub async fn check<F, E>(name: &'static str, timeout: Duration, ping: F) -> StoreCheck
where
    F: Future<Output = Result<(), E>>,
    E: std::fmt::Display,
{
    let started = Instant::now();
    let outcome = tokio::time::timeout(timeout, ping).await;
    let latency_ms = started.elapsed().as_millis() as u64;
    let error = match outcome {
        Ok(Ok(())) => None,
        Ok(Err(e)) => Some(e.to_string()),
        Err(_) => Some(format!("no answer within {} ms", timeout.as_millis())),
    };
    StoreCheck {
        name,
        ok: error.is_none(),
        latency_ms,
        error,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_store_that_does_not_answer_in_time_is_down() {
        let slow = async {
            tokio::time::sleep(Duration::from_secs(5)).await;
            Ok::<(), String>(())
        };
        let check = check("slow", Duration::from_millis(20), slow).await;
        assert!(!check.ok);
        assert!(check.error.expect("an error").contains("no answer"));
    }

    #[tokio::test]
    async fn errors_are_reported_with_their_message() {
        let check = check("pg", Duration::from_secs(1), async {
            Err::<(), _>("connection refused")
        })
        .await;
        assert_eq!(check.error.as_deref(), Some("connection refused"));
        let ok = check_ok().await;
        assert!(ok.ok);
    }

    async fn check_ok() -> StoreCheck {
        check("redis", Duration::from_secs(1), async {
            Ok::<(), String>(())
        })
        .await
    }
}

/// The readiness probe of a process: pings every store it uses.
#[derive(Clone)]
pub struct Readiness {
    stores: crate::Stores,
}

impl Readiness {
    pub fn new(stores: crate::Stores) -> Self {
        Self { stores }
    }

    /// Each store's answer within `timeout`.
    pub async fn check(&self, timeout: Duration) -> Vec<StoreCheck> {
        self.stores.readiness(timeout).await
    }
}

/// What `/metrics` reads of the stores at scrape time.
#[derive(Debug, Clone, PartialEq)]
pub struct StoreGauges {
    /// (name, open connections, idle connections) per pool.
    pub pools: Vec<(&'static str, (usize, usize))>,
    /// The queue's depth, when it answered in time.
    pub queue: Option<lingo_kernel::jobs::QueueStats>,
}

impl Readiness {
    /// Pool sizes now, and the queue depth if it answers within `timeout`.
    pub async fn gauges(&self, timeout: Duration) -> StoreGauges {
        use lingo_kernel::jobs::JobQueue;
        let queue = match tokio::time::timeout(timeout, self.stores.queue.stats()).await {
            Ok(Ok(stats)) => Some(stats),
            _ => None,
        };
        StoreGauges {
            pools: vec![
                ("postgres", self.stores.postgres.status()),
                ("redis_cache", self.stores.cache.pool_status()),
            ],
            queue,
        }
    }
}
