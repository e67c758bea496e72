//! A dictionary entry as Lingo keeps it, whatever the source: senses, pronunciations,
//! translations and forms, with the provenance of every entry.

use crate::normalise::fold_key;
use chrono::{DateTime, Utc};
use lingo_kernel::LanguageCode;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Where an entry came from: a provider or an imported dictionary (`free-dictionary-api`,
/// `wiktionary`, `freedict-eng-ara`, `wordnet-3.0`). Lower-case ASCII, digits, `-`, `.`, `_`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct SourceId(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a source id is 1 to 64 characters of a-z, 0-9, '-', '.' or '_' (got '{0}')")]
pub struct SourceIdError(pub String);

impl SourceId {
    pub fn parse(raw: &str) -> Result<Self, SourceIdError> {
        let ok = (1..=64).contains(&raw.len())
            && raw
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-._".contains(c));
        if ok {
            Ok(Self(raw.to_owned()))
        } else {
            Err(SourceIdError(raw.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for SourceId {
    type Error = SourceIdError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<SourceId> for String {
    fn from(value: SourceId) -> Self {
        value.0
    }
}

impl fmt::Display for SourceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A part of speech, normalised to a small vocabulary so that sources agree ("n", "Noun" and
/// "noun" are one). Unknown tags are kept, lower-cased; the empty string means "unknown".
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub struct PartOfSpeech(String);

impl PartOfSpeech {
    pub fn parse(raw: &str) -> Self {
        let lower = raw.trim().to_lowercase();
        let canonical = match lower.as_str() {
            "n" | "noun" | "n." | "nn" | "nns" | "proper noun" | "name" => "noun",
            "v" | "verb" | "v." | "vb" | "vi" | "vt" => "verb",
            "a" | "s" | "adj" | "adj." | "adjective" | "jj" => "adjective",
            "r" | "adv" | "adv." | "adverb" | "rb" => "adverb",
            "pron" | "pronoun" | "prn" => "pronoun",
            "prep" | "preposition" | "prep." => "preposition",
            "conj" | "conjunction" => "conjunction",
            "interj" | "interjection" | "intj" => "interjection",
            "det" | "determiner" | "article" | "art" => "determiner",
            "num" | "numeral" | "number" => "numeral",
            "phrase" | "phr" | "idiom" => "phrase",
            other => other,
        };
        Self(canonical.chars().take(32).collect())
    }

    pub fn unknown() -> Self {
        Self(String::new())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_unknown(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<String> for PartOfSpeech {
    fn from(value: String) -> Self {
        Self::parse(&value)
    }
}

impl From<PartOfSpeech> for String {
    fn from(value: PartOfSpeech) -> Self {
        value.0
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Example {
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub translation: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sense {
    /// Plain text: adapters strip markup before it gets here.
    pub gloss: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<Example>,
    /// Register, domain and usage labels ("informal", "law", "archaic").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub synonyms: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pronunciation {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipa: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio_url: Option<String>,
    /// Accent or region ("US", "UK"), when the source says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accent: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Translation {
    pub language: LanguageCode,
    pub text: String,
    /// Which sense it translates, in the source's words, when it says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sense: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Form {
    pub form: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
}

/// Where an entry came from and under which licence; `retrieved_at` is when a provider answered
/// or a file was imported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Provenance {
    pub source: SourceId,
    pub licence: String,
    pub retrieved_at: DateTime<Utc>,
    /// The provider URL or the imported file's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
}

/// One entry of one source for one headword and part of speech. A source may hold several
/// entries for one headword (homographs): `discriminator` tells them apart and, with the source,
/// language and lemma, makes the entry's stable id (so re-importing replaces, never duplicates).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub language: LanguageCode,
    /// The normalised lemma (see `normalise`).
    pub lemma: String,
    /// The headword as the source spells it.
    pub headword: String,
    pub part_of_speech: PartOfSpeech,
    pub discriminator: String,
    #[serde(default)]
    pub senses: Vec<Sense>,
    #[serde(default)]
    pub pronunciations: Vec<Pronunciation>,
    #[serde(default)]
    pub translations: Vec<Translation>,
    #[serde(default)]
    pub forms: Vec<Form>,
    pub provenance: Provenance,
}

impl Entry {
    /// `source|language|lemma key|discriminator`: the id stores upsert on.
    pub fn id(&self) -> String {
        entry_id(
            &self.provenance.source,
            &self.language,
            &self.lemma,
            &self.discriminator,
        )
    }

    pub fn lemma_key(&self) -> String {
        fold_key(&self.lemma)
    }

    /// Whether it says anything a learner can use.
    pub fn has_content(&self) -> bool {
        !self.senses.is_empty() || !self.translations.is_empty()
    }
}

pub fn entry_id(
    source: &SourceId,
    language: &LanguageCode,
    lemma: &str,
    discriminator: &str,
) -> String {
    format!("{source}|{language}|{}|{discriminator}", fold_key(lemma))
}

/// What every id of an entry of `source` in `language` starts with, and no other entry's id
/// does: neither a source id nor a language code contains `|`. (The ids of one source sort
/// together, so a store can walk a source in id order on its id index alone.)
pub fn entry_id_prefix(source: &SourceId, language: &LanguageCode) -> String {
    format!("{source}|{language}|")
}

/// A provider response or an imported record exactly as received, kept for re-processing when
/// the normaliser improves. `key` is stable per record, so storing it twice replaces it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RawRecord {
    pub source: SourceId,
    pub language: LanguageCode,
    pub lemma: String,
    pub key: String,
    /// `json` (payload is a JSON value) or `text` (payload is a string).
    pub format: String,
    pub payload: serde_json::Value,
    pub received_at: DateTime<Utc>,
}

impl RawRecord {
    pub fn id(&self) -> String {
        format!("{}|{}|{}", self.source, self.language, self.key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_ids_are_restricted() {
        assert!(SourceId::parse("freedict-eng-ara").is_ok());
        assert!(SourceId::parse("wordnet-3.0").is_ok());
        assert!(SourceId::parse("Free Dict").is_err());
        assert!(SourceId::parse("").is_err());
    }

    #[test]
    fn parts_of_speech_are_canonical() {
        assert_eq!(PartOfSpeech::parse("Noun").as_str(), "noun");
        assert_eq!(PartOfSpeech::parse("v").as_str(), "verb");
        assert_eq!(PartOfSpeech::parse("s").as_str(), "adjective");
        assert_eq!(PartOfSpeech::parse("suffix").as_str(), "suffix");
        assert!(PartOfSpeech::parse(" ").is_unknown());
    }

    #[test]
    fn entry_ids_ignore_case_of_the_lemma() {
        let source = SourceId::parse("wordnet-3.0").expect("valid");
        let en = LanguageCode::english();
        assert_eq!(
            entry_id(&source, &en, "House", "noun"),
            entry_id(&source, &en, "house", "noun")
        );
    }
}
