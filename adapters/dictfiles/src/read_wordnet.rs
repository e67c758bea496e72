//! WordNet 3.0: every (lemma, part of speech) line of `index.noun`, `index.verb`, `index.adj`
//! and `index.adv`, in that order, becomes one record with one entry whose senses are the
//! lemma's synsets, read by seeking to their byte offsets in the matching `data.*` file.
//! Line numbers run on across the index files; error reasons name the file and its own line.

use crate::line_reader::{Line, LineReader};
use crate::record_labels::{RecordLabels, malformed, unreadable};
use crate::strip_markup::clean_text;
use crate::wordnet_lines::{
    IndexLine, Synset, display_word, is_header, parse_data_line, parse_index_line,
};
use chrono::{DateTime, Utc};
use lingo_dictionary::import::{ImportSpec, ImportedRecord, ReadError};
use lingo_dictionary::normalise::fold_key;
use lingo_dictionary::ports::{ReadPosition, RecordReader};
use lingo_dictionary::{Example, PartOfSpeech, Sense};
use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// The file suffixes, in reading order.
const PARTS: [&str; 4] = ["noun", "verb", "adj", "adv"];

/// Synset lines are a few hundred bytes; a longer one means a wrong offset.
const MAX_DATA_LINE_BYTES: u64 = 64 * 1024;

struct PartFiles {
    suffix: &'static str,
    index_path: PathBuf,
    data: DataFile,
}

/// A `data.*` file read at byte offsets. Offsets close to the last one reuse the buffer.
struct DataFile {
    path: PathBuf,
    reader: BufReader<File>,
    position: u64,
}

impl DataFile {
    fn open(path: PathBuf) -> Result<Self, ReadError> {
        let file = File::open(&path).map_err(|e| unreadable(&path, e))?;
        Ok(Self {
            path,
            reader: BufReader::with_capacity(4 * 1024, file),
            position: 0,
        })
    }

    /// The line at `offset`, without its line break; empty past the end of the file.
    fn line_at(&mut self, offset: u64) -> io::Result<Vec<u8>> {
        let delta = i64::try_from(offset).map_err(io::Error::other)?
            - i64::try_from(self.position).map_err(io::Error::other)?;
        self.reader.seek_relative(delta)?;
        let mut line = Vec::new();
        let read = (&mut self.reader)
            .take(MAX_DATA_LINE_BYTES)
            .read_until(b'\n', &mut line)?;
        self.position = offset + read as u64;
        while matches!(line.last(), Some(b'\n' | b'\r')) {
            line.pop();
        }
        Ok(line)
    }
}

struct CurrentIndex {
    part: PartFiles,
    lines: LineReader<BufReader<File>>,
}

pub(crate) struct WordnetReader {
    labels: RecordLabels,
    pending: VecDeque<PartFiles>,
    current: Option<CurrentIndex>,
    /// Lines and bytes of the index files already finished.
    lines_before: u64,
    bytes_before: u64,
    total: u64,
    failed: bool,
}

impl WordnetReader {
    pub(crate) fn open(spec: &ImportSpec, retrieved_at: DateTime<Utc>) -> Result<Self, ReadError> {
        let dir = Path::new(&spec.path);
        let mut pending = VecDeque::new();
        let mut total = 0;
        for suffix in PARTS {
            let index_path = dir.join(format!("index.{suffix}"));
            if !index_path.is_file() {
                continue;
            }
            total += index_path
                .metadata()
                .map_err(|e| unreadable(&index_path, e))?
                .len();
            let data = DataFile::open(dir.join(format!("data.{suffix}")))?;
            pending.push_back(PartFiles {
                suffix,
                index_path,
                data,
            });
        }
        if pending.is_empty() {
            return Err(unreadable(
                dir,
                "no WordNet index.noun, index.verb, index.adj or index.adv here",
            ));
        }
        Ok(Self {
            labels: RecordLabels::new(spec, retrieved_at),
            pending,
            current: None,
            lines_before: 0,
            bytes_before: 0,
            total,
            failed: false,
        })
    }

    /// The next line of the index files, `None` when all are read.
    fn next_index_line(&mut self) -> Result<Option<(u64, Line)>, ReadError> {
        loop {
            let current = match self.current.as_mut() {
                Some(current) => current,
                None => {
                    let Some(part) = self.pending.pop_front() else {
                        return Ok(None);
                    };
                    let file = File::open(&part.index_path)
                        .map_err(|e| unreadable(&part.index_path, e))?;
                    self.current.insert(CurrentIndex {
                        part,
                        lines: LineReader::new(BufReader::new(file)),
                    })
                }
            };
            match current.lines.next_line() {
                Err(e) => return Err(unreadable(&current.part.index_path, e)),
                Ok(Some(line)) => return Ok(Some((self.lines_before + line.number, line))),
                Ok(None) => {
                    self.lines_before += current.lines.lines_read();
                    self.bytes_before += current.lines.bytes_read();
                    self.current = None;
                }
            }
        }
    }

