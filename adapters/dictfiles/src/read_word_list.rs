//! CSV and TSV word lists (`word, translation, example`), one record per row. CSV uses `,` or
//! `;` (whichever the first line has more of, outside quotes); a UTF-8 byte-order mark is
//! skipped; a header row is recognised by its column names.
//!
//! Several rows for one word are several entries: each entry's discriminator is a hash of its
//! meaning, so re-importing a list, even reordered, replaces entries instead of adding copies.

use crate::csv_fields::{sniff_delimiter, split_fields};
use crate::line_reader::LineReader;
use crate::record_labels::{RecordLabels, malformed, unreadable};
use crate::strip_markup::clean_text;
use crate::word_list_columns::{Column, Columns};
use chrono::{DateTime, Utc};
use lingo_dictionary::import::{ImportSpec, ImportedRecord, ReadError};
use lingo_dictionary::normalise::fold_key;
use lingo_dictionary::ports::{ReadPosition, RecordReader};
use lingo_dictionary::{Entry, Example, LemmaError, PartOfSpeech, Sense, Translation};
use lingo_kernel::LanguageCode;
use std::fs::File;
use std::io::BufReader;
use std::path::PathBuf;

const BOM: char = '\u{feff}';

/// A quoted field may span lines, up to this many bytes for the whole record.
const MAX_RECORD_BYTES: usize = 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Separator {
    CommaOrSemicolon,
    Tab,
}

/// The cells of one row, by role.
#[derive(Debug, Default)]
struct Row {
    word: String,
    translation: String,
    definition: String,
    example: String,
    part_of_speech: String,
}

pub(crate) struct WordListReader {
    labels: RecordLabels,
    translation_language: Option<LanguageCode>,
    lines: LineReader<BufReader<File>>,
    separator: Separator,
    /// Sniffed from the first line for CSV.
    delimiter: Option<char>,
    /// Known after the first row.
    columns: Option<Columns>,
    path: PathBuf,
    total: u64,
    failed: bool,
}

impl WordListReader {
    pub(crate) fn open(
        spec: &ImportSpec,
        retrieved_at: DateTime<Utc>,
        separator: Separator,
    ) -> Result<Self, ReadError> {
        let path = PathBuf::from(&spec.path);
        let file = File::open(&path).map_err(|e| unreadable(&path, e))?;
        let total = file.metadata().map_err(|e| unreadable(&path, e))?.len();
        Ok(Self {
            labels: RecordLabels::new(spec, retrieved_at),
            translation_language: spec.translation_language.clone(),
            lines: LineReader::new(BufReader::new(file)),
            separator,
            delimiter: None,
            columns: None,
            path,
            total,
            failed: false,
        })
    }

    fn row(&self, cells: &[String], columns: &Columns) -> Row {
        let mut row = Row::default();
        for (at, cell) in cells.iter().enumerate() {
            let slot = match columns.role(at) {
                Column::Word => &mut row.word,
                Column::Translation => &mut row.translation,
                Column::Definition => &mut row.definition,
                Column::Example => &mut row.example,
                Column::PartOfSpeech => &mut row.part_of_speech,
                Column::Ignored => continue,
            };
            *slot = clean_text(cell);
        }
        row
    }

    fn record(&self, line: u64, cells: Vec<String>, row: Row) -> Result<ImportedRecord, ReadError> {
        if row.word.is_empty() {
            return Err(malformed(line, "empty word"));
        }
        let entry = self
            .entry(&row)
            .map_err(|e| malformed(line, e.to_string()))?;
        let key = format!("{}|{}", fold_key(&row.word), entry.discriminator);
        let payload = serde_json::Value::from(cells);
        Ok(ImportedRecord {
            line,
            raw: self.labels.raw_json(&row.word, key, payload),
            entries: vec![entry],
        })
    }

