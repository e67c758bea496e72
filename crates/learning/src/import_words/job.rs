//! The `learning.import_words` job and what it reports.

use crate::import_words::{RowError, WordListFormat};
use lingo_kernel::jobs::Job;
use lingo_kernel::{DeckId, LanguageCode, UserId};
use serde::{Deserialize, Serialize};

/// Rows reported one by one in the result; past these only the count grows.
pub const MAX_REPORTED_ERRORS: usize = 100;

/// Imports an uploaded file into a learner's deck. Idempotent: a word already in the deck keeps
/// its cards, so a retried job (or the same file twice) creates no card and no review twice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportWords {
    pub learner: UserId,
    pub deck: DeckId,
    pub format: WordListFormat,
    /// The language of the words (their lemmas join the dictionary's words of this language).
    pub language: LanguageCode,
    /// The upload, on the workers' shared upload directory.
    pub path: String,
}

impl Job for ImportWords {
    const NAME: &'static str = "learning.import_words";
    const MAX_ATTEMPTS: u32 = 5;
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportWordsReport {
    pub deck_id: DeckId,
    pub format: WordListFormat,
    /// Rows or notes read from the file (the unreadable ones included).
    pub rows: u64,
    /// Words that got cards in the deck now.
    pub words_imported: u64,
    /// Words the deck held already (left as they were).
    pub words_already_in_deck: u64,
    pub cards_created: u64,
    /// Anki reviews stored in the review log (and folded into the cards' FSRS state).
    pub reviews_imported: u64,
    /// Rows or notes not imported.
    pub failed: u64,
    /// The first `MAX_REPORTED_ERRORS` of them, with their line or note id.
    pub errors: Vec<RowError>,
}

impl ImportWordsReport {
    pub fn new(deck_id: DeckId, format: WordListFormat) -> Self {
        Self {
            deck_id,
            format,
            rows: 0,
            words_imported: 0,
            words_already_in_deck: 0,
            cards_created: 0,
            reviews_imported: 0,
            failed: 0,
            errors: Vec::new(),
        }
    }

    pub fn record_error(&mut self, error: RowError) {
        self.failed += 1;
        if self.errors.len() < MAX_REPORTED_ERRORS {
            self.errors.push(error);
        }
    }
}
