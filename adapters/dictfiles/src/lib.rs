//! Readers for the dictionary files users bring to a bulk import: the dictionary domain's
//! [`RecordFormats`] port, one reader per [`ImportFormat`].
//!
//! - dictd (FreeDict and others): the `.index` file, with the `.dict.dz` or `.dict` beside it;
//! - WordNet 3.0 database files (`index.*` and `data.*`);
//! - Wiktextract / kaikki.org JSON lines;
//! - CSV and TSV word lists (`word, translation, example`).
//!
//! Every reader streams with bounded memory (the dictd index and nothing else is held whole),
//! reports a malformed record with its line number and goes on, and returns
//! [`ReadError::Io`] only when the input cannot be read at all. The request is checked against
//! the configured import roots before the job is enqueued, and every file a reader opens is
//! checked again, links resolved, when the job runs (`allowed_roots`).

mod allowed_roots;
mod csv_fields;
mod dictd_entry_text;
mod dictd_index;
mod dictd_stream;
mod import_files;
mod kaikki_entry;
mod line_reader;
mod read_dictd;
mod read_kaikki;
mod read_word_list;
mod read_wordnet;
mod record_labels;
mod strip_markup;
mod word_list_columns;
mod wordnet_lines;

pub use import_files::LocalImportFiles;

/// The text rules other readers of users' files share (the learner import in
/// `lingo-learner-files`): RFC 4180 fields and delimiter sniffing, markup to plain text.
pub mod text {
    pub use crate::csv_fields::{sniff_delimiter, split_fields};
    pub use crate::strip_markup::clean_text;
}

use chrono::{DateTime, Utc};
use lingo_dictionary::import::{ImportFormat, ImportSpec, ReadError};
use lingo_dictionary::ports::{RecordFormats, RecordReader};

/// The file formats Lingo imports; each `open` returns an independent reader.
#[derive(Debug, Clone)]
pub struct FileFormats {
    roots: allowed_roots::AllowedRoots,
}

impl FileFormats {
    /// Reads only files that lie inside `roots` once links are resolved (the worker's imports).
    pub fn within_roots<P: AsRef<std::path::Path>>(roots: &[P]) -> Self {
        Self {
            roots: allowed_roots::AllowedRoots::new(roots),
        }
    }

    /// Reads any path (tools, benchmarks and tests reading fixtures).
    pub fn unrestricted() -> Self {
        Self {
            roots: allowed_roots::AllowedRoots::unrestricted(),
        }
    }
}

impl RecordFormats for FileFormats {
    #[tracing::instrument(skip(self, spec), fields(format = ?spec.format, path = %spec.path, source = %spec.source))]
    fn open(
        &self,
        spec: &ImportSpec,
        retrieved_at: DateTime<Utc>,
    ) -> Result<Box<dyn RecordReader>, ReadError> {
        self.roots.check(spec)?;
        Ok(match spec.format {
            ImportFormat::Dictd => Box::new(read_dictd::DictdReader::open(spec, retrieved_at)?),
            ImportFormat::Wordnet => {
                Box::new(read_wordnet::WordnetReader::open(spec, retrieved_at)?)
            }
            ImportFormat::Kaikki => Box::new(read_kaikki::KaikkiReader::open(spec, retrieved_at)?),
            ImportFormat::Csv => Box::new(read_word_list::WordListReader::open(
                spec,
                retrieved_at,
                read_word_list::Separator::CommaOrSemicolon,
            )?),
            ImportFormat::Tsv => Box::new(read_word_list::WordListReader::open(
                spec,
                retrieved_at,
                read_word_list::Separator::Tab,
            )?),
        })
    }
}
