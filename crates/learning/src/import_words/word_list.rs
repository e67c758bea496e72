//! What a reader makes of an uploaded word list or Anki package: rows of unchecked text (the
//! domain parses them in `prepare_words`), the rows it could not read, and the review history
//! of each Anki card. The reading itself (CSV, zip, SQLite) is an adapter behind
//! [`WordListFiles`].

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

/// The kinds of file a learner imports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WordListFormat {
    /// Comma- or semicolon-separated: word, then optional translation and note columns.
    Csv,
    /// Tab-separated, the same columns.
    Tsv,
    /// An Anki package (`.apkg`): a zip holding `collection.anki21` or `collection.anki2`.
    Apkg,
}

impl WordListFormat {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "csv" => Some(Self::Csv),
            "tsv" => Some(Self::Tsv),
            "apkg" => Some(Self::Apkg),
            _ => None,
        }
    }

    /// The format a request's media type names (parameters such as `charset` ignored).
    pub fn from_media_type(media_type: &str) -> Option<Self> {
        let essence = media_type.split(';').next().unwrap_or("").trim();
        match essence.to_ascii_lowercase().as_str() {
            "text/csv" => Some(Self::Csv),
            "text/tab-separated-values" => Some(Self::Tsv),
            "application/vnd.anki" | "application/apkg" | "application/zip" => Some(Self::Apkg),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Tsv => "tsv",
            Self::Apkg => "apkg",
        }
    }
}

/// What a reader refuses to go past: a file breaking one is refused whole, with the limit named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadLimits {
    /// Rows (CSV/TSV) or notes (Anki) in one file.
    pub max_rows: usize,
    /// Bytes an Anki package's collection may hold once uncompressed (zip bombs).
    pub max_uncompressed_bytes: u64,
    /// Review-log entries read from one Anki package.
    pub max_reviews: usize,
}

impl Default for ReadLimits {
    fn default() -> Self {
        Self {
            max_rows: 20_000,
            max_uncompressed_bytes: 256 * 1024 * 1024,
            max_reviews: 500_000,
        }
    }
}

/// A row (CSV/TSV, by its first line) or an Anki note (by its id) that was not imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    /// 1-based line of a CSV/TSV row.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// The Anki note's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note_id: Option<i64>,
    pub reason: String,
}

impl RowError {
    pub fn at_line(line: u64, reason: impl Into<String>) -> Self {
        Self {
            line: Some(line),
            note_id: None,
            reason: reason.into(),
        }
    }

    pub fn of_note(note_id: i64, reason: impl Into<String>) -> Self {
        Self {
            line: None,
            note_id: Some(note_id),
            reason: reason.into(),
        }
    }
}

/// One Anki card of a note: its template's ordinal and its review log, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct ListedCard {
    pub template: u32,
    pub revlog: Vec<crate::import_words::RevlogEntry>,
}

/// One row or note as read: plain text (markup removed), not yet checked.
#[derive(Debug, Clone, PartialEq)]
pub struct ListedWord {
    pub line: Option<u64>,
    pub note_id: Option<i64>,
    pub lemma: String,
    pub translation: Option<String>,
    pub note: Option<String>,
    pub tags: Vec<String>,
    /// Anki only: the note's cards.
    pub cards: Vec<ListedCard>,
}

impl ListedWord {
    /// An error about this row or note.
    pub fn error(&self, reason: impl Into<String>) -> RowError {
        RowError {
            line: self.line,
            note_id: self.note_id,
            reason: reason.into(),
        }
    }
}

/// A file read: its words in file order and the rows that could not be read at all.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WordList {
    pub words: Vec<ListedWord>,
    pub errors: Vec<RowError>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WordListError {
    /// The file could not be read now (a missing mount, an I/O error): worth a retry.
    #[error("the upload cannot be read: {0}")]
    Unreadable(String),
    /// The file is not what it claims or breaks a limit: retrying cannot help.
    #[error("{0}")]
    Invalid(String),
}

/// Uploaded files, on the machine that runs the import.
#[async_trait]
pub trait WordListFiles: Send + Sync {
    /// Reads the whole file at `path` as `format`, within `limits`.
    async fn read(
        &self,
        path: &str,
        format: WordListFormat,
        limits: &ReadLimits,
    ) -> Result<WordList, WordListError>;
    /// Removes the upload once it is imported (or can never be); a failure is logged only.
    async fn remove(&self, path: &str);
}
