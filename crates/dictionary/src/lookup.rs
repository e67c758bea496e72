//! Looking a word up: the cache, then the stores, then the external providers in order.
//!
//! Writes go MongoDB first (raw answer, entries), PostgreSQL second (metadata): MongoDB holds the
//! content, PostgreSQL is derived from it. If a crash leaves entries without metadata, the next
//! lookup finds the entries and writes the missing rows (`repair`), so the stores cannot drift
//! for long. Concurrent misses for one word share one provider call through a lock every replica
//! sees; misses are cached briefly (negative caching) with their close matches.

use crate::entry::Entry;
use crate::import::{invalidate, word_upserts_from};
use crate::lemma::Lemma;
use crate::lemmatise::Lemmatiser;
use crate::normalise::fold_key;
use crate::ports::{
    DictionaryProvider, EntryStore, FrequencySource, ProviderError, StoreError, WordRepository,
};
use crate::speech::PronunciationService;
use crate::word::{SearchHit, WordLookup};
use lingo_kernel::LanguageCode;
use lingo_kernel::cache::Cache;
use lingo_kernel::near_cache::VersionPoll;
use lingo_kernel::pagination::PageSize;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The cache key of a lookup of `key` (a fold key) in `language`.
pub fn cache_key(language: &LanguageCode, key: &str) -> String {
    format!("dict:v1:{language}:{key}")
}

/// The key of the version of `language`'s lookups: changed by every invalidation (imports,
/// reconciliations, repairs), so in-process copies on every replica stop being served
/// (`lingo_kernel::near_cache`).
pub fn version_key(language: &LanguageCode) -> String {
    format!("dict:v1:version:{language}")
}

/// How long a version key lives: far longer than any in-process copy.
pub const VERSION_TTL: Duration = Duration::from_secs(30 * 86_400);

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LookupError {
    #[error("{0}")]
    Invalid(String),
    #[error("no dictionary knows this word")]
    NotFound { close_matches: Vec<String> },
    #[error("{0}")]
    Unavailable(String),
}

impl From<StoreError> for LookupError {
    fn from(e: StoreError) -> Self {
        Self::Unavailable(e.to_string())
    }
}

#[derive(Debug, Clone)]
pub struct LookupSettings {
    pub found_ttl: Duration,
    pub miss_ttl: Duration,
    /// How long one caller may hold a word's lock (covers the provider chain's timeouts).
    pub lock_ttl: Duration,
    /// How long a caller waits for another one's provider call before asking itself.
    pub wait: Duration,
    pub close_matches: u32,
    /// How often a replica asks for a language's lookup version (the longest an in-process
    /// copy outlives an invalidation made elsewhere).
    pub version_poll: Duration,
}

impl Default for LookupSettings {
    fn default() -> Self {
        Self {
            found_ttl: Duration::from_secs(24 * 3600),
            miss_ttl: Duration::from_secs(3600),
            lock_ttl: Duration::from_secs(30),
            wait: Duration::from_secs(10),
            close_matches: 5,
            version_poll: Duration::from_secs(1),
        }
    }
}

/// What the cache holds for a word: the lookup, or a remembered miss.
#[derive(Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum Cached {
    Found { lookup: Box<WordLookup> },
    Missing { close_matches: Vec<String> },
}

pub struct LookupDeps {
    pub words: Arc<dyn WordRepository>,
    pub entries: Arc<dyn EntryStore>,
    pub frequencies: Arc<dyn FrequencySource>,
    pub lemmatiser: Arc<Lemmatiser>,
    /// Asked in order; the first that knows the word wins.
    pub providers: Vec<Arc<dyn DictionaryProvider>>,
    pub cache: Arc<dyn Cache>,
    pub lock: Arc<dyn crate::ports::LookupLock>,
}

pub struct LookupService {
    deps: LookupDeps,
    versions: VersionPoll,
    settings: LookupSettings,
    pronunciation: Option<Arc<PronunciationService>>,
}

