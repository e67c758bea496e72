//! The dictionary domain: words, entries, lookups and imports. The foundation holds the value
//! types every later use case parses its input into; the use cases arrive with the dictionary
//! issue.

mod lemma;

pub use lemma::{Lemma, LemmaError};
