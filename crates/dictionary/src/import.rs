//! Bulk import of a dictionary file: the job, its description and the use case that streams
//! records into both stores in batches, with progress, a checkpoint per batch and a report of
//! malformed records.

use crate::entry::{Entry, RawRecord, SourceId};
use crate::normalise::fold_key;
use crate::ports::{
    EntryStore, FrequencySource, ImportCheckpoints, RecordFormats, RecordReader, StoreError,
    WordRepository,
};
use crate::word::WordUpsert;
use lingo_kernel::cache::Cache;
use lingo_kernel::jobs::{Job, JobContext, JobError, JobProgress};
use lingo_kernel::{Clock, LanguageCode};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportFormat {
    /// dictd: `path` is the `.index` file; the `.dict.dz` (or `.dict`) sits beside it.
    Dictd,
    /// WordNet 3.0 database files: `path` is the directory holding `index.*` and `data.*`.
    Wordnet,
    /// Wiktextract / kaikki.org JSON lines.
    Kaikki,
    /// Word lists: `word, translation, example` columns (header optional); `,` or `;`.
    Csv,
    /// The same with tabs.
    Tsv,
}

impl ImportFormat {
    pub fn parse(raw: &str) -> Option<Self> {
        Some(match raw.to_ascii_lowercase().as_str() {
            "dictd" | "freedict" => Self::Dictd,
            "wordnet" => Self::Wordnet,
            "kaikki" | "wiktextract" | "jsonl" => Self::Kaikki,
            "csv" => Self::Csv,
            "tsv" => Self::Tsv,
            _ => return None,
        })
    }
}

/// What to import and how to label it. It travels as the job payload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportSpec {
    pub format: ImportFormat,
    /// A server-side path the configuration allows (checked before the job is enqueued).
    pub path: String,
    pub source: SourceId,
    pub licence: String,
    /// The language of the headwords.
    pub language: LanguageCode,
    /// The language of the translations, for bilingual formats (dictd, CSV).
    #[serde(default)]
    pub translation_language: Option<LanguageCode>,
}

/// The worker job that runs an import.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportDictionary {
    pub spec: ImportSpec,
}

impl Job for ImportDictionary {
    const NAME: &'static str = "dictionary.import";
    const MAX_ATTEMPTS: u32 = 10;
    /// Large sources take minutes; an attempt cut off resumes from its checkpoint.
    const DEADLINE: std::time::Duration = std::time::Duration::from_secs(3600);
}

