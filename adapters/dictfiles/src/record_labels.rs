//! What every record of one import shares: source, licence, language, import time and the file
//! name; and the constructors of entries, raw records and errors built from it.

use crate::strip_markup::clean_text;
use chrono::{DateTime, Utc};
use lingo_dictionary::import::{ImportSpec, MalformedRecord, ReadError};
use lingo_dictionary::normalise::normalise;
use lingo_dictionary::{Entry, Lemma, LemmaError, PartOfSpeech, Provenance, RawRecord};
use lingo_kernel::LanguageCode;
use std::path::Path;

#[derive(Debug, Clone)]
pub(crate) struct RecordLabels {
    pub(crate) language: LanguageCode,
    provenance: Provenance,
}

impl RecordLabels {
    pub(crate) fn new(spec: &ImportSpec, retrieved_at: DateTime<Utc>) -> Self {
        let origin = Path::new(&spec.path)
            .file_name()
            .map(|name| name.to_string_lossy().into_owned());
        Self {
            language: spec.language.clone(),
            provenance: Provenance {
                source: spec.source.clone(),
                licence: spec.licence.clone(),
                retrieved_at,
                origin,
            },
        }
    }

    /// An entry with no content yet. The headword is cleaned of markup; the lemma is its
    /// normalised form, and must be a valid [`Lemma`] (not empty, not overlong).
    pub(crate) fn entry(
        &self,
        headword: &str,
        part_of_speech: PartOfSpeech,
        discriminator: String,
    ) -> Result<Entry, LemmaError> {
        let headword = clean_text(headword);
        let lemma = Lemma::parse(&normalise(&headword))?;
        Ok(Entry {
            language: self.language.clone(),
            lemma: lemma.into(),
            headword,
            part_of_speech,
            discriminator,
            senses: Vec::new(),
            pronunciations: Vec::new(),
            translations: Vec::new(),
            forms: Vec::new(),
            provenance: self.provenance.clone(),
        })
    }

    /// A raw record whose payload is the record's text as read.
    pub(crate) fn raw_text(&self, lemma: &str, key: String, text: &str) -> RawRecord {
        self.raw(
            lemma,
            key,
            "text",
            serde_json::Value::String(text.to_owned()),
        )
    }

    pub(crate) fn raw_json(&self, lemma: &str, key: String, value: serde_json::Value) -> RawRecord {
        self.raw(lemma, key, "json", value)
    }

    fn raw(&self, lemma: &str, key: String, format: &str, payload: serde_json::Value) -> RawRecord {
        RawRecord {
            source: self.provenance.source.clone(),
            language: self.language.clone(),
            lemma: normalise(&clean_text(lemma)),
            key,
            format: format.to_owned(),
            payload,
            received_at: self.provenance.retrieved_at,
        }
    }
}

pub(crate) fn malformed(line: u64, reason: impl Into<String>) -> ReadError {
    ReadError::Malformed(MalformedRecord {
        line,
        reason: reason.into(),
    })
}

/// An input that cannot be read at all; the path is named so the report says which file.
pub(crate) fn unreadable(path: &Path, error: impl std::fmt::Display) -> ReadError {
    ReadError::Io(format!("{}: {error}", path.display()))
}

/// Whether two language tags name the same language, ignoring script and region when either
/// side leaves them out ("pt" and "pt-BR").
pub(crate) fn same_language(a: &LanguageCode, b: &LanguageCode) -> bool {
    a == b || a.primary() == b.as_str() || b.primary() == a.as_str()
}
