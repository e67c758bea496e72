//! The dictionary domain: words and their entries, lookups through stores and external
//! providers, bulk imports, lemmatisation and the vocabulary of a text. No I/O here: every store,
//! provider and file format is a port (`ports`), implemented in `adapters/`.

pub mod analyse_text;
pub mod entry;
pub mod frequency;
pub mod import;
mod learner_lemma;
mod lemma;
pub mod lemmatise;
pub mod lookup;
pub mod meaning;
pub mod moderation;
pub mod normalise;
pub mod ports;
pub mod reconcile;
pub mod reference_data;
pub mod request_import;
pub mod request_reconcile;
pub mod speech;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod tokenise;
pub mod word;

pub use entry::{
    Entry, Example, Form, PartOfSpeech, Pronunciation, Provenance, RawRecord, Sense, SourceId,
    Translation,
};
pub use frequency::Zipf;
pub use learner_lemma::{LearnerLemma, LearnerLemmaError, MAX_LEARNER_LEMMA_CHARS};
pub use lemma::{Lemma, LemmaError, MAX_LEMMA_CHARS};
pub use word::{SearchHit, WordLookup, WordMetadata, WordUpsert};
