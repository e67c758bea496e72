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
//! [`ReadError::Io`] only when the input cannot be read at all. Paths are trusted: the caller
//! checks them against the configured import roots before the job is enqueued.

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

use chrono::{DateTime, Utc};
use lingo_dictionary::import::{ImportFormat, ImportSpec, ReadError};
use lingo_dictionary::ports::{RecordFormats, RecordReader};

/// The file formats Lingo imports. Stateless: each `open` returns an independent reader.
#[derive(Debug, Clone, Copy, Default)]
pub struct FileFormats;

impl FileFormats {
    pub fn new() -> Self {
        Self
    }
}

impl RecordFormats for FileFormats {
    #[tracing::instrument(skip(self, spec), fields(format = ?spec.format, path = %spec.path, source = %spec.source))]
    fn open(
        &self,
        spec: &ImportSpec,
        retrieved_at: DateTime<Utc>,
    ) -> Result<Box<dyn RecordReader>, ReadError> {
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
