//! Wiktextract / kaikki.org JSON lines: one object per line, one record per non-blank line.
//! Objects in another language than the import's become records without entries (skipped);
//! broken JSON and objects without a `word` are malformed.

use crate::kaikki_entry::KaikkiLine;
use crate::line_reader::LineReader;
use crate::record_labels::{RecordLabels, malformed, same_language, unreadable};
use chrono::{DateTime, Utc};
use lingo_dictionary::import::{ImportSpec, ImportedRecord, ReadError};
use lingo_dictionary::normalise::fold_key;
use lingo_dictionary::ports::{ReadPosition, RecordReader};
use lingo_kernel::LanguageCode;
use serde::Deserialize;
use std::fs::File;
use std::io::BufReader;
use std::path::PathBuf;

pub(crate) struct KaikkiReader {
    labels: RecordLabels,
    translations_into: Option<LanguageCode>,
    lines: LineReader<BufReader<File>>,
    path: PathBuf,
    total: u64,
    failed: bool,
}

impl KaikkiReader {
    pub(crate) fn open(spec: &ImportSpec, retrieved_at: DateTime<Utc>) -> Result<Self, ReadError> {
        let path = PathBuf::from(&spec.path);
        let file = File::open(&path).map_err(|e| unreadable(&path, e))?;
        let total = file.metadata().map_err(|e| unreadable(&path, e))?.len();
        Ok(Self {
            labels: RecordLabels::new(spec, retrieved_at),
            translations_into: spec.translation_language.clone(),
            lines: LineReader::new(BufReader::new(file)),
            path,
            total,
            failed: false,
        })
    }

    fn record(&self, number: u64, text: &str) -> Result<ImportedRecord, ReadError> {
        let value: serde_json::Value = serde_json::from_str(text)
            .map_err(|e| malformed(number, format!("not a JSON object: {e}")))?;
        let line = KaikkiLine::deserialize(&value)
            .map_err(|e| malformed(number, format!("does not match the kaikki schema: {e}")))?;
        let word = line
            .word
            .as_deref()
            .map(str::trim)
            .filter(|w| !w.is_empty())
            .ok_or_else(|| malformed(number, "no \"word\""))?
            .to_owned();
        let key = format!("{}|{}", fold_key(&word), line.discriminator());
        let raw = self.labels.raw_json(&word, key, value);
        let in_language = line.lang_code.as_deref().is_none_or(|code| {
            LanguageCode::parse(code).is_ok_and(|code| same_language(&code, &self.labels.language))
        });
        let entries = if in_language {
            let entry = line
                .into_entry(&word, &self.labels, self.translations_into.as_ref())
                .map_err(|e| malformed(number, e.to_string()))?;
            vec![entry]
        } else {
            Vec::new()
        };
        Ok(ImportedRecord {
            line: number,
            raw,
            entries,
        })
    }
}

impl RecordReader for KaikkiReader {
    fn next_record(&mut self) -> Option<Result<ImportedRecord, ReadError>> {
        if self.failed {
            return None;
        }
        loop {
            let line = match self.lines.next_line() {
                Ok(Some(line)) => line,
                Ok(None) => return None,
                Err(e) => {
                    self.failed = true;
                    return Some(Err(unreadable(&self.path, e)));
                }
            };
            return Some(match line.text {
                Ok(text) if text.trim().is_empty() => continue,
                Ok(text) => self.record(line.number, &text),
                Err(reason) => Err(malformed(line.number, reason)),
            });
        }
    }

    fn position(&self) -> ReadPosition {
        ReadPosition {
            done: self.lines.bytes_read(),
            total: Some(self.total),
        }
    }
}
