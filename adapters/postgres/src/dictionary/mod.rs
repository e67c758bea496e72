//! The dictionary's PostgreSQL side: word metadata and search, frequency lists, lemma tables,
//! import checkpoints and the words a learner already studies.

mod decode;
mod frequencies;
mod import_checkpoints;
mod learner_vocabulary;
mod lemma_table;
mod word_moderation;
mod word_repository;
mod word_row;
mod word_search;
mod word_upsert;

pub use frequencies::PgFrequencies;
pub use import_checkpoints::PgImportCheckpoints;
pub use learner_vocabulary::PgLearnerVocabulary;
pub use lemma_table::PgLemmaTable;
pub use word_moderation::PgWordModeration;
pub use word_repository::PgWordRepository;

use lingo_dictionary::ports::StoreError;

/// Rows per statement for bulk loads: large enough to amortise round trips, small enough that
/// one statement's arrays stay a few hundred kilobytes.
const LOAD_CHUNK_ROWS: usize = 5_000;

fn unavailable(e: impl std::fmt::Display) -> StoreError {
    StoreError::Unavailable(format!("database: {e}"))
}

fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {e}"))
}
