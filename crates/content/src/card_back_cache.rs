//! Card backs kept in-process (`lingo_kernel::near_cache`), so a session of words already seen
//! costs no MongoDB query: each back is read from the entries and the content once, then served
//! while the entries' lookup version of its language and the content version of the learner's
//! language are both what they were when it was read (and for at most `TTL`).
//!
//! Rendered audio is remembered too: an id once stored stays stored (ids are fixed by the text
//! and voice), and an id asked for is not asked about again for `RECHECK_PENDING`.

use crate::content_version::{ContentVersions, EntryVersions};
use lingo_kernel::LanguageCode;
use lingo_kernel::near_cache::{NearCache, Weigh};
use lingo_learning::study_session::CardBack;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// In-process backs at most (by their text).
pub const MAX_BYTES: usize = 16 * 1024 * 1024;
/// The longest a back is kept, whatever the versions say.
pub const TTL: Duration = Duration::from_secs(300);
/// How long a back stays "audio pending" without asking the audio store again.
pub const RECHECK_PENDING: Duration = Duration::from_secs(5);
/// Audio ids remembered at most; past it they are forgotten (and asked about again).
const MAX_AUDIO_IDS: usize = 100_000;

#[derive(Clone)]
struct Back(CardBack);

impl Weigh for Back {
    fn weight(&self) -> usize {
        let b = &self.0;
        let text = |s: &Option<String>| s.as_ref().map_or(0, String::len);
        128 + text(&b.ipa)
            + text(&b.audio_url)
            + text(&b.part_of_speech)
            + text(&b.definition)
            + text(&b.mnemonic)
            + b.translations.iter().map(String::len).sum::<usize>()
            + b.examples
                .iter()
                .map(|x| x.text.len() + text(&x.translation))
                .sum::<usize>()
    }
}

#[derive(Clone, Copy)]
enum Audio {
    Rendered,
    Requested(Instant),
}

pub struct BackCache {
    backs: NearCache<Back>,
    entries: Arc<dyn EntryVersions>,
    content: ContentVersions,
    audio: Mutex<HashMap<String, Audio>>,
}

/// The versions one session's backs are read under.
pub struct Versions {
    content: String,
    entries: HashMap<String, String>,
}

impl BackCache {
    pub fn new(entries: Arc<dyn EntryVersions>, content: ContentVersions) -> Self {
        Self {
            backs: NearCache::new(MAX_BYTES, TTL),
            entries,
            content,
            audio: Mutex::new(HashMap::new()),
        }
    }

    /// The current versions for a learner of `native` and words of `languages`; read before
    /// the stores, so a change made meanwhile leaves what is read under the old versions.
    pub async fn versions(&self, native: &LanguageCode, languages: &[&str]) -> Versions {
        let mut entries = HashMap::new();
        for &language in languages {
            if entries.contains_key(language) {
                continue;
            }
            let version = match LanguageCode::parse(language) {
                Ok(code) => self.entries.version(&code).await,
                Err(_) => String::new(),
            };
            entries.insert(language.to_owned(), version);
        }
        Versions {
            content: self.content.current(native).await,
            entries,
        }
    }

    fn version(versions: &Versions, language: &str) -> String {
        let entries = versions.entries.get(language).map_or("", String::as_str);
        format!("{entries}|{}", versions.content)
    }

    /// The back of content key `key` (a word of `language`), if read under these versions.
    pub fn get(&self, key: &str, language: &str, versions: &Versions) -> Option<CardBack> {
        self.backs
            .get(key, &Self::version(versions, language), Instant::now())
            .map(|b| b.0)
    }

    pub fn put(&self, key: &str, language: &str, versions: &Versions, back: &CardBack) {
        self.backs.put(
            key,
            &Self::version(versions, language),
            Back(back.clone()),
            Instant::now(),
        );
    }

    fn audio(&self) -> MutexGuard<'_, HashMap<String, Audio>> {
        self.audio.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// What is known of audio `id` without asking: `Some(true)` stored, `Some(false)` asked
    /// for less than `RECHECK_PENDING` ago, `None` ask the store.
    pub fn known_audio(&self, id: &str, now: Instant) -> Option<bool> {
        match self.audio().get(id)? {
            Audio::Rendered => Some(true),
            Audio::Requested(at) => {
                (now.saturating_duration_since(*at) < RECHECK_PENDING).then_some(false)
            }
        }
    }