    fn entry(&self, row: &Row) -> Result<Entry, LemmaError> {
        let meaning = if row.translation.is_empty() {
            &row.definition
        } else {
            &row.translation
        };
        let discriminator = format!("m{:016x}", fnv1a(fold_key(meaning).as_bytes()));
        let pos = PartOfSpeech::parse(&row.part_of_speech);
        let mut entry = self.labels.entry(&row.word, pos, discriminator)?;
        let translate_into = self
            .translation_language
            .as_ref()
            .filter(|_| !row.translation.is_empty());
        if let Some(language) = translate_into {
            entry.translations.push(Translation {
                language: language.clone(),
                text: row.translation.clone(),
                sense: None,
            });
        }
        // A sense holds the definition; else the meaning when it cannot be a translation, or
        // when an example needs a sense to sit in (an entry has no examples of its own).
        let gloss = if !row.definition.is_empty() {
            row.definition.clone()
        } else if translate_into.is_none() || !row.example.is_empty() {
            row.translation.clone()
        } else {
            String::new()
        };
        if !gloss.is_empty() || !row.example.is_empty() {
            let examples = (!row.example.is_empty()).then(|| Example {
                text: row.example.clone(),
                translation: None,
            });
            entry.senses.push(Sense {
                gloss,
                examples: examples.into_iter().collect(),
                tags: Vec::new(),
                synonyms: Vec::new(),
            });
        }
        Ok(entry)
    }

    /// The next record's first line and its fields; `None` at the end. Blank lines are
    /// skipped; a quoted field may run over several lines.
    fn next_row(&mut self) -> Option<Result<(u64, Vec<String>), ReadError>> {
        let mut record = String::new();
        let mut first_line = 0;
        loop {
            let line = match self.lines.next_line() {
                Ok(Some(line)) => line,
                Ok(None) if first_line == 0 => return None,
                Ok(None) => {
                    return Some(Err(malformed(first_line, "a quoted field is never closed")));
                }
                Err(e) => {
                    self.failed = true;
                    return Some(Err(unreadable(&self.path, e)));
                }
            };
            let text = match line.text {
                Ok(text) => text,
                Err(reason) => return Some(Err(malformed(line.number, reason))),
            };
            let text = match line.number {
                1 => text.strip_prefix(BOM).unwrap_or(&text).to_owned(),
                _ => text,
            };
            if first_line == 0 {
                if text.trim().is_empty() {
                    continue;
                }
                first_line = line.number;
            } else {
                record.push('\n');
            }
            record.push_str(&text);
            let delimiter = self.delimiter(&record);
            if let Some(fields) = split_fields(&record, delimiter) {
                return Some(Ok((first_line, fields)));
            }
            if record.len() > MAX_RECORD_BYTES {
                let reason = format!("a quoted field runs over more than {MAX_RECORD_BYTES} bytes");
                return Some(Err(malformed(first_line, reason)));
            }
        }
    }

    fn delimiter(&mut self, first_record: &str) -> char {
        *self.delimiter.get_or_insert_with(|| match self.separator {
            Separator::Tab => '\t',
            Separator::CommaOrSemicolon => sniff_delimiter(first_record),
        })
    }
}

impl RecordReader for WordListReader {
    fn next_record(&mut self) -> Option<Result<ImportedRecord, ReadError>> {
        loop {
            if self.failed {
                return None;
            }
            let (line, cells) = match self.next_row()? {
                Ok(row) => row,
                Err(e) => return Some(Err(e)),
            };
            if cells.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            if self.columns.is_none() {
                let header = Columns::from_header(&cells);
                let is_header = header.is_some();
                self.columns = Some(header.unwrap_or_else(Columns::positional));
                if is_header {
                    continue;
                }
            }
            let columns = self.columns.as_ref()?;
            let row = self.row(&cells, columns);
            return Some(self.record(line, cells, row));
        }
    }

    fn position(&self) -> ReadPosition {
        ReadPosition {
            done: self.lines.bytes_read(),
            total: Some(self.total),
        }
    }
}

/// 64-bit FNV-1a: tiny, and stable across Rust versions and platforms (unlike `DefaultHasher`),
/// which entry ids need.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_matches_the_reference_vectors() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
    }
}
