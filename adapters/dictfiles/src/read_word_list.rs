//! CSV and TSV word lists (`word, translation, example`), one record per row. CSV uses `,` or
//! `;` (whichever the first line has more of, outside quotes); a UTF-8 byte-order mark is
//! skipped; a header row is recognised by its column names.
//!
//! Several rows for one word are several entries: each entry's discriminator is a hash of its
//! meaning, so re-importing a list, even reordered, replaces entries instead of adding copies.

use crate::record_labels::{RecordLabels, malformed, unreadable};
use crate::strip_markup::clean_text;
use crate::word_list_columns::{Column, Columns};
use chrono::{DateTime, Utc};
use lingo_dictionary::import::{ImportSpec, ImportedRecord, ReadError};
use lingo_dictionary::normalise::fold_key;
use lingo_dictionary::ports::{ReadPosition, RecordReader};
use lingo_dictionary::{Entry, Example, PartOfSpeech, Sense, Translation};
use lingo_kernel::LanguageCode;
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::PathBuf;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// How far into the first line the separator is sniffed.
const SNIFF_BYTES: u64 = 64 * 1024;

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
    csv: csv::Reader<File>,
    /// Known after the first row.
    columns: Option<Columns>,
    row: csv::ByteRecord,
    path: PathBuf,
    bom_bytes: u64,
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
        let io_error = |e: std::io::Error| unreadable(&path, e);
        let mut file = File::open(&path).map_err(io_error)?;
        let total = file.metadata().map_err(io_error)?.len();
        let (first_line, bom_bytes) = first_line(&mut file).map_err(io_error)?;
        let delimiter = match separator {
            Separator::Tab => b'\t',
            Separator::CommaOrSemicolon => sniff_delimiter(&first_line),
        };
        file.seek(SeekFrom::Start(bom_bytes)).map_err(io_error)?;
        let csv = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(file);
        Ok(Self {
            labels: RecordLabels::new(spec, retrieved_at),
            translation_language: spec.translation_language.clone(),
            csv,
            columns: None,
            row: csv::ByteRecord::new(),
            path,
            bom_bytes,
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
        let entry = self.entry(&row);
        let key = format!("{}|{}", fold_key(&row.word), entry.discriminator);
        let payload = serde_json::Value::from(cells);
        Ok(ImportedRecord {
            line,
            raw: self.labels.raw_json(&row.word, key, payload),
            entries: vec![entry],
        })
    }

    fn entry(&self, row: &Row) -> Entry {
        let meaning = if row.translation.is_empty() { &row.definition } else { &row.translation };
        let discriminator = format!("m{:016x}", fnv1a(fold_key(meaning).as_bytes()));
        let pos = PartOfSpeech::parse(&row.part_of_speech);
        let mut entry = self.labels.entry(&row.word, pos, discriminator);
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
        entry
    }

    /// The next row's 1-based line and cells; `None` at the end.
    fn next_row(&mut self) -> Option<Result<(u64, Vec<String>), ReadError>> {
        match self.csv.read_byte_record(&mut self.row) {
            Ok(false) => return None,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(0, csv::Position::line);
                return Some(match e.into_kind() {
                    csv::ErrorKind::Io(io) => {
                        self.failed = true;
                        Err(unreadable(&self.path, io))
                    }
                    other => Err(malformed(line, format!("{other:?}"))),
                });
            }
        }
        let line = self.row.position().map_or(0, csv::Position::line);
        let cells = self
            .row
            .iter()
            .map(|cell| String::from_utf8(cell.to_vec()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| {
                let at = e.utf8_error().valid_up_to();
                malformed(line, format!("a cell is not UTF-8 (byte {at} of the cell)"))
            });
        Some(cells.map(|cells| (line, cells)))
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
            done: self.bom_bytes + self.csv.position().byte(),
            total: Some(self.total),
        }
    }
}

/// The file's first line (at most `SNIFF_BYTES`) after a byte-order mark, and the mark's length.
fn first_line(file: &mut File) -> std::io::Result<(Vec<u8>, u64)> {
    let mut reader = BufReader::new(Read::by_ref(file).take(SNIFF_BYTES));
    let mut line = Vec::new();
    reader.read_until(b'\n', &mut line)?;
    match line.strip_prefix(BOM) {
        Some(rest) => Ok((rest.to_vec(), BOM.len() as u64)),
        None => Ok((line, 0)),
    }
}

/// `;` when the line has more semicolons than commas outside quotes, else `,`.
fn sniff_delimiter(line: &[u8]) -> u8 {
    let mut quoted = false;
    let (mut commas, mut semicolons) = (0usize, 0usize);
    for &byte in line {
        match byte {
            b'"' => quoted = !quoted,
            b',' if !quoted => commas += 1,
            b';' if !quoted => semicolons += 1,
            _ => {}
        }
    }
    if semicolons > commas { b';' } else { b',' }
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
    fn the_delimiter_is_the_more_frequent_one_outside_quotes() {
        assert_eq!(sniff_delimiter(b"word,translation,example\n"), b',');
        assert_eq!(sniff_delimiter(b"word;translation;\"a, b, c\"\n"), b';');
        assert_eq!(sniff_delimiter(b"house\n"), b',');
    }

    #[test]
    fn fnv1a_matches_the_reference_vectors() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
    }
}
#[cfg(test)]
mod probe {
    #[test]
    fn probe_lines() {
        for input in ["a,b\n\nc,d\ne,f\n", "a,\"b\nb\"\nc,d\n", "a,b\n\n\n\nc,d\n", "a,b\r\n\r\nc,d\r\n"] {
            let mut r = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(input.as_bytes());
            let mut rec = csv::ByteRecord::new();
            let mut out = vec![];
            while r.read_byte_record(&mut rec).unwrap() {
                let p = rec.position().unwrap();
                out.push((p.line(), p.byte(), String::from_utf8_lossy(&rec[0]).into_owned()));
            }
            println!("{input:?} -> {out:?}");
        }
    }
}
