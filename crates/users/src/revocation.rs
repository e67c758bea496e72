//! Access-token revocation within seconds: each access token carries its account's token
//! generation, checked per request against the account's current one through a small
//! in-process cache, so the hot path (a review) rarely pays a database round trip.
//!
//! Another node learns of a change when its cached entry expires (`ttl`, a few seconds); the
//! node that made the change records it at once.

use crate::ports::{TokenGenerations, Unavailable};
use chrono::{DateTime, Utc};
use lingo_kernel::{Clock, UserId};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Debug, Clone, Copy)]
pub struct RevocationSettings {
    /// How long a looked-up generation is trusted: the longest a revoked token still works on
    /// another node.
    pub ttl: Duration,
    /// Accounts cached at most (bounded memory).
    pub capacity: usize,
}

impl Default for RevocationSettings {
    fn default() -> Self {
        Self {
            ttl: Duration::from_secs(5),
            capacity: 100_000,
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    /// `None`: the account does not exist.
    generation: Option<u64>,
    fetched_at: DateTime<Utc>,
}

/// The current token generation of accounts, cached for `ttl`.
pub struct RevocationCache {
    store: Arc<dyn TokenGenerations>,
    clock: Arc<dyn Clock>,
    settings: RevocationSettings,
    entries: Mutex<HashMap<UserId, Entry>>,
    /// Counts local changes: a lookup that started before a change must not cache its
    /// (possibly older) answer over the change.
    changes: AtomicU64,
}

impl RevocationCache {
    pub fn new(
        store: Arc<dyn TokenGenerations>,
        clock: Arc<dyn Clock>,
        settings: RevocationSettings,
    ) -> Self {
        Self {
            store,
            clock,
            settings,
            entries: Mutex::new(HashMap::new()),
            changes: AtomicU64::new(0),
        }
    }

    fn fresh(&self, entry: &Entry, now: DateTime<Utc>) -> bool {
        let age = now.signed_duration_since(entry.fetched_at);
        age >= chrono::Duration::zero() && age.to_std().is_ok_and(|age| age < self.settings.ttl)
    }

    fn cached(&self, user: UserId, now: DateTime<Utc>) -> Option<Entry> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.get(&user).filter(|e| self.fresh(e, now)).copied()
    }

    fn put(&self, user: UserId, generation: Option<u64>, now: DateTime<Utc>) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= self.settings.capacity && !entries.contains_key(&user) {
            entries.retain(|_, e| self.fresh(e, now));
            if entries.len() >= self.settings.capacity {
                // Still full of fresh entries: drop one; it is looked up again when needed.
                if let Some(victim) = entries.keys().next().copied() {
                    entries.remove(&victim);
                }
            }
        }
        entries.insert(
            user,
            Entry {
                generation,
                fetched_at: now,
            },
        );
    }

    /// The account's current generation (`None`: no such account), from the cache when fresh.
    pub async fn current(&self, user: UserId) -> Result<Option<u64>, Unavailable> {
        let now = self.clock.now();
        if let Some(entry) = self.cached(user, now) {
            return Ok(entry.generation);
        }
        let before = self.changes.load(Ordering::Acquire);
        let generation = self.store.current(user).await?;
        if self.changes.load(Ordering::Acquire) == before {
            self.put(user, generation, now);
        }
        Ok(generation)
    }

    /// Whether a token of `generation` still stands for `user`.
    pub async fn is_current(&self, user: UserId, generation: u64) -> Result<bool, Unavailable> {
        Ok(self.current(user).await? == Some(generation))
    }

    /// Revokes every access token of `user` issued so far.
    pub async fn bump(&self, user: UserId) -> Result<Option<u64>, Unavailable> {
        self.changes.fetch_add(1, Ordering::AcqRel);
        let generation = self.store.bump(user).await?;
        self.record(user, generation);
        Ok(generation)
    }

