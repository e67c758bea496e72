use async_trait::async_trait;
use chrono::{TimeZone, Utc};
use lingo_dictionary::entry::{Entry, Provenance, RawRecord, Sense, SourceId};
use lingo_dictionary::lemmatise::Lemmatiser;
use lingo_dictionary::lookup::{LookupDeps, LookupService, LookupSettings};
use lingo_dictionary::ports::*;
use lingo_dictionary::{PartOfSpeech, Zipf};
use lingo_kernel::cache::{Cache, CacheError};
use lingo_kernel::{LanguageCode, UserId};
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub use lingo_dictionary::testing::{MemEntries, MemWords};

pub fn en() -> LanguageCode {
    LanguageCode::english()
}

pub fn entry(source: &str, lemma: &str, pos: &str, gloss: &str) -> Entry {
    Entry {
        language: en(),
        lemma: lemma.to_owned(),
        headword: lemma.to_owned(),
        part_of_speech: PartOfSpeech::parse(pos),
        discriminator: pos.to_owned(),
        senses: vec![Sense {
            gloss: gloss.to_owned(),
            examples: vec![],
            tags: vec![],
            synonyms: vec![],
        }],
        pronunciations: vec![],
        translations: vec![],
        forms: vec![],
        provenance: Provenance {
            source: SourceId::parse(source).expect("valid"),
            licence: "test".into(),
            retrieved_at: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
            origin: None,
        },
    }
}

#[derive(Default)]
pub struct MemFrequencies(pub Mutex<HashMap<String, Zipf>>);

impl MemFrequencies {
    pub fn with(words: &[(&str, f64)]) -> Self {
        Self(Mutex::new(
            words
                .iter()
                .map(|(w, z)| (w.to_string(), Zipf::new(*z).unwrap()))
                .collect(),
        ))
    }
}

#[async_trait]
impl FrequencySource for MemFrequencies {
    async fn zipf(
        &self,
        _l: &LanguageCode,
        keys: &[String],
    ) -> Result<HashMap<String, Zipf>, StoreError> {
        let all = self.0.lock().unwrap();
        Ok(keys
            .iter()
            .filter_map(|k| all.get(k).map(|z| (k.clone(), *z)))
            .collect())
    }
    async fn load(&self, _l: &LanguageCode, rows: &[(String, Zipf)]) -> Result<u64, StoreError> {
        self.0.lock().unwrap().extend(rows.iter().cloned());
        Ok(rows.len() as u64)
    }
}

#[derive(Default)]
pub struct MemLemmaTable(pub Mutex<HashMap<String, Vec<String>>>);

#[async_trait]
impl LemmaTable for MemLemmaTable {
    async fn lemmas(
        &self,
        _l: &LanguageCode,
        forms: &[String],
    ) -> Result<HashMap<String, Vec<String>>, StoreError> {
        let all = self.0.lock().unwrap();
        Ok(forms
            .iter()
            .filter_map(|f| all.get(f).map(|l| (f.clone(), l.clone())))
            .collect())
    }
    async fn load(&self, _l: &LanguageCode, rows: &[(String, String)]) -> Result<u64, StoreError> {
        let mut all = self.0.lock().unwrap();
        for (f, l) in rows {
            all.entry(f.clone()).or_default().push(l.clone());
        }
        Ok(rows.len() as u64)
    }
}

#[derive(Default)]
pub struct MemVocabulary(pub Mutex<HashSet<String>>);

#[async_trait]
impl LearnerVocabulary for MemVocabulary {
    async fn known_by(
        &self,
        _u: UserId,
        _l: &LanguageCode,
        keys: &[String],
    ) -> Result<HashSet<String>, StoreError> {
        let all = self.0.lock().unwrap();
        Ok(keys.iter().filter(|k| all.contains(*k)).cloned().collect())
    }
}

#[derive(Default)]
pub struct MemCache(pub Mutex<HashMap<String, Vec<u8>>>);

#[async_trait]
impl Cache for MemCache {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, CacheError> {
        Ok(self.0.lock().unwrap().get(key).cloned())
    }
    async fn set(&self, key: &str, value: &[u8], _ttl: Duration) -> Result<(), CacheError> {
        self.0
            .lock()
            .unwrap()
            .insert(key.to_owned(), value.to_vec());
        Ok(())
    }
    async fn delete(&self, key: &str) -> Result<(), CacheError> {
        self.0.lock().unwrap().remove(key);
        Ok(())
    }
}