impl LookupService {
    pub fn new(deps: LookupDeps, settings: LookupSettings) -> Self {
        Self {
            deps,
            versions: VersionPoll::new(settings.version_poll),
            settings,
            pronunciation: None,
        }
    }

    /// Lookups say where the lemma is spoken (`audio_url`), rendering it when no source has it.
    pub fn with_pronunciation(mut self, pronunciation: Arc<PronunciationService>) -> Self {
        self.pronunciation = Some(pronunciation);
        self
    }

    /// The cache key `lookup(language, input)` uses: the same for every spelling that folds
    /// alike.
    pub fn key_of(&self, language: &LanguageCode, input: &str) -> Result<String, LookupError> {
        let query = Lemma::parse(input).map_err(|e| LookupError::Invalid(e.to_string()))?;
        Ok(cache_key(language, &fold_key(query.as_str())))
    }

    /// The current version of `language`'s lookups, asked of the shared cache at most once
    /// per `version_poll`; empty when none was ever set (or the cache is down).
    pub async fn version(&self, language: &LanguageCode) -> String {
        let scope = language.to_string();
        let now = Instant::now();
        if let Some(version) = self.versions.fresh(&scope, now) {
            return version;
        }
        let version = match self.deps.cache.get(&version_key(language)).await {
            Ok(bytes) => bytes
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default(),
            Err(e) => {
                tracing::warn!(error = %e, "dictionary version unavailable");
                // Unknown: a value no entry carries, so nothing in-process is served.
                return format!("unavailable-{}", uuid::Uuid::new_v4());
            }
        };
        self.versions.record(&scope, &version, now);
        version
    }

    /// The assembled word for `input`, which may be an inflected form.
    #[tracing::instrument(skip(self), fields(language = %language))]
    pub async fn lookup(
        &self,
        language: &LanguageCode,
        input: &str,
    ) -> Result<WordLookup, LookupError> {
        let mut lookup = self.lookup_cached(language, input).await?;
        self.add_audio(&mut lookup).await;
        Ok(lookup)
    }

    /// Source audio first; else rendered audio when it exists, else its render is asked for.
    /// The audio store being down only leaves the URL out.
    async fn add_audio(&self, lookup: &mut WordLookup) {
        lookup.audio_url = lookup
            .entries
            .iter()
            .flat_map(|e| &e.pronunciations)
            .find_map(|p| p.audio_url.clone());
        if lookup.audio_url.is_some() {
            return;
        }
        let Some(pronunciation) = &self.pronunciation else {
            return;
        };
        let Some(key) = pronunciation.key_for(&lookup.language, &lookup.lemma) else {
            return;
        };
        match pronunciation.rendered(std::slice::from_ref(&key)).await {
            Ok(stored) if stored.contains(&key.id()) => lookup.audio_url = Some(key.path()),
            Ok(_) => {
                lookup.audio_pending = pronunciation.request(std::slice::from_ref(&key)).await > 0;
            }
            Err(e) => tracing::warn!(error = %e, "audio store unavailable"),
        }
    }

    async fn lookup_cached(
        &self,
        language: &LanguageCode,
        input: &str,
    ) -> Result<WordLookup, LookupError> {
        // Kept as written for the providers (page titles are case- and letter-sensitive);
        // the stores are asked by fold key.
        let query = Lemma::parse(input).map_err(|e| LookupError::Invalid(e.to_string()))?;
        let key = fold_key(query.as_str());
        let cache_key = cache_key(language, &key);
        if let Some(hit) = self.cached(&cache_key).await {
            return hit;
        }
        let lock_key = format!("{cache_key}:lock");
        // Wait for another caller's provider call at most this many times, then ask ourselves.
        const WAITS: usize = 3;
        for _ in 0..WAITS {
            match self
                .deps
                .lock
                .try_acquire(&lock_key, self.settings.lock_ttl)
                .await
            {
                Ok(Some(token)) => {
                    let outcome = self
                        .resolve_and_cache(language, &query, &key, &cache_key)
                        .await;
                    if let Err(e) = self.deps.lock.release(&lock_key, &token).await {
                        tracing::warn!(error = %e, "lookup lock release failed; it expires by itself");
                    }
                    return outcome;
                }
                Ok(None) => {
                    self.deps
                        .lock
                        .wait_released(&lock_key, self.settings.wait)
                        .await?;
                    if let Some(hit) = self.cached(&cache_key).await {
                        return hit;
                    }
                }
                // No lock service: answer anyway, at the price of possibly duplicate calls.
                Err(e) => {
                    tracing::warn!(error = %e, "lookup lock unavailable");
                    break;
                }
            }
        }
        self.resolve_and_cache(language, &query, &key, &cache_key)
            .await
    }