    /// Tells this node of a change made elsewhere in this process (an account deleted:
    /// `None`, or a generation bumped by an administrative change).
    pub fn record(&self, user: UserId, generation: Option<u64>) {
        self.changes.fetch_add(1, Ordering::AcqRel);
        self.put(user, generation, self.clock.now());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_trait::async_trait;
    use lingo_kernel::clock::FixedClock;
    use std::sync::atomic::AtomicUsize;

    #[derive(Default)]
    struct Store {
        generations: Mutex<HashMap<UserId, u64>>,
        lookups: AtomicUsize,
    }

    #[async_trait]
    impl TokenGenerations for Store {
        async fn current(&self, user: UserId) -> Result<Option<u64>, Unavailable> {
            self.lookups.fetch_add(1, Ordering::SeqCst);
            Ok(self.generations.lock().expect("lock").get(&user).copied())
        }
        async fn bump(&self, user: UserId) -> Result<Option<u64>, Unavailable> {
            let mut g = self.generations.lock().expect("lock");
            Ok(g.get_mut(&user).map(|v| {
                *v += 1;
                *v
            }))
        }
    }

    fn setup(capacity: usize) -> (Arc<Store>, Arc<FixedClock>, RevocationCache) {
        let store = Arc::new(Store::default());
        let clock = Arc::new(FixedClock::at(Utc::now()));
        let cache = RevocationCache::new(
            store.clone(),
            clock.clone(),
            RevocationSettings {
                ttl: Duration::from_secs(5),
                capacity,
            },
        );
        (store, clock, cache)
    }

    #[tokio::test]
    async fn a_generation_is_looked_up_once_per_ttl() {
        let (store, clock, cache) = setup(10);
        let user = UserId::new();
        store.generations.lock().expect("lock").insert(user, 0);
        assert!(cache.is_current(user, 0).await.expect("looked up"));
        assert!(cache.is_current(user, 0).await.expect("looked up"));
        assert_eq!(store.lookups.load(Ordering::SeqCst), 1);
        clock.advance(chrono::Duration::seconds(6));
        assert!(cache.is_current(user, 0).await.expect("looked up"));
        assert_eq!(store.lookups.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_change_made_elsewhere_is_seen_once_the_entry_expires() {
        let (store, clock, cache) = setup(10);
        let user = UserId::new();
        store.generations.lock().expect("lock").insert(user, 0);
        assert!(cache.is_current(user, 0).await.expect("looked up"));
        store.generations.lock().expect("lock").insert(user, 1);
        assert!(
            cache.is_current(user, 0).await.expect("looked up"),
            "cached for the ttl"
        );
        clock.advance(chrono::Duration::seconds(5));
        assert!(!cache.is_current(user, 0).await.expect("looked up"));
        assert!(cache.is_current(user, 1).await.expect("looked up"));
    }

    #[tokio::test]
    async fn a_local_bump_or_deletion_takes_effect_at_once() {
        let (store, _clock, cache) = setup(10);
        let user = UserId::new();
        store.generations.lock().expect("lock").insert(user, 3);
        assert!(cache.is_current(user, 3).await.expect("looked up"));
        assert_eq!(cache.bump(user).await.expect("looked up"), Some(4));
        assert!(!cache.is_current(user, 3).await.expect("looked up"));
        cache.record(user, None);
        assert!(!cache.is_current(user, 4).await.expect("looked up"));
        let stranger = UserId::new();
        assert!(!cache.is_current(stranger, 0).await.expect("looked up"));
    }

    #[tokio::test]
    async fn the_cache_never_holds_more_than_its_capacity() {
        let (store, _clock, cache) = setup(3);
        for _ in 0..10 {
            let user = UserId::new();
            store.generations.lock().expect("lock").insert(user, 0);
            assert!(cache.is_current(user, 0).await.expect("looked up"));
        }
        assert!(cache.entries.lock().expect("lock").len() <= 3);
    }
}
