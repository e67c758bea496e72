//! What the dictionary use cases need from the outside world. Adapters implement these:
//! PostgreSQL (metadata, frequencies, lemma tables, import checkpoints), MongoDB (entries),
//! Redis (cache, lookup lock), HTTP providers, file-format readers.

use crate::entry::{Entry, RawRecord, SourceId};
use crate::frequency::Zipf;
use crate::import::{ImportCheckpoint, ImportSpec, ImportedRecord, ReadError};
use crate::word::{SearchHit, WordMetadata, WordUpsert};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use lingo_kernel::jobs::JobId;
use lingo_kernel::{LanguageCode, UserId, WordId};
use std::collections::{HashMap, HashSet};
use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    #[error("dictionary store unavailable: {0}")]
    Unavailable(String),
    /// Stored data that does not decode (a bug or a manual edit); never silently dropped.
    #[error("stored dictionary data is corrupt: {0}")]
    Corrupt(String),
}

/// Word metadata (PostgreSQL). `keys` are fold keys (`normalise::fold_key`).
#[async_trait]
pub trait WordRepository: Send + Sync {
    /// Inserts or updates one row per (language, lemma, part of speech); adds the source to the
    /// row's sources; sets frequency and CEFR when given. Idempotent.
    async fn upsert(&self, words: &[WordUpsert]) -> Result<(), StoreError>;
    /// Every row whose lemma folds to one of `keys`.
    async fn find(
        &self,
        language: &LanguageCode,
        keys: &[String],
    ) -> Result<Vec<WordMetadata>, StoreError>;
    /// The rows with these ids (missing ids are left out).
    async fn by_ids(&self, ids: &[WordId]) -> Result<Vec<WordMetadata>, StoreError>;
    /// Whether `user` may see the word: it exists and is public, or it is a private word the
    /// user holds a card for (learners' own lemmas stay theirs until confirmed).
    async fn visible_to(&self, id: WordId, user: UserId) -> Result<bool, StoreError>;
    /// Up to `limit` rows of `language` with this part of speech whose Zipf lies within
    /// `zipf_min..=zipf_max` (a bound left out is open; rows without a frequency match only when
    /// both are), most frequent first (quiz distractors).
    async fn similar(
        &self,
        language: &LanguageCode,
        part_of_speech: &crate::entry::PartOfSpeech,
        zipf_min: Option<f64>,
        zipf_max: Option<f64>,
        limit: u32,
    ) -> Result<Vec<WordMetadata>, StoreError>;
    /// Which of `keys` have a row.
    async fn known(
        &self,
        language: &LanguageCode,
        keys: &[String],
    ) -> Result<HashSet<String>, StoreError>;
    /// Prefix matches first, then typo-tolerant (trigram) matches; each group by frequency.
    async fn search(
        &self,
        language: &LanguageCode,
        key: &str,
        limit: u32,
        offset: u32,
    ) -> Result<Vec<SearchHit>, StoreError>;
}

/// Raw records and normalised entries (MongoDB). Writes are upserts on the record's and the
/// entry's stable ids, so repeating them is harmless.
#[async_trait]
pub trait EntryStore: Send + Sync {
    async fn put_raw(&self, records: &[RawRecord]) -> Result<(), StoreError>;
    async fn put_entries(&self, entries: &[Entry]) -> Result<(), StoreError>;
    /// A batch of imported records: each record's entries with content, and the record itself
    /// (for re-processing), replaced by id like `put_entries` and `put_raw`. This default writes
    /// them apart, two requests at once; an adapter may instead keep each record inside the
    /// entries made from it, so that a bulk load writes one document per entry and none more
    /// per record (MongoDB does).
    async fn put_imported(&self, records: &[ImportedRecord]) -> Result<(), StoreError> {
        let raw: Vec<RawRecord> = records.iter().map(|r| r.raw.clone()).collect();
        let entries: Vec<Entry> = records
            .iter()
            .flat_map(|r| r.entries.iter().filter(|e| e.has_content()).cloned())
            .collect();
        let (raw_written, entries_written) =
            futures_util::future::join(self.put_raw(&raw), self.put_entries(&entries)).await;
        raw_written?;
        entries_written
    }
    /// Entries whose lemma folds to one of `keys`, in a stable order (source, lemma, id).
    async fn entries(
        &self,
        language: &LanguageCode,
        keys: &[String],
    ) -> Result<Vec<Entry>, StoreError>;
    /// Up to `limit` entries of `source` in `language`, in the order of their ids, starting
    /// after the entry whose id is `after` (at the first when `None`). Paging with each page's
    /// `last_id` visits every entry once, entries written meanwhile included when they sort
    /// later. A document that does not decode is reported in `corrupt`, not an error, so that
    /// one bad document cannot stop a walk through a whole source.
    async fn entries_of_source(
        &self,
        language: &LanguageCode,
        source: &SourceId,
        after: Option<&str>,
        limit: usize,
    ) -> Result<EntryPage, StoreError>;
    /// How many entries `source` holds in `language` (a progress total).
    async fn count_of_source(
        &self,
        language: &LanguageCode,
        source: &SourceId,
    ) -> Result<u64, StoreError>;
}

