//! In-memory fakes of the dictionary's ports for the use-case tests of this crate and of the
//! crates that read dictionary data (content). Behind the `testing` feature.

use crate::entry::{Entry, RawRecord, SourceId};
use crate::normalise::fold_key;
use crate::ports::{EntryPage, EntryStore, StoreError, WordRepository};
use crate::{SearchHit, WordMetadata, WordUpsert};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use lingo_kernel::LanguageCode;
use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, PoisonError};

/// When the fake says a word row was written (a fixed instant: fakes read no clock).
const WRITTEN_AT: DateTime<Utc> = DateTime::from_timestamp_nanos(1_767_225_600_000_000_000);

/// Word rows in a vector: found by language and folded lemma, like the real repository.
#[derive(Default)]
pub struct MemWords(pub Mutex<Vec<WordMetadata>>);

impl MemWords {
    /// A repository that already holds `rows`.
    pub fn with(rows: Vec<WordMetadata>) -> Self {
        Self(Mutex::new(rows))
    }
}

#[async_trait]
impl WordRepository for MemWords {
    /// The fake has no private words: every row is public.
    async fn visible_to(
        &self,
        id: lingo_kernel::WordId,
        _user: lingo_kernel::UserId,
    ) -> Result<bool, StoreError> {
        Ok(self
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .any(|r| r.id == id))
    }

    async fn upsert(&self, words: &[WordUpsert]) -> Result<(), StoreError> {
        let mut rows = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        for w in words {
            let existing = rows.iter_mut().find(|r| {
                r.language == w.language
                    && r.lemma == w.lemma
                    && r.part_of_speech == w.part_of_speech
            });
            match existing {
                Some(row) => {
                    if !row.sources.contains(&w.source) {
                        row.sources.push(w.source.clone());
                        row.sources.sort();
                    }
                    row.zipf = w.zipf.or(row.zipf);
                }
                None => rows.push(WordMetadata {
                    id: lingo_kernel::WordId::new(),
                    language: w.language.clone(),
                    lemma: w.lemma.clone(),
                    part_of_speech: w.part_of_speech.clone(),
                    zipf: w.zipf,
                    cefr: w.cefr,
                    sources: vec![w.source.clone()],
                    created_at: WRITTEN_AT,
                    updated_at: WRITTEN_AT,
                }),
            }
        }
        Ok(())
    }
    async fn find(
        &self,
        language: &LanguageCode,
        keys: &[String],
    ) -> Result<Vec<WordMetadata>, StoreError> {
        Ok(self
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .filter(|r| &r.language == language && keys.contains(&fold_key(&r.lemma)))
            .cloned()
            .collect())
    }
    async fn by_ids(&self, ids: &[lingo_kernel::WordId]) -> Result<Vec<WordMetadata>, StoreError> {
        Ok(self
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .filter(|r| ids.contains(&r.id))
            .cloned()
            .collect())
    }

    async fn similar(
        &self,
        language: &LanguageCode,
        part_of_speech: &crate::PartOfSpeech,
        zipf_min: Option<f64>,
        zipf_max: Option<f64>,
        limit: u32,
    ) -> Result<Vec<WordMetadata>, StoreError> {
        let within = |z: Option<crate::Zipf>| match z.map(|z| z.get()) {
            Some(z) => zipf_min.is_none_or(|min| z >= min) && zipf_max.is_none_or(|max| z <= max),
            None => zipf_min.is_none() && zipf_max.is_none(),
        };
        let mut rows: Vec<WordMetadata> = self
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .filter(|r| {
                &r.language == language && &r.part_of_speech == part_of_speech && within(r.zipf)
            })
            .cloned()
            .collect();
        rows.sort_by(|a, b| {
            let z = |r: &WordMetadata| r.zipf.map_or(-1.0, |z| z.get());
            z(b).total_cmp(&z(a)).then(a.lemma.cmp(&b.lemma))
        });
        rows.truncate(limit as usize);
        Ok(rows)
    }