/// One record of the input: as received, and the entries made from it.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedRecord {
    /// 1-based line (or record) number, for error reports.
    pub line: u64,
    pub raw: RawRecord,
    /// Empty for records that carry nothing to import (metadata headwords): counted as skipped.
    pub entries: Vec<Entry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MalformedRecord {
    pub line: u64,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("line {}: {}", .0.line, .0.reason)]
    Malformed(MalformedRecord),
    /// The input cannot be read at all (missing file, I/O error, corrupt compression).
    #[error("cannot read the input: {0}")]
    Io(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ImportCounters {
    pub read: u64,
    pub imported: u64,
    pub skipped: u64,
    pub failed: u64,
    pub entries: u64,
}

/// How far an import got; saved after each batch has reached both stores.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ImportCheckpoint {
    /// Records (good or bad) fully processed, in input order.
    pub records_done: u64,
    pub counters: ImportCounters,
    /// The first malformed records, with line numbers.
    pub errors: Vec<MalformedRecord>,
    pub finished: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ImportReport {
    pub source: SourceId,
    pub counters: ImportCounters,
    pub errors: Vec<MalformedRecord>,
    pub resumed_from: u64,
}

#[derive(Debug, Clone, Copy)]
pub struct ImportSettings {
    pub batch_size: usize,
    /// How many malformed records are reported with their line numbers.
    pub max_reported_errors: usize,
}

impl Default for ImportSettings {
    fn default() -> Self {
        Self {
            batch_size: 500,
            max_reported_errors: 20,
        }
    }
}

pub struct ImportDeps {
    pub formats: Arc<dyn RecordFormats>,
    pub entries: Arc<dyn EntryStore>,
    pub words: Arc<dyn WordRepository>,
    pub frequencies: Arc<dyn FrequencySource>,
    pub checkpoints: Arc<dyn ImportCheckpoints>,
    pub cache: Arc<dyn Cache>,
    pub clock: Arc<dyn Clock>,
}

/// Runs imports. Writes MongoDB first (raw records, then entries), PostgreSQL second (metadata),
/// then the checkpoint: a crash anywhere repeats at most one batch, and every write is an upsert
/// keyed by (source, language, lemma, discriminator), so the repeat changes nothing.
pub struct ImportService {
    deps: ImportDeps,
    settings: ImportSettings,
}

fn retryable(e: StoreError) -> JobError {
    JobError::Retryable(e.to_string())
}

impl ImportService {
    pub fn new(deps: ImportDeps, settings: ImportSettings) -> Self {
        Self { deps, settings }
    }

    /// Imports `spec` for job `ctx.job_id`, resuming from its last checkpoint. Reading is
    /// blocking file I/O: call this on a blocking-friendly thread.
    pub async fn run(&self, ctx: &JobContext, spec: &ImportSpec) -> Result<ImportReport, JobError> {
        let mut checkpoint = self
            .deps
            .checkpoints
            .load(ctx.job_id)
            .await
            .map_err(retryable)?
            .unwrap_or_default();
        let resumed_from = checkpoint.records_done;
        if !checkpoint.finished {
            let mut reader = self
                .deps
                .formats
                .open(spec, self.deps.clock.now())
                .map_err(|e| JobError::Permanent(e.to_string()))?;
            self.skip(reader.as_mut(), resumed_from)?;
            self.stream(ctx, spec, reader.as_mut(), &mut checkpoint)
                .await?;
        }
        tracing::info!(source = %spec.source, counters = ?checkpoint.counters, resumed_from, "dictionary import finished");
        Ok(ImportReport {
            source: spec.source.clone(),
            counters: checkpoint.counters,
            errors: checkpoint.errors,
            resumed_from,
        })
    }

    fn skip(&self, reader: &mut dyn RecordReader, records: u64) -> Result<(), JobError> {
        for _ in 0..records {
            match reader.next_record() {
                Some(Err(ReadError::Io(e))) => return Err(JobError::Retryable(e)),
                Some(_) => {}
                None => break,
            }
        }
        Ok(())
    }

    async fn stream(
        &self,
        ctx: &JobContext,
        spec: &ImportSpec,
        reader: &mut dyn RecordReader,
        checkpoint: &mut ImportCheckpoint,
    ) -> Result<(), JobError> {
        loop {
            let mut batch = Vec::with_capacity(self.settings.batch_size);
            let mut consumed = 0u64;
            let mut exhausted = false;
            while batch.len() < self.settings.batch_size {
                match reader.next_record() {
                    None => {
                        exhausted = true;
                        break;
                    }
                    Some(Err(ReadError::Io(e))) => return Err(JobError::Retryable(e)),
                    Some(Err(ReadError::Malformed(bad))) => {
                        consumed += 1;
                        checkpoint.counters.read += 1;
                        checkpoint.counters.failed += 1;
                        if checkpoint.errors.len() < self.settings.max_reported_errors {
                            checkpoint.errors.push(bad);
                        }
                    }
                    Some(Ok(record)) => {
                        consumed += 1;
                        checkpoint.counters.read += 1;
                        if record.entries.iter().any(Entry::has_content) {
                            batch.push(record);
                        } else {
                            checkpoint.counters.skipped += 1;
                        }
                    }
                }
            }
            self.write(spec, &batch).await?;
            checkpoint.counters.imported += batch.len() as u64;
            checkpoint.counters.entries +=
                batch.iter().map(|r| r.entries.len() as u64).sum::<u64>();
            checkpoint.records_done += consumed;
            checkpoint.finished = exhausted;
            self.deps
                .checkpoints
                .save(ctx.job_id, checkpoint)
                .await
                .map_err(retryable)?;
            ctx.report_progress(&progress(checkpoint, reader.position()))
                .await;
            if exhausted {
                return Ok(());
            }
        }
    }

    async fn write(&self, spec: &ImportSpec, batch: &[ImportedRecord]) -> Result<(), JobError> {
        if batch.is_empty() {
            return Ok(());
        }
        let raw: Vec<RawRecord> = batch.iter().map(|r| r.raw.clone()).collect();
        let entries: Vec<Entry> = batch
            .iter()
            .flat_map(|r| r.entries.iter().filter(|e| e.has_content()).cloned())
            .collect();
        // Two collections, no order between them: both requests in flight at once.
        let (raw_written, entries_written) = futures_util::future::join(
            self.deps.entries.put_raw(&raw),
            self.deps.entries.put_entries(&entries),
        )
        .await;
        raw_written.map_err(retryable)?;
        entries_written.map_err(retryable)?;
        let upserts = word_upserts_from(self.deps.frequencies.as_ref(), &spec.language, &entries)
            .await
            .map_err(retryable)?;
        self.deps.words.upsert(&upserts).await.map_err(retryable)?;
        invalidate(self.deps.cache.as_ref(), &spec.language, &entries).await;
        Ok(())
    }
}

/// One metadata row per distinct (lemma, part of speech, source) in `entries`, with the
/// frequency list's Zipf and the CEFR estimate.
pub(crate) async fn word_upserts_from(
    frequencies: &dyn FrequencySource,
    language: &LanguageCode,
    entries: &[Entry],
) -> Result<Vec<WordUpsert>, StoreError> {
    let mut seen = HashSet::new();
    let distinct: Vec<&Entry> = entries
        .iter()
        .filter(|e| {
            seen.insert((
                e.lemma.clone(),
                e.part_of_speech.clone(),
                e.provenance.source.clone(),
            ))
        })
        .collect();
    let keys: Vec<String> = distinct
        .iter()
        .map(|e| e.lemma_key())
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let zipfs = frequencies.zipf(language, &keys).await?;
    Ok(distinct
        .into_iter()
        .map(|e| {
            let zipf = zipfs.get(&e.lemma_key()).copied();
            WordUpsert {
                language: e.language.clone(),
                lemma: e.lemma.clone(),
                part_of_speech: e.part_of_speech.clone(),
                source: e.provenance.source.clone(),
                zipf,
                cefr: zipf.map(|z| z.estimated_cefr()),
            }
        })
        .collect())
}

/// Drops cached lookups of the words just written (best effort: a cache outage only delays
/// freshness until the entry's time to live).
pub(crate) async fn invalidate(cache: &dyn Cache, language: &LanguageCode, entries: &[Entry]) {
    let keys: Vec<String> = entries
        .iter()
        .map(|e| crate::lookup::cache_key(language, &fold_key(&e.lemma)))
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    if let Err(e) = cache.delete_many(&keys).await {
        tracing::warn!(error = %e, "dictionary cache invalidation failed");
    }
    // After the deletes: a replica that reads the new version then misses in Redis too.
    let version = uuid::Uuid::new_v4().to_string();
    if let Err(e) = cache
        .set(
            &crate::lookup::version_key(language),
            version.as_bytes(),
            crate::lookup::VERSION_TTL,
        )
        .await
    {
        tracing::warn!(error = %e, "dictionary version bump failed");
    }
}

fn progress(checkpoint: &ImportCheckpoint, position: crate::ports::ReadPosition) -> JobProgress {
    let c = checkpoint.counters;
    let mut counters = BTreeMap::new();
    counters.insert("read".to_owned(), c.read);
    counters.insert("imported".to_owned(), c.imported);
    counters.insert("skipped".to_owned(), c.skipped);
    counters.insert("failed".to_owned(), c.failed);
    counters.insert("entries".to_owned(), c.entries);
    JobProgress {
        processed: position.done,
        total: position.total,
        counters,
        message: checkpoint
            .errors
            .first()
            .map(|e| format!("first malformed record: line {}: {}", e.line, e.reason)),
    }
}