    async fn cached(&self, cache_key: &str) -> Option<Result<WordLookup, LookupError>> {
        let bytes = match self.deps.cache.get(cache_key).await {
            Ok(bytes) => bytes?,
            Err(e) => {
                tracing::warn!(error = %e, "dictionary cache unavailable");
                return None;
            }
        };
        match serde_json::from_slice::<Cached>(&bytes) {
            Ok(Cached::Found { lookup }) => Some(Ok(*lookup)),
            Ok(Cached::Missing { close_matches }) => {
                Some(Err(LookupError::NotFound { close_matches }))
            }
            // An entry from an older release: ignore it; it is overwritten below.
            Err(_) => None,
        }
    }

    async fn resolve_and_cache(
        &self,
        language: &LanguageCode,
        query: &Lemma,
        key: &str,
        cache_key: &str,
    ) -> Result<WordLookup, LookupError> {
        let outcome = self.resolve(language, query, key).await;
        let (cached, ttl) = match &outcome {
            Ok(lookup) => (
                Cached::Found {
                    lookup: Box::new(lookup.clone()),
                },
                self.settings.found_ttl,
            ),
            Err(LookupError::NotFound { close_matches }) => (
                Cached::Missing {
                    close_matches: close_matches.clone(),
                },
                self.settings.miss_ttl,
            ),
            Err(_) => return outcome,
        };
        if let Ok(bytes) = serde_json::to_vec(&cached)
            && let Err(e) = self.deps.cache.set(cache_key, &bytes, ttl).await
        {
            tracing::warn!(error = %e, "dictionary cache write failed");
        }
        outcome
    }

    /// Stores first (the form itself, then its lemma), providers second.
    async fn resolve(
        &self,
        language: &LanguageCode,
        query: &Lemma,
        key: &str,
    ) -> Result<WordLookup, LookupError> {
        // The form itself first when it is a headword ("rose"), then what it inflects ("rise").
        let candidates = self.deps.lemmatiser.candidates(language, key).await?;
        let stored = self.deps.entries.entries(language, &candidates).await?;
        let with_entries: Vec<&String> = candidates
            .iter()
            .filter(|c| stored.iter().any(|e| &e.lemma_key() == *c))
            .collect();
        if let Some((first, others)) = with_entries.split_first() {
            let entries: Vec<Entry> = stored
                .iter()
                .filter(|e| &e.lemma_key() == *first)
                .cloned()
                .collect();
            let mut lookup = self.assemble(language, query, first, entries).await?;
            lookup.other_lemmas = others.iter().map(|o| (*o).clone()).collect();
            return Ok(lookup);
        }
        // Providers are asked for the best candidate and the form as typed, no more.
        let mut candidates: Vec<String> = candidates.into_iter().take(1).collect();
        if !candidates.iter().any(|c| c == key) {
            candidates.push(key.to_owned());
        }
        self.ask_providers(language, query, &candidates).await
    }

