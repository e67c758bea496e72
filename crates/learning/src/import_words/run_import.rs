//! The `learning.import_words` job: read the upload, prepare its rows against the learner's
//! deck and scheduler, store them in batches (each batch one transaction: a word's cards and
//! review log rows land together or not at all), report progress after each batch, then ask
//! for the new words' content and remove the upload.

use crate::import_words::prepare_words::{ImportedWord, StoredWord, prepare};
use crate::import_words::{
    ImportWords, ImportWordsReport, ReadLimits, WordListError, WordListFiles,
};
use crate::ports::{DeckStore, LearnerProfiles, LearningStoreError, ParameterStore};
use crate::prepare_content::ContentPreparation;
use crate::review::SchedulingSettings;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use lingo_kernel::jobs::{JobContext, JobError, JobProgress};
use lingo_kernel::{Clock, DeckId, UserId, WordId};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Words per transaction and per progress report.
const BATCH: usize = 200;

/// Where imported words, cards and reviews are written.
#[async_trait]
pub trait ImportedCards: Send + Sync {
    /// In one transaction: resolves each word (a new lemma stays private to the learner), and
    /// creates its cards with their material, schedule and review log rows (`parameters_version`
    /// recorded on each). A word whose card of a type the deck holds already gets nothing of
    /// that type, so a second run writes nothing; `NotFound` when the deck is not the learner's.
    async fn store_imported(
        &self,
        owner: UserId,
        deck: DeckId,
        words: &[ImportedWord],
        parameters_version: i32,
        now: DateTime<Utc>,
    ) -> Result<Vec<StoredWord>, LearningStoreError>;
}

pub struct ImportWordsService {
    files: Arc<dyn WordListFiles>,
    decks: Arc<dyn DeckStore>,
    cards: Arc<dyn ImportedCards>,
    profiles: Arc<dyn LearnerProfiles>,
    parameters: Arc<dyn ParameterStore>,
    content: ContentPreparation,
    clock: Arc<dyn Clock>,
    limits: ReadLimits,
}

/// The ports the import runs on.
pub struct ImportWordsDeps {
    pub files: Arc<dyn WordListFiles>,
    pub decks: Arc<dyn DeckStore>,
    pub cards: Arc<dyn ImportedCards>,
    pub profiles: Arc<dyn LearnerProfiles>,
    pub parameters: Arc<dyn ParameterStore>,
    pub content: ContentPreparation,
    pub clock: Arc<dyn Clock>,
}

fn retryable(e: LearningStoreError) -> JobError {
    JobError::Retryable(e.to_string())
}

impl ImportWordsService {
    pub fn new(deps: ImportWordsDeps, limits: ReadLimits) -> Self {
        Self {
            files: deps.files,
            decks: deps.decks,
            cards: deps.cards,
            profiles: deps.profiles,
            parameters: deps.parameters,
            content: deps.content,
            clock: deps.clock,
            limits,
        }
    }

    #[tracing::instrument(skip(self, ctx, job), fields(learner = %job.learner, deck = %job.deck, format = job.format.as_str()))]
    pub async fn run(
        &self,
        ctx: &JobContext,
        job: &ImportWords,
    ) -> Result<ImportWordsReport, JobError> {
        let deck = match self.decks.get(job.learner, job.deck).await {
            Ok(deck) => deck,
            Err(LearningStoreError::NotFound) => {
                self.files.remove(&job.path).await;
                return Err(JobError::Permanent("the deck no longer exists".into()));
            }
            Err(e) => return Err(retryable(e)),
        };
        let list = match self.files.read(&job.path, job.format, &self.limits).await {
            Ok(list) => list,
            Err(WordListError::Unreadable(e)) => return Err(JobError::Retryable(e)),
            Err(WordListError::Invalid(e)) => {
                self.files.remove(&job.path).await;
                return Err(JobError::Permanent(e));
            }
        };
        let profile = self
            .profiles
            .profile(job.learner)
            .await
            .map_err(retryable)?;
        let parameters = self
            .parameters
            .current(job.learner)
            .await
            .map_err(retryable)?;
        let settings = SchedulingSettings::from_profile(&profile);
        let scheduler = settings
            .scheduler(parameters.as_ref())
            .map_err(|e| JobError::Permanent(e.to_string()))?;
        let now = self.clock.now();
        let mut report = ImportWordsReport::new(job.deck, job.format);
        report.rows = (list.words.len() + list.errors.len()) as u64;
        for error in list.errors {
            report.record_error(error);
        }
        let prepared = prepare(
            &list.words,
            &job.language,
            &deck.card_types,
            &scheduler,
            settings.leeches(),
            now,
        );
        for error in prepared.errors {
            report.record_error(error);
        }
        let version = parameters.map_or(0, |p| p.version);
        let total = prepared.words.len() as u64;
        let mut new_words: Vec<WordId> = Vec::new();
        let mut processed = 0u64;
        for batch in prepared.words.chunks(BATCH) {
            let stored = self
                .cards
                .store_imported(job.learner, job.deck, batch, version, now)
                .await
                .map_err(|e| match e {
                    LearningStoreError::NotFound => {
                        JobError::Permanent("the deck no longer exists".into())
                    }
                    other => retryable(other),
                })?;
            for word in &stored {
                tally(&mut report, word, &mut new_words);
            }
            processed += batch.len() as u64;
            ctx.report_progress(&progress(&report, processed, total))
                .await;
        }
        self.content.request(job.learner, &new_words).await;
        self.files.remove(&job.path).await;
        Ok(report)
    }
}

fn tally(report: &mut ImportWordsReport, word: &StoredWord, new_words: &mut Vec<WordId>) {
    if word.cards_created > 0 {
        report.words_imported += 1;
        new_words.push(word.word_id);
    } else {
        report.words_already_in_deck += 1;
    }
    report.cards_created += word.cards_created as u64;
    report.reviews_imported += word.reviews_stored as u64;
}

fn progress(report: &ImportWordsReport, processed: u64, total: u64) -> JobProgress {
    let counters = BTreeMap::from([
        ("imported".to_owned(), report.words_imported),
        ("already_in_deck".to_owned(), report.words_already_in_deck),
        ("failed".to_owned(), report.failed),
        ("cards_created".to_owned(), report.cards_created),
        ("reviews_imported".to_owned(), report.reviews_imported),
    ]);
    JobProgress {
        processed,
        total: Some(total),
        counters,
        message: None,
    }
}
