//! Rate-limit tokens taken from the shared limiter in small batches (leases) and spent
//! in-process: a busy client costs one round trip per batch instead of one per request.
//!
//! The bound: a replica holds at most one batch of unspent tokens per key, and each token was
//! counted by the shared limiter when it was taken. So in any window a key gets at most its
//! limit plus `batch` requests per replica (the tokens taken before the window and spent in it),
//! never more. The batch is also at most a twentieth of the limit, so small limits (sign-in,
//! codes) are still counted one request at a time, exactly. A lease older than the limit's
//! window is dropped with its unspent tokens: that only ever makes the limit stricter.

use crate::Clock;
use crate::rate_limit::{RateDecision, RateGrant, RateLimit, RateLimitError, RateLimiter};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

/// A batch is at most this fraction of the limit (1/20): below 40 a minute, no leasing.
const MAX_SHARE: u32 = 20;
/// Keys with a lease at most; past it, spent and stale leases are forgotten.
const MAX_KEYS: usize = 10_000;

struct Lease {
    left: u32,
    taken_at: DateTime<Utc>,
    /// A batch is being taken for this key: meanwhile other requests ask the shared limiter one
    /// at a time, so the replica never holds more than one batch.
    refilling: bool,
}

/// What one request does with the key's lease.
#[derive(Debug, PartialEq, Eq)]
enum Step {
    /// A held token was spent.
    Spent,
    /// No token held: take a batch (this request is the one refilling).
    Refill,
    /// Another request is refilling: count this one alone.
    Single,
}

pub struct LeasedRateLimiter {
    shared: Arc<dyn RateLimiter>,
    clock: Arc<dyn Clock>,
    batch: u32,
    leases: Mutex<HashMap<String, Lease>>,
}

impl LeasedRateLimiter {
    /// Leases at most `batch` tokens per key from `shared` at once.
    pub fn new(shared: Arc<dyn RateLimiter>, clock: Arc<dyn Clock>, batch: u32) -> Self {
        Self {
            shared,
            clock,
            batch,
            leases: Mutex::new(HashMap::new()),
        }
    }

    fn batch_for(&self, limit: RateLimit) -> u32 {
        self.batch.min(limit.max / MAX_SHARE)
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, Lease>> {
        self.leases.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn step(&self, key: &str, limit: RateLimit, now: DateTime<Utc>) -> Step {
        let window = chrono::Duration::from_std(limit.window).unwrap_or(chrono::Duration::MAX);
        let mut leases = self.lock();
        if let Some(lease) = leases.get_mut(key) {
            if now.signed_duration_since(lease.taken_at) >= window {
                lease.left = 0;
            }
            if lease.left > 0 {
                lease.left -= 1;
                return Step::Spent;
            }
            if lease.refilling {
                return Step::Single;
            }
            lease.refilling = true;
            return Step::Refill;
        }
        if leases.len() >= MAX_KEYS {
            leases.retain(|_, l| {
                l.refilling || (l.left > 0 && now.signed_duration_since(l.taken_at) < window)
            });
            if leases.len() >= MAX_KEYS {
                leases.retain(|_, l| l.refilling);
            }
        }
        leases.insert(
            key.to_owned(),
            Lease {
                left: 0,
                taken_at: now,
                refilling: true,
            },
        );
        Step::Refill
    }

    /// Ends a refill: the batch granted (less the token of the request that took it), or none.
    fn settle(&self, key: &str, granted: u32, now: DateTime<Utc>) {
        if let Some(lease) = self.lock().get_mut(key) {
            lease.refilling = false;
            lease.left = granted.saturating_sub(1);
            lease.taken_at = now;
        }
    }
}

/// Ends the refill even when the request is cancelled while taking the batch.
struct Refilling<'a> {
    limiter: &'a LeasedRateLimiter,
    key: &'a str,
    now: DateTime<Utc>,
    granted: u32,
}

impl Drop for Refilling<'_> {
    fn drop(&mut self) {
        self.limiter.settle(self.key, self.granted, self.now);
    }
}

#[async_trait]
impl RateLimiter for LeasedRateLimiter {
    async fn hit(&self, key: &str, limit: RateLimit) -> Result<RateDecision, RateLimitError> {
        let batch = self.batch_for(limit);
        if batch < 2 {
            return self.shared.hit(key, limit).await;
        }
        let now = self.clock.now();
        match self.step(key, limit, now) {
            Step::Spent => return Ok(RateDecision::Allowed),
            Step::Single => return self.shared.hit(key, limit).await,
            Step::Refill => {}
        }
        let mut refilling = Refilling {
            limiter: self,
            key,
            now,
            granted: 0,
        };
        match self.shared.take(key, limit, batch).await? {
            RateGrant::Granted(n) => {
                refilling.granted = n.min(batch);
                Ok(RateDecision::Allowed)
            }
            RateGrant::Limited { retry_after } => Ok(RateDecision::Limited { retry_after }),
        }
    }