    async fn known(
        &self,
        language: &LanguageCode,
        keys: &[String],
    ) -> Result<HashSet<String>, StoreError> {
        Ok(self
            .find(language, keys)
            .await?
            .into_iter()
            .map(|r| fold_key(&r.lemma))
            .collect())
    }
    async fn search(
        &self,
        language: &LanguageCode,
        key: &str,
        limit: u32,
        _offset: u32,
    ) -> Result<Vec<SearchHit>, StoreError> {
        // Good enough for the use cases: shared first three letters.
        let stem: String = key.chars().take(3).collect();
        Ok(self
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .filter(|r| &r.language == language && fold_key(&r.lemma).starts_with(&stem))
            .take(limit as usize)
            .map(|r| SearchHit {
                id: r.id,
                lemma: r.lemma.clone(),
                part_of_speech: r.part_of_speech.clone(),
                zipf: r.zipf,
                cefr: r.cefr,
                score: 0.5,
            })
            .collect())
    }
}

/// Entries and raw records by id; entries found by language and lemma key.
#[derive(Default)]
pub struct MemEntries {
    pub entries: Mutex<HashMap<String, Entry>>,
    pub raw: Mutex<HashMap<String, RawRecord>>,
}

impl MemEntries {
    /// A store that already holds `entries`.
    pub fn with(entries: Vec<Entry>) -> Self {
        let store = Self::default();
        store
            .entries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend(entries.into_iter().map(|e| (e.id(), e)));
        store
    }
}

#[async_trait]
impl EntryStore for MemEntries {
    async fn put_raw(&self, records: &[RawRecord]) -> Result<(), StoreError> {
        let mut raw = self.raw.lock().unwrap_or_else(PoisonError::into_inner);
        for r in records {
            raw.insert(r.id(), r.clone());
        }
        Ok(())
    }
    async fn put_entries(&self, entries: &[Entry]) -> Result<(), StoreError> {
        let mut all = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        for e in entries {
            all.insert(e.id(), e.clone());
        }
        Ok(())
    }
    async fn entries(
        &self,
        language: &LanguageCode,
        keys: &[String],
    ) -> Result<Vec<Entry>, StoreError> {
        let mut found: Vec<Entry> = self
            .entries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .values()
            .filter(|e| &e.language == language && keys.contains(&e.lemma_key()))
            .cloned()
            .collect();
        found.sort_by_key(Entry::id);
        Ok(found)
    }
    async fn entries_of_source(
        &self,
        language: &LanguageCode,
        source: &SourceId,
        after: Option<&str>,
        limit: usize,
    ) -> Result<EntryPage, StoreError> {
        let mut page: Vec<(String, Entry)> = self
            .entries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .filter(|(id, e)| {
                &e.language == language
                    && &e.provenance.source == source
                    && after.is_none_or(|after| id.as_str() > after)
            })
            .map(|(id, e)| (id.clone(), e.clone()))
            .collect();
        page.sort_by(|a, b| a.0.cmp(&b.0));
        page.truncate(limit);
        Ok(EntryPage {
            last_id: page.last().map(|(id, _)| id.clone()),
            entries: page.into_iter().map(|(_, e)| e).collect(),
            corrupt: Vec::new(),
        })
    }
    async fn count_of_source(
        &self,
        language: &LanguageCode,
        source: &SourceId,
    ) -> Result<u64, StoreError> {
        Ok(self
            .entries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .values()
            .filter(|e| &e.language == language && &e.provenance.source == source)
            .count() as u64)
    }
}

/// An English entry of `source` for `lemma`: one sense with `gloss` when given, and
/// translations given as (language, text).
pub fn entry_with(
    source: &str,
    lemma: &str,
    part_of_speech: &str,
    gloss: Option<&str>,
    translations: &[(&str, &str)],
) -> Entry {
    use crate::entry::{PartOfSpeech, Provenance, Sense, Translation};
    Entry {
        language: LanguageCode::english(),
        lemma: lemma.to_owned(),
        headword: lemma.to_owned(),
        part_of_speech: PartOfSpeech::parse(part_of_speech),
        discriminator: part_of_speech.to_owned(),
        senses: gloss
            .map(|g| Sense {
                gloss: g.to_owned(),
                examples: vec![],
                tags: vec![],
                synonyms: vec![],
            })
            .into_iter()
            .collect(),
        pronunciations: vec![],
        translations: translations
            .iter()
            .filter_map(|(language, text)| {
                Some(Translation {
                    language: LanguageCode::parse(language).ok()?,
                    text: (*text).to_owned(),
                    sense: None,
                })
            })
            .collect(),
        forms: vec![],
        provenance: Provenance {
            source: SourceId::parse(source).unwrap_or_else(|_| panic!("source id {source}")),
            licence: "test".into(),
            retrieved_at: WRITTEN_AT,
            origin: None,
        },
    }
}
