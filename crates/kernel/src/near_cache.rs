//! A bounded in-process cache in front of a shared one (Redis): a hit costs no round trip.
//!
//! Every entry carries the *version* of its data it was read under (a value the shared store
//! keeps and changes whenever the data changes, e.g. on an import) and is served only while
//! that version is current, and for at most `ttl`. Each replica learns the current version
//! from the shared store (at most once per poll interval, see `VersionPoll`), so a change is
//! seen by every replica within one poll, without a message bus.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How big an entry is, for the byte bound.
pub trait Weigh {
    fn weight(&self) -> usize;
}

struct Slot<V> {
    value: V,
    version: String,
    stored_at: Instant,
    weight: usize,
}

struct Slots<V> {
    map: HashMap<String, Slot<V>>,
    bytes: usize,
}

pub struct NearCache<V> {
    slots: Mutex<Slots<V>>,
    max_bytes: usize,
    ttl: Duration,
}

impl<V: Clone + Weigh> NearCache<V> {
    /// Holds at most `max_bytes` (by `Weigh`) of entries, each for at most `ttl`.
    pub fn new(max_bytes: usize, ttl: Duration) -> Self {
        Self {
            slots: Mutex::new(Slots {
                map: HashMap::new(),
                bytes: 0,
            }),
            max_bytes,
            ttl,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Slots<V>> {
        self.slots.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The entry under `key`, if it was stored under `version` less than `ttl` ago.
    pub fn get(&self, key: &str, version: &str, now: Instant) -> Option<V> {
        let slots = self.lock();
        let slot = slots.map.get(key)?;
        (slot.version == version && now.saturating_duration_since(slot.stored_at) < self.ttl)
            .then(|| slot.value.clone())
    }

    /// Stores `value`; an entry larger than the whole bound is not kept. When full, expired
    /// and other-version entries go first, then the oldest.
    pub fn put(&self, key: &str, version: &str, value: V, now: Instant) {
        let weight = value.weight() + key.len();
        if weight > self.max_bytes {
            return;
        }
        let mut slots = self.lock();
        if let Some(old) = slots.map.remove(key) {
            slots.bytes -= old.weight;
        }
        if slots.bytes + weight > self.max_bytes {
            let ttl = self.ttl;
            let Slots { map, bytes } = &mut *slots;
            map.retain(|_, s| {
                let keep = s.version == version && now.saturating_duration_since(s.stored_at) < ttl;
                if !keep {
                    *bytes -= s.weight;
                }
                keep
            });
        }
        while slots.bytes + weight > self.max_bytes {
            let Some(oldest) = slots
                .map
                .iter()
                .min_by_key(|(_, s)| s.stored_at)
                .map(|(k, _)| k.clone())
            else {
                break;
            };
            if let Some(old) = slots.map.remove(&oldest) {
                slots.bytes -= old.weight;
            }
        }
        slots.bytes += weight;
        slots.map.insert(
            key.to_owned(),
            Slot {
                value,
                version: version.to_owned(),
                stored_at: now,
                weight,
            },
        );
    }

    /// Bytes held, for metrics and tests.
    pub fn bytes(&self) -> usize {
        self.lock().bytes
    }
}

/// The current version of some shared data, asked of the shared store at most once per
/// `interval` (the longest another replica's change goes unseen).
pub struct VersionPoll {
    interval: Duration,
    known: Mutex<HashMap<String, (String, Instant)>>,
}

impl VersionPoll {
    pub fn new(interval: Duration) -> Self {
        Self {
            interval,
            known: Mutex::new(HashMap::new()),
        }
    }

    /// The version of `scope` last read, if read less than `interval` ago.
    pub fn fresh(&self, scope: &str, now: Instant) -> Option<String> {
        let known = self.known.lock().unwrap_or_else(|e| e.into_inner());
        known
            .get(scope)
            .filter(|(_, at)| now.saturating_duration_since(*at) < self.interval)
            .map(|(v, _)| v.clone())
    }

    /// Records the version just read (or just written) for `scope`.
    pub fn record(&self, scope: &str, version: &str, now: Instant) {
        let mut known = self.known.lock().unwrap_or_else(|e| e.into_inner());
        known.insert(scope.to_owned(), (version.to_owned(), now));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Debug, PartialEq)]
    struct Body(usize);

    impl Weigh for Body {
        fn weight(&self) -> usize {
            self.0
        }
    }

    #[test]
    fn an_entry_is_served_only_under_its_version_and_within_its_ttl() {
        let cache = NearCache::new(1_000, Duration::from_secs(10));
        let t0 = Instant::now();
        cache.put("k", "v1", Body(10), t0);
        assert_eq!(
            cache.get("k", "v1", t0 + Duration::from_secs(9)),
            Some(Body(10))
        );
        assert_eq!(cache.get("k", "v2", t0), None);
        assert_eq!(cache.get("k", "v1", t0 + Duration::from_secs(10)), None);
        assert_eq!(cache.get("other", "v1", t0), None);
    }

    #[test]
    fn the_byte_bound_evicts_stale_then_oldest_entries() {
        let cache = NearCache::new(100, Duration::from_secs(60));
        let t0 = Instant::now();
        cache.put("a", "v1", Body(39), t0);
        cache.put("b", "v2", Body(39), t0 + Duration::from_secs(1));
        // Full: "a" (another version) goes first.
        cache.put("c", "v2", Body(39), t0 + Duration::from_secs(2));
        assert_eq!(cache.get("a", "v1", t0), None);
        assert!(cache.get("b", "v2", t0).is_some());
        // Full again, all current: the oldest ("b") goes.
        cache.put("d", "v2", Body(39), t0 + Duration::from_secs(3));
        assert_eq!(cache.get("b", "v2", t0), None);
        assert!(cache.get("c", "v2", t0).is_some() && cache.get("d", "v2", t0).is_some());
        assert!(cache.bytes() <= 100);
        // Bigger than the bound: not kept, nothing evicted for it.
        cache.put("huge", "v2", Body(500), t0);
        assert_eq!(cache.get("huge", "v2", t0), None);
        assert!(cache.get("d", "v2", t0).is_some());
    }

    #[test]
    fn a_polled_version_is_trusted_for_the_interval_only() {
        let poll = VersionPoll::new(Duration::from_secs(1));
        let t0 = Instant::now();
        assert_eq!(poll.fresh("en", t0), None);
        poll.record("en", "7", t0);
        assert_eq!(
            poll.fresh("en", t0 + Duration::from_millis(999)).as_deref(),
            Some("7")
        );
        assert_eq!(poll.fresh("en", t0 + Duration::from_secs(1)), None);
        assert_eq!(poll.fresh("fa", t0), None);
    }
}