    async fn take(&self, key: &str, limit: RateLimit, n: u32) -> Result<RateGrant, RateLimitError> {
        self.shared.take(key, limit, n).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FixedClock;
    use std::time::Duration;

    /// A shared limiter that grants `budget` actions in all and counts the calls it gets.
    struct Budget {
        left: Mutex<u32>,
        hits: Mutex<u32>,
        takes: Mutex<Vec<u32>>,
    }

    const WAIT: Duration = Duration::from_secs(7);

    impl Budget {
        fn new(budget: u32) -> Arc<Self> {
            Arc::new(Self {
                left: Mutex::new(budget),
                hits: Mutex::new(0),
                takes: Mutex::new(Vec::new()),
            })
        }
        fn hits(&self) -> u32 {
            *self.hits.lock().expect("lock")
        }
        fn takes(&self) -> Vec<u32> {
            self.takes.lock().expect("lock").clone()
        }
    }

    #[async_trait]
    impl RateLimiter for Budget {
        async fn hit(&self, _: &str, _: RateLimit) -> Result<RateDecision, RateLimitError> {
            *self.hits.lock().expect("lock") += 1;
            let mut left = self.left.lock().expect("lock");
            if *left == 0 {
                return Ok(RateDecision::Limited { retry_after: WAIT });
            }
            *left -= 1;
            Ok(RateDecision::Allowed)
        }
        async fn take(&self, _: &str, _: RateLimit, n: u32) -> Result<RateGrant, RateLimitError> {
            self.takes.lock().expect("lock").push(n);
            let mut left = self.left.lock().expect("lock");
            if *left == 0 {
                return Ok(RateGrant::Limited { retry_after: WAIT });
            }
            let granted = n.min(*left);
            *left -= granted;
            Ok(RateGrant::Granted(granted))
        }
    }

    fn t0() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-12-03T10:00:00Z")
            .expect("a time")
            .with_timezone(&Utc)
    }

    fn leased(shared: &Arc<Budget>, clock: &Arc<FixedClock>, batch: u32) -> LeasedRateLimiter {
        LeasedRateLimiter::new(shared.clone(), clock.clone(), batch)
    }

    const PER_MINUTE_1000: RateLimit = RateLimit::per(1_000, Duration::from_secs(60));

    #[tokio::test]
    async fn a_busy_key_asks_the_shared_limiter_once_per_batch() {
        let shared = Budget::new(1_000);
        let clock = Arc::new(FixedClock::at(t0()));
        let limiter = leased(&shared, &clock, 10);
        for _ in 0..100 {
            assert_eq!(
                limiter.hit("k", PER_MINUTE_1000).await.expect("limiter"),
                RateDecision::Allowed
            );
        }
        assert_eq!(shared.takes(), vec![10; 10]);
        assert_eq!(shared.hits(), 0);
    }

    #[tokio::test]
    async fn the_limit_still_answers_limited_with_the_shared_wait_and_nothing_more_passes() {
        let shared = Budget::new(25);
        let clock = Arc::new(FixedClock::at(t0()));
        let limiter = leased(&shared, &clock, 10);
        let mut allowed = 0;
        for _ in 0..40 {
            match limiter.hit("k", PER_MINUTE_1000).await.expect("limiter") {
                RateDecision::Allowed => allowed += 1,
                RateDecision::Limited { retry_after } => assert_eq!(retry_after, WAIT),
            }
        }
        assert_eq!(allowed, 25);
        // 10 + 10 + 5 granted, then every request asks again (and is refused).
        assert_eq!(&shared.takes()[..4], &[10, 10, 10, 10]);
    }

    #[tokio::test]
    async fn small_limits_are_counted_one_request_at_a_time() {
        let shared = Budget::new(1_000);
        let clock = Arc::new(FixedClock::at(t0()));
        let limiter = leased(&shared, &clock, 10);
        let small = RateLimit::per(39, Duration::from_secs(60));
        for _ in 0..5 {
            limiter.hit("k", small).await.expect("limiter");
        }
        assert_eq!(shared.hits(), 5);
        assert!(shared.takes().is_empty());
        // At 40 a minute the batch is 2 (a twentieth of the limit), under the configured 10.
        let forty = RateLimit::per(40, Duration::from_secs(60));
        limiter.hit("other", forty).await.expect("limiter");
        assert_eq!(shared.takes(), vec![2]);
    }

    #[tokio::test]
    async fn keys_lease_apart_and_a_lease_older_than_the_window_is_dropped() {
        let shared = Budget::new(1_000);
        let clock = Arc::new(FixedClock::at(t0()));
        let limiter = leased(&shared, &clock, 10);
        limiter.hit("a", PER_MINUTE_1000).await.expect("limiter");
        limiter.hit("b", PER_MINUTE_1000).await.expect("limiter");
        limiter.hit("a", PER_MINUTE_1000).await.expect("limiter");
        assert_eq!(shared.takes().len(), 2);
        clock.advance(chrono::Duration::seconds(59));
        limiter.hit("a", PER_MINUTE_1000).await.expect("limiter");
        assert_eq!(shared.takes().len(), 2);
        clock.advance(chrono::Duration::seconds(1));
        limiter.hit("a", PER_MINUTE_1000).await.expect("limiter");
        assert_eq!(shared.takes().len(), 3);
    }

    #[test]
    fn while_one_request_refills_the_others_are_counted_alone() {
        let shared = Budget::new(1_000);
        let clock = Arc::new(FixedClock::at(t0()));
        let limiter = leased(&shared, &clock, 10);
        assert_eq!(limiter.step("k", PER_MINUTE_1000, t0()), Step::Refill);
        assert_eq!(limiter.step("k", PER_MINUTE_1000, t0()), Step::Single);
        // A refill that ended without a grant (refused, failed or cancelled) leaves nothing held.
        drop(Refilling {
            limiter: &limiter,
            key: "k",
            now: t0(),
            granted: 0,
        });
        assert_eq!(limiter.step("k", PER_MINUTE_1000, t0()), Step::Refill);
        limiter.settle("k", 3, t0());
        assert_eq!(limiter.step("k", PER_MINUTE_1000, t0()), Step::Spent);
        assert_eq!(limiter.step("k", PER_MINUTE_1000, t0()), Step::Spent);
        assert_eq!(limiter.step("k", PER_MINUTE_1000, t0()), Step::Refill);
    }
}
