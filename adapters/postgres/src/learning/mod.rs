//! Decks, cards, reviews and statistics on PostgreSQL.

mod activity;
mod card_row;
mod cards;
mod deck_contents;
mod decks;
mod export_section;
mod import_cards;
mod quiz_candidates;
mod quizzes;
mod resolve_word;
mod review_sql;
mod reviews;
mod stats;
mod study;
mod sync;
mod tombstones;
mod undo;

pub use activity::PgActivityDays;
pub use cards::PgCardStore;
pub use deck_contents::PgDeckContents;
pub use decks::PgDeckStore;
pub use export_section::PgLearningExport;
pub(crate) use export_section::json_section;
pub use quizzes::PgQuizStore;
pub use sync::PgChangeFeed;
pub use tombstones::PgTombstones;

use lingo_learning::ports::LearningStoreError;

fn unavailable(e: impl std::fmt::Display) -> LearningStoreError {
    LearningStoreError::Unavailable(format!("database: {e}"))
}

fn from_diesel(e: diesel::result::Error) -> LearningStoreError {
    match e {
        diesel::result::Error::NotFound => LearningStoreError::NotFound,
        other => unavailable(other),
    }
}

/// Errors inside a transaction: the store's own, or the database's (which roll it back).
#[derive(Debug)]
enum TxError {
    Store(LearningStoreError),
    Database(diesel::result::Error),
}

impl From<diesel::result::Error> for TxError {
    fn from(e: diesel::result::Error) -> Self {
        Self::Database(e)
    }
}

impl From<LearningStoreError> for TxError {
    fn from(e: LearningStoreError) -> Self {
        Self::Store(e)
    }
}

impl From<TxError> for LearningStoreError {
    fn from(e: TxError) -> Self {
        match e {
            TxError::Store(e) => e,
            TxError::Database(e) => from_diesel(e),
        }
    }
}
