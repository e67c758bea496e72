//! Learners bring their own words (docs/learner-import.md): a CSV or TSV word list, or an Anki
//! package, uploaded into one of their decks and imported by the `learning.import_words` job.
//! Each row or note becomes a word of the deck with the learner's translation, note and tags;
//! an Anki card's review history becomes its FSRS state (replayed through the learner's own
//! scheduler) and its review log. Rows that cannot be imported are reported, never fatal.
//!
//! - `word_list`: what a reader makes of an uploaded file (the [`WordListFiles`] port);
//! - `anki_history`: an Anki revlog as the reviews FSRS replays;
//! - `prepare_words`: rows into parsed words, cards and folded histories (pure);
//! - `request_import`: the upload and the job's enqueueing (the api);
//! - `run_import`: the job (the worker).

mod anki_history;
mod job;
mod prepare_words;
mod request_import;
mod run_import;
mod word_list;

pub use anki_history::{ReplayableReview, RevlogEntry, replayable_reviews};
pub use job::{ImportWords, ImportWordsReport, MAX_REPORTED_ERRORS};
pub use prepare_words::{
    ImportedCard, ImportedReview, ImportedWord, PreparedRows, StoredWord, card_type_of_template,
    prepare,
};
pub use request_import::{LearnerImportError, LearnerImportRequests, LearnerUpload};
pub use run_import::{ImportWordsDeps, ImportWordsService, ImportedCards};
pub use word_list::{
    ListedCard, ListedWord, ReadLimits, RowError, WordList, WordListError, WordListFiles,
    WordListFormat,
};