/// One page of a walk through a source's entries ([`EntryStore::entries_of_source`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EntryPage {
    pub entries: Vec<Entry>,
    /// What is wrong with each document of the page that did not decode (its id first).
    pub corrupt: Vec<String>,
    /// The id of the page's last document, decoded or not: where the next page starts. `None`
    /// when the page is empty (the walk is over).
    pub last_id: Option<String>,
}

/// Word frequencies loaded from a frequency list, by fold key.
#[async_trait]
pub trait FrequencySource: Send + Sync {
    async fn zipf(
        &self,
        language: &LanguageCode,
        keys: &[String],
    ) -> Result<HashMap<String, Zipf>, StoreError>;
    /// Replaces or adds rows; returns how many were written.
    async fn load(
        &self,
        language: &LanguageCode,
        rows: &[(String, Zipf)],
    ) -> Result<u64, StoreError>;
}

/// Inflected form → lemma tables for languages without rule-based lemmatisation here.
#[async_trait]
pub trait LemmaTable: Send + Sync {
    /// For each of `forms` (fold keys) that the table knows, its lemmas.
    async fn lemmas(
        &self,
        language: &LanguageCode,
        forms: &[String],
    ) -> Result<HashMap<String, Vec<String>>, StoreError>;
    async fn load(
        &self,
        language: &LanguageCode,
        rows: &[(String, String)],
    ) -> Result<u64, StoreError>;
}

/// The words a learner already has in a deck.
#[async_trait]
pub trait LearnerVocabulary: Send + Sync {
    /// Which of `keys` the learner has a card for.
    async fn known_by(
        &self,
        user: UserId,
        language: &LanguageCode,
        keys: &[String],
    ) -> Result<HashSet<String>, StoreError>;
}

/// A lock shared by every api replica so that concurrent misses for one word cause one provider
/// call (single flight).
#[async_trait]
pub trait LookupLock: Send + Sync {
    /// A token when the lock was free, `None` when another caller holds it. Expires after `ttl`
    /// so a crashed holder cannot block the word.
    async fn try_acquire(&self, key: &str, ttl: Duration) -> Result<Option<String>, StoreError>;
    /// Releases the lock if `token` still holds it.
    async fn release(&self, key: &str, token: &str) -> Result<(), StoreError>;
    /// Returns once the lock is free or `timeout` has passed.
    async fn wait_released(&self, key: &str, timeout: Duration) -> Result<(), StoreError>;
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProviderError {
    /// The provider answered that it does not know the word.
    #[error("not found")]
    NotFound,
    /// Timeouts, refused connections, 5xx and 429 after retries, or an open circuit.
    #[error("provider unavailable: {0}")]
    Unavailable(String),
    /// The provider answered something that does not match its documented shape.
    #[error("provider answered malformed data: {0}")]
    Malformed(String),
}

/// A provider's answer: the response as received and the entries normalised from it.
#[derive(Debug, Clone, PartialEq)]
pub struct ProviderAnswer {
    pub raw: RawRecord,
    pub entries: Vec<Entry>,
}

/// An external dictionary API.
#[async_trait]
pub trait DictionaryProvider: Send + Sync {
    fn source(&self) -> &SourceId;
    /// Whether it is worth asking for words of `language`.
    fn serves(&self, language: &LanguageCode) -> bool;
    async fn fetch(
        &self,
        language: &LanguageCode,
        lemma: &str,
    ) -> Result<ProviderAnswer, ProviderError>;
}

/// Reads one file format record by record, with bounded memory.
pub trait RecordReader: Send {
    /// The next record, a malformed one (the import counts it and goes on), or an I/O error
    /// (the import stops and is retried). `None` at the end.
    fn next_record(&mut self) -> Option<Result<crate::import::ImportedRecord, ReadError>>;
    /// Progress through the input, for a percentage.
    fn position(&self) -> ReadPosition;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReadPosition {
    pub done: u64,
    pub total: Option<u64>,
}

/// Opens a reader for an import.
pub trait RecordFormats: Send + Sync {
    fn open(
        &self,
        spec: &ImportSpec,
        retrieved_at: DateTime<Utc>,
    ) -> Result<Box<dyn RecordReader>, ReadError>;
}

/// Where an import records how far it got, so a rerun after a crash resumes there.
#[async_trait]
pub trait ImportCheckpoints: Send + Sync {
    async fn load(&self, job: JobId) -> Result<Option<ImportCheckpoint>, StoreError>;
    async fn save(&self, job: JobId, checkpoint: &ImportCheckpoint) -> Result<(), StoreError>;
}
