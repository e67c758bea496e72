//! The lookup an answer belongs to: the response kept as received, and the provenance its
//! entries are normalised with.

use chrono::{DateTime, Utc};
use lingo_dictionary::normalise::{fold_key, normalise};
use lingo_dictionary::{Provenance, RawRecord, SourceId};
use lingo_kernel::LanguageCode;

/// The lookup an answer belongs to.
#[derive(Debug, Clone)]
pub(crate) struct Lookup<'a> {
    pub source: &'a SourceId,
    pub language: &'a LanguageCode,
    /// The word as asked for, trimmed.
    pub word: &'a str,
    pub url: &'a str,
    pub received_at: DateTime<Utc>,
}

impl Lookup<'_> {
    /// The response body as received, keyed by the fold key of the word asked for.
    pub(crate) fn raw_record(&self, payload: serde_json::Value) -> RawRecord {
        let lemma = normalise(self.word);
        RawRecord {
            source: self.source.clone(),
            language: self.language.clone(),
            key: fold_key(&lemma),
            lemma,
            format: "json".to_owned(),
            payload,
            received_at: self.received_at,
        }
    }

    pub(crate) fn provenance(&self, licence: &str) -> Provenance {
        Provenance {
            source: self.source.clone(),
            licence: licence.to_owned(),
            retrieved_at: self.received_at,
            origin: Some(self.url.to_owned()),
        }
    }
}

/// Trimmed, and `None` when nothing is left.
pub(crate) fn non_empty(text: Option<&str>) -> Option<String> {
    text.map(str::trim)
        .filter(|text| !text.is_empty())
        .map(str::to_owned)
}