    async fn ask_providers(
        &self,
        language: &LanguageCode,
        query: &Lemma,
        candidates: &[String],
    ) -> Result<WordLookup, LookupError> {
        let mut unavailable = None;
        for provider in self.deps.providers.iter().filter(|p| p.serves(language)) {
            for candidate in candidates {
                let asked = if *candidate == fold_key(query.as_str()) {
                    query.as_str()
                } else {
                    candidate.as_str()
                };
                match provider.fetch(language, asked).await {
                    Ok(answer) if answer.entries.iter().any(Entry::has_content) => {
                        self.deps.entries.put_raw(&[answer.raw]).await?;
                        self.deps.entries.put_entries(&answer.entries).await?;
                        let key = fold_key(&answer.entries[0].lemma);
                        return self.assemble(language, query, &key, answer.entries).await;
                    }
                    Ok(_) | Err(ProviderError::NotFound) => {}
                    Err(e) => {
                        tracing::warn!(source = %provider.source(), error = %e, "dictionary provider failed");
                        unavailable = Some(e.to_string());
                        break;
                    }
                }
            }
        }
        if let Some(reason) = unavailable {
            // A miss we are not sure of is not cached: the provider may know the word.
            return Err(LookupError::Unavailable(reason));
        }
        let close_matches = self
            .deps
            .words
            .search(
                language,
                &fold_key(query.as_str()),
                self.settings.close_matches,
                0,
            )
            .await?
            .into_iter()
            .map(|hit| hit.lemma)
            .collect::<Vec<_>>();
        Err(LookupError::NotFound {
            close_matches: dedup(close_matches),
        })
    }

    /// Builds the answer, writing any metadata row the entries imply but PostgreSQL lacks.
    async fn assemble(
        &self,
        language: &LanguageCode,
        query: &Lemma,
        key: &str,
        entries: Vec<Entry>,
    ) -> Result<WordLookup, LookupError> {
        let keys = [key.to_owned()];
        let mut words = self.deps.words.find(language, &keys).await?;
        let present: HashSet<(String, String, String)> = words
            .iter()
            .flat_map(|w| {
                w.sources.iter().map(|s| {
                    (
                        w.lemma.clone(),
                        w.part_of_speech.as_str().to_owned(),
                        s.as_str().to_owned(),
                    )
                })
            })
            .collect();
        let missing: Vec<Entry> = entries
            .iter()
            .filter(|e| {
                !present.contains(&(
                    e.lemma.clone(),
                    e.part_of_speech.as_str().to_owned(),
                    e.provenance.source.as_str().to_owned(),
                ))
            })
            .cloned()
            .collect();
        if !missing.is_empty() {
            let upserts =
                word_upserts_from(self.deps.frequencies.as_ref(), language, &missing).await?;
            self.deps.words.upsert(&upserts).await?;
            invalidate(self.deps.cache.as_ref(), language, &missing).await;
            words = self.deps.words.find(language, &keys).await?;
        }
        let zipf = words.iter().find_map(|w| w.zipf);
        let lemma = entries
            .first()
            .map(|e| e.lemma.clone())
            .unwrap_or_else(|| key.to_owned());
        Ok(WordLookup {
            language: language.clone(),
            query: (fold_key(query.as_str()) != key).then(|| query.as_str().to_owned()),
            lemma,
            zipf,
            cefr: zipf.map(|z| z.estimated_cefr()),
            words,
            entries,
            other_lemmas: Vec::new(),
            audio_url: None,
            audio_pending: false,
        })
    }

    /// Prefix and typo-tolerant search, ranked by frequency.
    pub async fn search(
        &self,
        language: &LanguageCode,
        query: &str,
        page: PageSize,
        offset: u32,
    ) -> Result<Vec<SearchHit>, LookupError> {
        let key = fold_key(query);
        if key.is_empty() {
            return Err(LookupError::Invalid(
                "the search text must not be empty".into(),
            ));
        }
        if key.chars().count() > crate::lemma::MAX_LEMMA_CHARS {
            return Err(LookupError::Invalid("the search text is too long".into()));
        }
        Ok(self
            .deps
            .words
            .search(language, &key, page.get(), offset)
            .await?)
    }
}

fn dedup(items: Vec<String>) -> Vec<String> {
    let mut seen = HashSet::new();
    items
        .into_iter()
        .filter(|i| seen.insert(i.clone()))
        .collect()
}