#[derive(Default)]
pub struct MemLock(Mutex<HashMap<String, String>>);

#[async_trait]
impl LookupLock for MemLock {
    async fn try_acquire(&self, key: &str, _ttl: Duration) -> Result<Option<String>, StoreError> {
        let mut held = self.0.lock().unwrap();
        if held.contains_key(key) {
            return Ok(None);
        }
        let token = uuid::Uuid::new_v4().to_string();
        held.insert(key.to_owned(), token.clone());
        Ok(Some(token))
    }
    async fn release(&self, key: &str, token: &str) -> Result<(), StoreError> {
        let mut held = self.0.lock().unwrap();
        if held.get(key).map(String::as_str) == Some(token) {
            held.remove(key);
        }
        Ok(())
    }
    async fn wait_released(&self, key: &str, timeout: Duration) -> Result<(), StoreError> {
        let deadline = tokio::time::Instant::now() + timeout;
        while self.0.lock().unwrap().contains_key(key) && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        Ok(())
    }
}

/// A provider that knows a fixed set of words, answers slowly and counts its calls.
pub struct ScriptedProvider {
    pub source: SourceId,
    pub knows: HashMap<String, Vec<Entry>>,
    pub failure: Option<ProviderError>,
    pub calls: AtomicUsize,
}

impl ScriptedProvider {
    pub fn new(source: &str, knows: Vec<Entry>) -> Self {
        let mut map: HashMap<String, Vec<Entry>> = HashMap::new();
        for e in knows {
            map.entry(e.lemma_key()).or_default().push(e);
        }
        Self {
            source: SourceId::parse(source).unwrap(),
            knows: map,
            failure: None,
            calls: AtomicUsize::new(0),
        }
    }
    pub fn failing(source: &str, error: ProviderError) -> Self {
        Self {
            failure: Some(error),
            ..Self::new(source, vec![])
        }
    }
    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

#[async_trait]
impl DictionaryProvider for ScriptedProvider {
    fn source(&self) -> &SourceId {
        &self.source
    }
    fn serves(&self, _language: &LanguageCode) -> bool {
        true
    }
    async fn fetch(
        &self,
        language: &LanguageCode,
        lemma: &str,
    ) -> Result<ProviderAnswer, ProviderError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(30)).await;
        if let Some(e) = &self.failure {
            return Err(e.clone());
        }
        let entries = self
            .knows
            .get(lemma)
            .cloned()
            .ok_or(ProviderError::NotFound)?;
        Ok(ProviderAnswer {
            raw: RawRecord {
                source: self.source.clone(),
                language: language.clone(),
                lemma: lemma.to_owned(),
                key: lemma.to_owned(),
                format: "json".into(),
                payload: serde_json::json!({"word": lemma}),
                received_at: Utc::now(),
            },
            entries,
        })
    }
}

pub struct World {
    pub words: Arc<MemWords>,
    pub entries: Arc<MemEntries>,
    pub frequencies: Arc<MemFrequencies>,
    pub table: Arc<MemLemmaTable>,
    pub cache: Arc<MemCache>,
    pub lemmatiser: Arc<Lemmatiser>,
}

impl World {
    pub fn new() -> Self {
        let words = Arc::new(MemWords::default());
        let frequencies = Arc::new(MemFrequencies::with(&[
            ("go", 6.0),
            ("house", 5.71),
            ("child", 5.5),
            ("book", 5.43),
        ]));
        let table = Arc::new(MemLemmaTable::default());
        let lemmatiser = Arc::new(Lemmatiser::new(
            words.clone(),
            frequencies.clone(),
            table.clone(),
        ));
        Self {
            words,
            entries: Arc::new(MemEntries::default()),
            frequencies,
            table,
            cache: Arc::new(MemCache::default()),
            lemmatiser,
        }
    }

    pub fn lookup(&self, providers: Vec<Arc<dyn DictionaryProvider>>) -> LookupService {
        LookupService::new(
            LookupDeps {
                words: self.words.clone(),
                entries: self.entries.clone(),
                frequencies: self.frequencies.clone(),
                lemmatiser: self.lemmatiser.clone(),
                providers,
                cache: self.cache.clone(),
                lock: Arc::new(MemLock::default()),
            },
            LookupSettings::default(),
        )
    }
}