    /// Whether audio `id` was asked for before (and not found stored since).
    pub fn audio_was_requested(&self, id: &str) -> bool {
        matches!(self.audio().get(id), Some(Audio::Requested(_)))
    }

    pub fn audio_stored(&self, id: &str) {
        self.remember(id, Audio::Rendered);
    }

    pub fn audio_requested(&self, id: &str, now: Instant) {
        self.remember(id, Audio::Requested(now));
    }

    fn remember(&self, id: &str, what: Audio) {
        let mut audio = self.audio();
        if audio.len() >= MAX_AUDIO_IDS {
            audio.clear();
        }
        audio.insert(id.to_owned(), what);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_trait::async_trait;
    use lingo_kernel::cache::{Cache, CacheError};

    struct Fixed(Mutex<String>);

    #[async_trait]
    impl EntryVersions for Fixed {
        async fn version(&self, _: &LanguageCode) -> String {
            self.0.lock().expect("lock").clone()
        }
    }

    #[derive(Default)]
    struct Memory(Mutex<HashMap<String, Vec<u8>>>);

    #[async_trait]
    impl Cache for Memory {
        async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, CacheError> {
            Ok(self.0.lock().expect("lock").get(key).cloned())
        }
        async fn set(&self, key: &str, value: &[u8], _: Duration) -> Result<(), CacheError> {
            self.0
                .lock()
                .expect("lock")
                .insert(key.to_owned(), value.to_vec());
            Ok(())
        }
        async fn delete(&self, key: &str) -> Result<(), CacheError> {
            self.0.lock().expect("lock").remove(key);
            Ok(())
        }
    }

    fn back(definition: &str) -> CardBack {
        CardBack {
            definition: Some(definition.to_owned()),
            ..CardBack::empty()
        }
    }

    #[tokio::test]
    async fn a_back_is_served_until_the_entries_or_the_content_change() {
        let entries = Arc::new(Fixed(Mutex::new("e1".into())));
        let content = ContentVersions::new(Arc::new(Memory::default()));
        let cache = BackCache::new(entries.clone(), content.clone());
        let fa = LanguageCode::parse("fa").expect("code");
        let ar = LanguageCode::parse("ar").expect("code");

        let before = cache.versions(&fa, &["en"]).await;
        assert_eq!(cache.get("w|fa|beginner", "en", &before), None);
        cache.put("w|fa|beginner", "en", &before, &back("a building"));
        let same = cache.versions(&fa, &["en", "en"]).await;
        assert_eq!(
            cache.get("w|fa|beginner", "en", &same),
            Some(back("a building"))
        );

        // New content for Arabic speakers leaves Persian speakers' backs alone …
        content.bump(&ar).await;
        let after_ar = cache.versions(&fa, &["en"]).await;
        assert!(cache.get("w|fa|beginner", "en", &after_ar).is_some());
        // … new content for them, or new entries, do not.
        content.bump(&fa).await;
        let after_fa = cache.versions(&fa, &["en"]).await;
        assert_eq!(cache.get("w|fa|beginner", "en", &after_fa), None);
        cache.put("w|fa|beginner", "en", &after_fa, &back("a home"));
        *entries.0.lock().expect("lock") = "e2".into();
        let reimported = cache.versions(&fa, &["en"]).await;
        assert_eq!(cache.get("w|fa|beginner", "en", &reimported), None);
    }

    #[test]
    fn stored_audio_is_remembered_and_pending_audio_is_asked_again_later() {
        let cache = BackCache::new(
            Arc::new(Fixed(Mutex::new(String::new()))),
            ContentVersions::new(Arc::new(Memory::default())),
        );
        let t0 = Instant::now();
        assert_eq!(cache.known_audio("a", t0), None);
        cache.audio_requested("a", t0);
        assert_eq!(
            cache.known_audio("a", t0 + Duration::from_secs(4)),
            Some(false)
        );
        assert_eq!(cache.known_audio("a", t0 + RECHECK_PENDING), None);
        assert!(cache.audio_was_requested("a"));
        assert!(!cache.audio_was_requested("b"));
        cache.audio_stored("a");
        assert!(!cache.audio_was_requested("a"));
        assert_eq!(cache.known_audio("a", t0 + TTL), Some(true));
    }
}