    fn record(&mut self, number: u64, text: &str) -> Result<ImportedRecord, ReadError> {
        let Some(current) = self.current.as_mut() else {
            return Err(ReadError::Io(
                "WordNet index file closed unexpectedly".to_owned(),
            ));
        };
        let suffix = current.part.suffix;
        let file_line = current.lines.lines_read();
        let bad = |reason: String| {
            malformed(number, format!("index.{suffix} line {file_line}: {reason}"))
        };
        let index = parse_index_line(text).map_err(bad)?;
        let mut synsets = Vec::with_capacity(index.offsets.len());
        let mut raw_lines = Vec::with_capacity(index.offsets.len());
        for &offset in &index.offsets {
            let data = &mut current.part.data;
            let bytes = data
                .line_at(offset)
                .map_err(|e| unreadable(&data.path, e))?;
            let line = String::from_utf8(bytes)
                .map_err(|_| bad(format!("data.{suffix} at offset {offset} is not UTF-8")))?;
            // A synset line starts with its own offset; anything else means a wrong offset.
            if !line.starts_with(&format!("{offset:08} ")) {
                return Err(bad(format!(
                    "data.{suffix} has no synset at offset {offset}"
                )));
            }
            let synset = parse_data_line(&line)
                .map_err(|e| bad(format!("data.{suffix} at offset {offset}: {e}")))?;
            synsets.push(synset);
            raw_lines.push(serde_json::Value::String(line));
        }
        self.build(number, &index, text, synsets, raw_lines)
    }

    fn build(
        &self,
        number: u64,
        index: &IndexLine,
        text: &str,
        synsets: Vec<Synset>,
        raw_lines: Vec<serde_json::Value>,
    ) -> Result<ImportedRecord, ReadError> {
        let headword = display_word(&index.lemma);
        let part_of_speech = PartOfSpeech::parse(&index.pos.to_string());
        let discriminator = part_of_speech.as_str().to_owned();
        let mut entry = self
            .labels
            .entry(&headword, part_of_speech, discriminator)
            .map_err(|e| malformed(number, e.to_string()))?;
        let own_key = fold_key(&headword);
        entry.senses = synsets.into_iter().map(|s| sense(s, &own_key)).collect();
        let payload = serde_json::json!({ "index": text, "synsets": raw_lines });
        Ok(ImportedRecord {
            line: number,
            raw: self
                .labels
                .raw_json(&headword, format!("{}|{}", index.lemma, index.pos), payload),
            entries: vec![entry],
        })
    }
}

/// The synset as a sense of the lemma whose fold key is `own_key`: its other words are synonyms.
fn sense(synset: Synset, own_key: &str) -> Sense {
    let mut synonyms: Vec<String> = Vec::new();
    for word in synset.words {
        let key = fold_key(&word);
        if key != own_key && !synonyms.iter().any(|s| fold_key(s) == key) {
            synonyms.push(word);
        }
    }
    Sense {
        gloss: clean_text(&synset.definition),
        examples: synset
            .examples
            .iter()
            .map(|text| Example {
                text: clean_text(text),
                translation: None,
            })
            .collect(),
        tags: Vec::new(),
        synonyms,
    }
}

impl RecordReader for WordnetReader {
    fn next_record(&mut self) -> Option<Result<ImportedRecord, ReadError>> {
        if self.failed {
            return None;
        }
        loop {
            let (number, line) = match self.next_index_line() {
                Ok(Some(next)) => next,
                Ok(None) => return None,
                Err(e) => {
                    self.failed = true;
                    return Some(Err(e));
                }
            };
            let text = match line.text {
                Ok(text) if is_header(&text) => continue,
                Ok(text) => text,
                Err(reason) => return Some(Err(malformed(number, reason))),
            };
            let result = self.record(number, &text);
            if matches!(result, Err(ReadError::Io(_))) {
                self.failed = true;
            }
            return Some(result);
        }
    }

    fn position(&self) -> ReadPosition {
        let current = self.current.as_ref().map_or(0, |c| c.lines.bytes_read());
        ReadPosition {
            done: self.bytes_before + current,
            total: Some(self.total),
        }
    }
}
