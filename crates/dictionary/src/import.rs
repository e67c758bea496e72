//! Bulk import of a dictionary file: the job, its description and the use case that streams
//! records into both stores in batches, with progress, a checkpoint per batch and a report of
//! malformed records.

use crate::entry::{Entry, RawRecord, SourceId};
use crate::frequency::Zipf;
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
use std::borrow::Borrow;
use std::collections::{BTreeMap, HashMap, HashSet};
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

/// One batch read from the input, counted in the checkpoint once it is written.
#[derive(Default)]
struct Batch {
    /// The records with something to import.
    records: Vec<ImportedRecord>,
    /// Records read, good or bad.
    consumed: u64,
    failed: u64,
    skipped: u64,
    /// The batch's first malformed records.
    malformed: Vec<MalformedRecord>,
    exhausted: bool,
    position: crate::ports::ReadPosition,
}

#[derive(Debug, Clone, Copy)]
pub struct ImportSettings {
    pub batch_size: usize,
    /// How many malformed records are reported with their line numbers.
    pub max_reported_errors: usize,
}

impl Default for ImportSettings {
    /// A batch is one insert command to MongoDB (its adapter sends up to 1,000 documents a
    /// command) and one statement each for the frequencies and the metadata; two batches are in
    /// memory at once (one written, the next read).
    fn default() -> Self {
        Self {
            batch_size: 1_000,
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

/// Runs imports. Writes MongoDB first (entries and the records they came from), PostgreSQL second (metadata),
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

    /// Writes batch after batch, reading the next one while the current one is written
    /// (reading writes nothing, so a crash still repeats at most the batch being written).
    async fn stream(
        &self,
        ctx: &JobContext,
        spec: &ImportSpec,
        reader: &mut dyn RecordReader,
        checkpoint: &mut ImportCheckpoint,
    ) -> Result<(), JobError> {
        let mut next = self.read_batch(reader)?;
        loop {
            let batch = next;
            let exhausted = batch.exhausted;
            let reading = async {
                if exhausted {
                    None
                } else {
                    Some(self.read_batch(reader))
                }
            };
            let (written, read_ahead) =
                futures_util::future::join(self.write(spec, &batch.records), reading).await;
            written?;
            let position = batch.position;
            self.count(checkpoint, batch);
            self.deps
                .checkpoints
                .save(ctx.job_id, checkpoint)
                .await
                .map_err(retryable)?;
            ctx.report_progress(&progress(checkpoint, position)).await;
            match read_ahead {
                None => return Ok(()),
                Some(read) => next = read?,
            }
        }
    }

    /// Up to `batch_size` records with something to import, and what was read on the way.
    fn read_batch(&self, reader: &mut dyn RecordReader) -> Result<Batch, JobError> {
        let mut batch = Batch {
            records: Vec::with_capacity(self.settings.batch_size),
            ..Batch::default()
        };
        while batch.records.len() < self.settings.batch_size {
            match reader.next_record() {
                None => {
                    batch.exhausted = true;
                    break;
                }
                Some(Err(ReadError::Io(e))) => return Err(JobError::Retryable(e)),
                Some(Err(ReadError::Malformed(bad))) => {
                    batch.consumed += 1;
                    batch.failed += 1;
                    if batch.malformed.len() < self.settings.max_reported_errors {
                        batch.malformed.push(bad);
                    }
                }
                Some(Ok(record)) => {
                    batch.consumed += 1;
                    if record.entries.iter().any(Entry::has_content) {
                        batch.records.push(record);
                    } else {
                        batch.skipped += 1;
                    }
                }
            }
        }
        batch.position = reader.position();
        Ok(batch)
    }

    /// Adds a written batch to the checkpoint.
    fn count(&self, checkpoint: &mut ImportCheckpoint, batch: Batch) {
        let c = &mut checkpoint.counters;
        c.read += batch.consumed;
        c.failed += batch.failed;
        c.skipped += batch.skipped;
        c.imported += batch.records.len() as u64;
        c.entries += batch
            .records
            .iter()
            .map(|r| r.entries.len() as u64)
            .sum::<u64>();
        let room = self
            .settings
            .max_reported_errors
            .saturating_sub(checkpoint.errors.len());
        checkpoint
            .errors
            .extend(batch.malformed.into_iter().take(room));
        checkpoint.records_done += batch.consumed;
        checkpoint.finished = batch.exhausted;
    }

    async fn write(&self, spec: &ImportSpec, batch: &[ImportedRecord]) -> Result<(), JobError> {
        if batch.is_empty() {
            return Ok(());
        }
        let entries: Vec<&Entry> = batch
            .iter()
            .flat_map(|r| r.entries.iter().filter(|e| e.has_content()))
            .collect();
        // The frequency lookup only reads: it runs while MongoDB writes. PostgreSQL is written
        // after MongoDB, so that a job that dies for good in between leaves entries that
        // reconciliation completes, never metadata rows without entries.
        let (written, zipfs) = futures_util::future::join(
            self.deps.entries.put_imported(batch),
            zipfs_of(self.deps.frequencies.as_ref(), &spec.language, &entries),
        )
        .await;
        written.map_err(retryable)?;
        let upserts = word_upserts(&entries, &zipfs.map_err(retryable)?);
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
    let zipfs = zipfs_of(frequencies, language, entries).await?;
    Ok(word_upserts(entries, &zipfs))
}

/// The frequency list's Zipf of each distinct lemma key in `entries` (those it lists).
async fn zipfs_of<E: Borrow<Entry>>(
    frequencies: &dyn FrequencySource,
    language: &LanguageCode,
    entries: &[E],
) -> Result<HashMap<String, Zipf>, StoreError> {
    let keys: Vec<String> = entries
        .iter()
        .map(|e| e.borrow().lemma_key())
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    frequencies.zipf(language, &keys).await
}

/// The rows of [`word_upserts_from`], given the Zipf of each lemma key.
fn word_upserts<E: Borrow<Entry>>(entries: &[E], zipfs: &HashMap<String, Zipf>) -> Vec<WordUpsert> {
    let mut seen = HashSet::new();
    entries
        .iter()
        .map(|e| -> &Entry { e.borrow() })
        .filter(|e| {
            seen.insert((
                e.lemma.clone(),
                e.part_of_speech.clone(),
                e.provenance.source.clone(),
            ))
        })
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
        .collect()
}

/// Drops cached lookups of the words just written (best effort: a cache outage only delays
/// freshness until the entry's time to live).
pub(crate) async fn invalidate<E: Borrow<Entry>>(
    cache: &dyn Cache,
    language: &LanguageCode,
    entries: &[E],
) {
    let keys: Vec<String> = entries
        .iter()
        .map(|e| crate::lookup::cache_key(language, &fold_key(&e.borrow().lemma)))
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
