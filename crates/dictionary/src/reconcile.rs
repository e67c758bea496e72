//! Re-syncs PostgreSQL word metadata from the MongoDB entries of one source. An import writes
//! MongoDB first and PostgreSQL second; one that dies for good between the two (or a provider
//! answer stored without its rows) leaves entries no `words` row speaks for. This job walks the
//! source's entries page by page and writes the rows that are missing, through the same
//! `word_upserts_from` the import uses, so the rows are the ones a successful import writes.

use crate::entry::{Entry, PartOfSpeech, SourceId};
use crate::import::{invalidate, word_upserts_from};
use crate::ports::{EntryStore, FrequencySource, StoreError, WordRepository};
use lingo_kernel::LanguageCode;
use lingo_kernel::cache::Cache;
use lingo_kernel::jobs::{Job, JobContext, JobError, JobProgress};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

/// The worker job: reconcile the word rows of `source`'s entries in `language`. Idempotent:
/// rows already present are left as they are, so a rerun (or a retry) only finishes the work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReconcileWords {
    pub language: LanguageCode,
    pub source: SourceId,
}

impl Job for ReconcileWords {
    const NAME: &'static str = "dictionary.reconcile";
    const MAX_ATTEMPTS: u32 = 10;
    /// A large source is ~100,000 entries, read at the development server's ~1,700 documents a
    /// second: about a minute of reads, far below this. A retry starts over from the first page,
    /// which is harmless (present rows are skipped), so the deadline only has to fit one walk.
    const DEADLINE: Duration = Duration::from_secs(3_600);
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReconcileReport {
    pub language: LanguageCode,
    pub source: SourceId,
    /// Entries read (decoded) from the entry store.
    pub entries_seen: u64,
    /// Stored documents that did not decode: skipped, and the first few named in `corrupt`.
    pub entries_corrupt: u64,
    /// Word rows written: missing, or present without this source among their sources.
    pub words_upserted: u64,
    pub corrupt: Vec<String>,
}

#[derive(Debug, Clone, Copy)]
pub struct ReconcileSettings {
    /// Entries per page: one entry-store query, one metadata query and at most one upsert each.
    pub page_size: usize,
    /// How many undecodable documents the report names.
    pub max_reported_corrupt: usize,
}

impl Default for ReconcileSettings {
    fn default() -> Self {
        Self {
            page_size: 500,
            max_reported_corrupt: 20,
        }
    }
}

pub struct ReconcileDeps {
    pub entries: Arc<dyn EntryStore>,
    pub words: Arc<dyn WordRepository>,
    pub frequencies: Arc<dyn FrequencySource>,
    pub cache: Arc<dyn Cache>,
}

/// Runs reconciliations. Memory is bounded by one page of entries and their rows.
pub struct ReconcileService {
    deps: ReconcileDeps,
    settings: ReconcileSettings,
}

fn retryable(e: StoreError) -> JobError {
    JobError::Retryable(e.to_string())
}

impl ReconcileService {
    pub fn new(deps: ReconcileDeps, settings: ReconcileSettings) -> Self {
        Self {
            deps,
            settings: ReconcileSettings {
                page_size: settings.page_size.max(1),
                ..settings
            },
        }
    }

    #[tracing::instrument(name = "dictionary.reconcile", skip_all,
        fields(job = %ctx.job_id, language = %job.language, source = %job.source))]
    pub async fn run(
        &self,
        ctx: &JobContext,
        job: &ReconcileWords,
    ) -> Result<ReconcileReport, JobError> {
        let (language, source) = (&job.language, &job.source);
        let total = self
            .deps
            .entries
            .count_of_source(language, source)
            .await
            .map_err(retryable)?;
        let mut report = ReconcileReport {
            language: language.clone(),
            source: source.clone(),
            entries_seen: 0,
            entries_corrupt: 0,
            words_upserted: 0,
            corrupt: Vec::new(),
        };
        let mut after: Option<String> = None;
        loop {
            let page = self
                .deps
                .entries
                .entries_of_source(language, source, after.as_deref(), self.settings.page_size)
                .await
                .map_err(retryable)?;
            let documents = page.entries.len() + page.corrupt.len();
            report.entries_seen += page.entries.len() as u64;
            report.entries_corrupt += page.corrupt.len() as u64;
            let room = self
                .settings
                .max_reported_corrupt
                .saturating_sub(report.corrupt.len());
            report.corrupt.extend(page.corrupt.into_iter().take(room));
            report.words_upserted += self.repair(language, source, &page.entries).await?;
            ctx.report_progress(&progress(&report, total)).await;
            match page.last_id {
                Some(last) if documents >= self.settings.page_size => after = Some(last),
                _ => break,
            }
        }
        tracing::info!(
            entries_seen = report.entries_seen,
            entries_corrupt = report.entries_corrupt,
            words_upserted = report.words_upserted,
            "dictionary reconciliation finished"
        );
        Ok(report)
    }

    /// Writes the rows `entries` lack and drops their cached lookups; returns how many rows.
    async fn repair(
        &self,
        language: &LanguageCode,
        source: &SourceId,
        entries: &[Entry],
    ) -> Result<u64, JobError> {
        if entries.is_empty() {
            return Ok(0);
        }
        let keys: Vec<String> = entries
            .iter()
            .map(Entry::lemma_key)
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        let rows = self
            .deps
            .words
            .find(language, &keys)
            .await
            .map_err(retryable)?;
        let present: HashSet<(&str, &PartOfSpeech)> = rows
            .iter()
            .filter(|row| row.sources.contains(source))
            .map(|row| (row.lemma.as_str(), &row.part_of_speech))
            .collect();
        let missing: Vec<Entry> = entries
            .iter()
            .filter(|e| !present.contains(&(e.lemma.as_str(), &e.part_of_speech)))
            .cloned()
            .collect();
        if missing.is_empty() {
            return Ok(0);
        }
        let upserts = word_upserts_from(self.deps.frequencies.as_ref(), language, &missing)
            .await
            .map_err(retryable)?;
        self.deps.words.upsert(&upserts).await.map_err(retryable)?;
        invalidate(self.deps.cache.as_ref(), language, &missing).await;
        Ok(upserts.len() as u64)
    }
}

fn progress(report: &ReconcileReport, total: u64) -> JobProgress {
    let mut counters = BTreeMap::new();
    counters.insert("entries_seen".to_owned(), report.entries_seen);
    counters.insert("entries_corrupt".to_owned(), report.entries_corrupt);
    counters.insert("words_upserted".to_owned(), report.words_upserted);
    JobProgress {
        processed: report.entries_seen + report.entries_corrupt,
        // Entries written during the walk can make the count grow past the total.
        total: Some(total.max(report.entries_seen + report.entries_corrupt)),
        counters,
        message: report
            .corrupt
            .first()
            .map(|c| format!("first corrupt entry: {c}")),
    }
}
