//! dictd dictionaries (FreeDict and others): the index is read and sorted by offset, then the
//! `.dict.dz` (dictzip, read as plain gzip) or `.dict` is decompressed once, front to back,
//! cutting out each entry in turn. One record per index line, in offset order; the malformed
//! index lines come first.

use crate::dictd_entry_text::parse_entry_text;
use crate::dictd_index::{IndexEntry, read_index};
use crate::dictd_stream::DictStream;
use crate::record_labels::{RecordLabels, malformed, unreadable};
use chrono::{DateTime, Utc};
use flate2::read::MultiGzDecoder;
use lingo_dictionary::import::{ImportSpec, ImportedRecord, MalformedRecord, ReadError};
use lingo_dictionary::normalise::{fold_key, normalise};
use lingo_dictionary::ports::{ReadPosition, RecordReader};
use lingo_dictionary::{PartOfSpeech, Pronunciation, Translation};
use lingo_kernel::LanguageCode;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

pub(crate) struct DictdReader {
    labels: RecordLabels,
    translation_language: LanguageCode,
    malformed: std::vec::IntoIter<MalformedRecord>,
    entries: std::vec::IntoIter<IndexEntry>,
    dict: DictStream,
    dict_path: PathBuf,
    /// Where the last entry ends in the uncompressed text.
    total: u64,
    failed: bool,
}

impl DictdReader {
    pub(crate) fn open(spec: &ImportSpec, retrieved_at: DateTime<Utc>) -> Result<Self, ReadError> {
        let translation_language = spec.translation_language.clone().ok_or_else(|| {
            ReadError::Io("a dictd import needs the language of its translations".to_owned())
        })?;
        let index_path = Path::new(&spec.path);
        let dict_path = dict_beside(index_path)?;
        let index = read_index(index_path)?;
        let file = File::open(&dict_path).map_err(|e| unreadable(&dict_path, e))?;
        let compressed = dict_path
            .extension()
            .is_some_and(|ext| ext == "dz" || ext == "gz");
        let text: Box<dyn Read + Send> = if compressed {
            Box::new(MultiGzDecoder::new(BufReader::new(file)))
        } else {
            Box::new(BufReader::new(file))
        };
        tracing::debug!(
            entries = index.entries.len(),
            malformed = index.malformed.len(),
            dict = %dict_path.display(),
            "dictd index read"
        );
        Ok(Self {
            labels: RecordLabels::new(spec, retrieved_at),
            translation_language,
            total: index.entries.iter().map(IndexEntry::end).max().unwrap_or(0),
            malformed: index.malformed.into_iter(),
            entries: index.entries.into_iter(),
            dict: DictStream::new(text),
            dict_path,
            failed: false,
        })
    }

    fn record(&self, entry: &IndexEntry, text: &str) -> Result<ImportedRecord, ReadError> {
        let key_word = entry.original.as_deref().unwrap_or(&entry.headword);
        if entry.is_metadata() {
            return Ok(ImportedRecord {
                line: entry.line,
                raw: self.labels.raw_text(key_word, key_word.to_owned(), text),
                entries: Vec::new(),
            });
        }
        let parsed = parse_entry_text(text, key_word);
        let headword = parsed.headword.as_deref().unwrap_or(key_word);
        let part_of_speech = parsed.part_of_speech.unwrap_or_else(PartOfSpeech::unknown);
        let mut built = self
            .labels
            .entry(headword, part_of_speech, entry.ordinal.to_string())
            .map_err(|e| malformed(entry.line, e.to_string()))?;
        // The index spelling is the dictionary's lookup key; the text may capitalise it.
        built.lemma = normalise(key_word);
        built.pronunciations = parsed
            .pronunciations
            .into_iter()
            .map(|ipa| Pronunciation {
                ipa: Some(ipa),
                audio_url: None,
                accent: None,
            })
            .collect();
        built.translations = parsed
            .translations
            .into_iter()
            .map(|text| Translation {
                language: self.translation_language.clone(),
                text,
                sense: None,
            })
            .collect();
        let key = format!("{}#{}", fold_key(key_word), entry.ordinal);
        Ok(ImportedRecord {
            line: entry.line,
            raw: self.labels.raw_text(key_word, key, text),
            entries: vec![built],
        })
    }
}

impl RecordReader for DictdReader {
    fn next_record(&mut self) -> Option<Result<ImportedRecord, ReadError>> {
        if self.failed {
            return None;
        }
        if let Some(bad) = self.malformed.next() {
            return Some(Err(ReadError::Malformed(bad)));
        }
        let entry = self.entries.next()?;
        let text = match self.dict.range(entry.offset, entry.length) {
            Err(e) => {
                self.failed = true;
                return Some(Err(unreadable(&self.dict_path, e)));
            }
            Ok(None) => {
                return Some(Err(malformed(
                    entry.line,
                    format!(
                        "entry at offset {} ({} bytes) lies beyond the end of the dictionary text ({} bytes)",
                        entry.offset,
                        entry.length,
                        self.dict.position()
                    ),
                )));
            }
            Ok(Some(bytes)) => match std::str::from_utf8(bytes) {
                Ok(text) => text.to_owned(),
                Err(e) => {
                    return Some(Err(malformed(
                        entry.line,
                        format!("entry text is not UTF-8 (byte {})", e.valid_up_to()),
                    )));
                }
            },
        };
        Some(self.record(&entry, &text))
    }

    fn position(&self) -> ReadPosition {
        ReadPosition {
            done: self.dict.position().min(self.total),
            total: Some(self.total),
        }
    }
}

/// `name.index` → `name.dict.dz`, else `name.dict`.
fn dict_beside(index_path: &Path) -> Result<PathBuf, ReadError> {
    let Some(base) = index_path.to_str().and_then(|p| p.strip_suffix(".index")) else {
        return Err(unreadable(
            index_path,
            "a dictd import names the .index file",
        ));
    };
    [format!("{base}.dict.dz"), format!("{base}.dict")]
        .into_iter()
        .map(PathBuf::from)
        .find(|candidate| candidate.is_file())
        .ok_or_else(|| unreadable(index_path, "no .dict.dz or .dict file beside it"))
}
