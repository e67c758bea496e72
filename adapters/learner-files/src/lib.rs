//! The files learners import into their decks (docs/learner-import.md): CSV and TSV word lists
//! and Anki packages, read from the upload directory the api writes them to. Implements the
//! learning domain's [`WordListFiles`] port; reading is blocking (files, SQLite) and runs on a
//! blocking thread.
//!
//! - `read_csv`: word, translation, note and tags columns, by header or position;
//! - `read_apkg`: the zip, the uncompressed-size cap, note fields to word/translation/note;
//! - `anki_schema`: the collection's tables (schema 11), shareable with a package writer.

pub mod anki_schema;
mod read_apkg;
mod read_csv;

use async_trait::async_trait;
use lingo_learning::import_words::{
    ReadLimits, WordList, WordListError, WordListFiles, WordListFormat,
};
use std::path::{Path, PathBuf};

/// Reads uploads inside one directory (the learners' upload directory): a job naming a path
/// elsewhere is refused, links resolved.
#[derive(Debug, Clone)]
pub struct LocalWordListFiles {
    upload_dir: PathBuf,
}

impl LocalWordListFiles {
    pub fn new(upload_dir: impl Into<PathBuf>) -> Self {
        Self {
            upload_dir: upload_dir.into(),
        }
    }

    fn inside(&self, path: &Path) -> Result<PathBuf, WordListError> {
        let canonical = path.canonicalize().map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => {
                WordListError::Invalid("the upload is gone (imported already?)".into())
            }
            _ => WordListError::Unreadable(e.to_string()),
        })?;
        let root = self
            .upload_dir
            .canonicalize()
            .map_err(|e| WordListError::Unreadable(e.to_string()))?;
        if canonical.starts_with(&root) {
            Ok(canonical)
        } else {
            Err(WordListError::Invalid(
                "the upload is outside the upload directory".into(),
            ))
        }
    }
}

/// Reads `path` as `format` (blocking).
pub fn read_file(
    path: &Path,
    format: WordListFormat,
    limits: &ReadLimits,
) -> Result<WordList, WordListError> {
    match format {
        WordListFormat::Apkg => read_apkg::read(path, limits),
        WordListFormat::Csv | WordListFormat::Tsv => {
            let bytes =
                std::fs::read(path).map_err(|e| WordListError::Unreadable(e.to_string()))?;
            let separator = if format == WordListFormat::Tsv {
                read_csv::Separator::Tab
            } else {
                read_csv::Separator::CommaOrSemicolon
            };
            read_csv::read(&bytes, separator, limits)
        }
    }
}

#[async_trait]
impl WordListFiles for LocalWordListFiles {
    #[tracing::instrument(skip(self, format, limits), fields(format = format.as_str()))]
    async fn read(
        &self,
        path: &str,
        format: WordListFormat,
        limits: &ReadLimits,
    ) -> Result<WordList, WordListError> {
        let path = self.inside(Path::new(path))?;
        let limits = *limits;
        tokio::task::spawn_blocking(move || read_file(&path, format, &limits))
            .await
            .map_err(|e| {
                if e.is_panic() {
                    // The same file would stop it again: not worth a retry.
                    WordListError::Invalid("the file could not be read".into())
                } else {
                    WordListError::Unreadable(format!("the reader stopped: {e}"))
                }
            })?
    }

    async fn remove(&self, path: &str) {
        let Ok(path) = self.inside(Path::new(path)) else {
            return;
        };
        if let Err(e) = tokio::fs::remove_file(&path).await {
            tracing::warn!(path = %path.display(), error = %e, "imported upload not removed");
        }
    }
}
