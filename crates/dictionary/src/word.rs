//! A word's structured metadata (one row per language, lemma and part of speech) and the
//! assembled result of a lookup.

use crate::entry::{Entry, PartOfSpeech, SourceId};
use crate::frequency::Zipf;
use chrono::{DateTime, Utc};
use lingo_kernel::{CefrLevel, LanguageCode, WordId};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WordMetadata {
    pub id: WordId,
    pub language: LanguageCode,
    pub lemma: String,
    pub part_of_speech: PartOfSpeech,
    pub zipf: Option<Zipf>,
    pub cefr: Option<CefrLevel>,
    /// Sources holding entries for it, sorted.
    pub sources: Vec<SourceId>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What an import or a provider answer records about a word. Upserting the same value twice
/// leaves one row; a second source is added to `sources`.
#[derive(Debug, Clone, PartialEq)]
pub struct WordUpsert {
    pub language: LanguageCode,
    pub lemma: String,
    pub part_of_speech: PartOfSpeech,
    pub source: SourceId,
    pub zipf: Option<Zipf>,
    pub cefr: Option<CefrLevel>,
}

/// The answer to "what is this word?": metadata rows and every stored entry, from any source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WordLookup {
    pub language: LanguageCode,
    pub lemma: String,
    /// What was asked for, when it differs from the lemma ("went" for "go").
    pub query: Option<String>,
    pub zipf: Option<Zipf>,
    pub cefr: Option<CefrLevel>,
    pub words: Vec<WordMetadata>,
    pub entries: Vec<Entry>,
    /// Other words the form may be, each with entries of its own: "rose" (the flower) is also
    /// the past of "rise". Fold keys, best first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_lemmas: Vec<String>,
    /// The lemma spoken: a source's licensed audio, else rendered audio once it exists. Added
    /// after the cache (rendered audio appears without waiting for the cached lookup to expire).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio_url: Option<String>,
    /// Rendered audio is on its way (`speech.render` enqueued).
    #[serde(default)]
    pub audio_pending: bool,
}

/// A search result row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    pub id: WordId,
    pub lemma: String,
    pub part_of_speech: PartOfSpeech,
    pub zipf: Option<Zipf>,
    pub cefr: Option<CefrLevel>,
    /// Trigram similarity to the query, 0 to 1 (1 for prefix matches).
    pub score: f32,
}
