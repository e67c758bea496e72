//! The dictd `.index` file: `headword<TAB>offset<TAB>length[<TAB>original headword]`, offset
//! and length in dictd's base 64 into the uncompressed `.dict` text. Read whole (it is the
//! small half of a dictionary) and sorted by offset, so the `.dict` can be streamed once.

use crate::line_reader::LineReader;
use crate::record_labels::unreadable;
use lingo_dictionary::import::{MalformedRecord, ReadError};
use lingo_dictionary::normalise::fold_key;
use std::collections::HashMap;
use std::fs::File;
use std::io::BufReader;
use std::path::Path;

/// Longer entries are reported as malformed: no real entry comes close, and a corrupt length
/// must not make the reader buffer gigabytes.
pub(crate) const MAX_ENTRY_BYTES: u64 = 1024 * 1024;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct IndexEntry {
    /// As the index spells it (dictfmt lower-cases it unless told to keep case).
    pub(crate) headword: String,
    /// The fourth column, when `dictfmt --index-keep-orig` wrote one.
    pub(crate) original: Option<String>,
    pub(crate) offset: u64,
    pub(crate) length: u64,
    /// 1-based line of the index.
    pub(crate) line: u64,
    /// 1-based rank among the entries of the same headword, in index order; 0 for metadata.
    pub(crate) ordinal: u32,
}

impl IndexEntry {
    pub(crate) fn end(&self) -> u64 {
        self.offset.saturating_add(self.length)
    }

    pub(crate) fn is_metadata(&self) -> bool {
        is_metadata(&self.headword)
    }
}

/// The index sorted by offset, and its malformed lines.
#[derive(Debug, Default)]
pub(crate) struct DictdIndex {
    pub(crate) entries: Vec<IndexEntry>,
    pub(crate) malformed: Vec<MalformedRecord>,
}

/// dictd's database headers (`00databaseinfo`, `00-database-url`, …): not dictionary entries.
pub(crate) fn is_metadata(headword: &str) -> bool {
    headword.starts_with("00database") || headword.starts_with("00-database")
}

/// dictd's base 64: `A`–`Z`, `a`–`z`, `0`–`9`, `+`, `/` for 0–63, most significant first.
pub(crate) fn decode_number(digits: &str) -> Option<u64> {
    if digits.is_empty() || digits.len() > 10 {
        return None;
    }
    digits.bytes().try_fold(0u64, |value, digit| {
        let d = ALPHABET.iter().position(|&a| a == digit)?;
        Some(value * 64 + d as u64)
    })
}

pub(crate) fn read_index(path: &Path) -> Result<DictdIndex, ReadError> {
    let file = File::open(path).map_err(|e| unreadable(path, e))?;
    let mut lines = LineReader::new(BufReader::new(file));
    let mut index = DictdIndex::default();
    let mut ordinals: HashMap<String, u32> = HashMap::new();
    while let Some(line) = lines.next_line().map_err(|e| unreadable(path, e))? {
        let parsed = line.text.and_then(|text| parse_line(&text));
        match parsed {
            Ok(None) => {}
            Ok(Some((headword, original, offset, length))) => {
                let ordinal = if is_metadata(&headword) {
                    0
                } else {
                    let rank = ordinals.entry(fold_key(&headword)).or_insert(0);
                    *rank += 1;
                    *rank
                };
                index.entries.push(IndexEntry {
                    headword,
                    original,
                    offset,
                    length,
                    line: line.number,
                    ordinal,
                });
            }
            Err(reason) => index.malformed.push(MalformedRecord {
                line: line.number,
                reason,
            }),
        }
    }
    index.entries.sort_by_key(|e| (e.offset, e.line));
    Ok(index)
}

type ParsedLine = (String, Option<String>, u64, u64);

/// `Ok(None)` for a blank line.
fn parse_line(text: &str) -> Result<Option<ParsedLine>, String> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    let mut fields = text.split('\t');
    let headword = fields.next().unwrap_or_default().trim();
    let (Some(offset), Some(length)) = (fields.next(), fields.next()) else {
        return Err("an index line needs headword, offset and length separated by tabs".to_owned());
    };
    if headword.is_empty() {
        return Err("empty headword".to_owned());
    }
    let offset = decode_number(offset.trim())
        .ok_or_else(|| format!("offset '{offset}' is not a dictd base-64 number"))?;
    let length = decode_number(length.trim())
        .ok_or_else(|| format!("length '{length}' is not a dictd base-64 number"))?;
    if length > MAX_ENTRY_BYTES {
        return Err(format!(
            "entry length {length} exceeds the {MAX_ENTRY_BYTES}-byte limit"
        ));
    }
    let original = fields
        .next()
        .map(str::trim)
        .filter(|o| !o.is_empty())
        .map(str::to_owned);
    Ok(Some((headword.to_owned(), original, offset, length)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_base_64_most_significant_first() {
        assert_eq!(decode_number("A"), Some(0));
        assert_eq!(decode_number("B"), Some(1));
        assert_eq!(decode_number("/"), Some(63));
        assert_eq!(decode_number("BA"), Some(64));
        assert_eq!(decode_number("HM9"), Some(7 * 4096 + 12 * 64 + 61));
        assert_eq!(decode_number(""), None);
        assert_eq!(decode_number("a-b"), None);
    }

    #[test]
    fn index_lines_parse_with_an_optional_original_headword() {
        assert_eq!(
            parse_line("bank\tIH\to"),
            Ok(Some(("bank".to_owned(), None, 519, 40)))
        );
        assert_eq!(
            parse_line("bank\tIH\to\tBank"),
            Ok(Some(("bank".to_owned(), Some("Bank".to_owned()), 519, 40)))
        );
        assert_eq!(parse_line("  "), Ok(None));
        assert!(parse_line("bank\tIH").is_err());
        assert!(parse_line("bank\tI*\to").is_err());
        assert!(parse_line("\tIH\to").is_err());
        assert!(parse_line("big\tA\t////").is_err());
    }

    #[test]
    fn metadata_headwords_are_recognised_in_both_spellings() {
        assert!(is_metadata("00databaseinfo"));
        assert!(is_metadata("00-database-url"));
        assert!(is_metadata("00databasealphabet"));
        assert!(!is_metadata("00"));
        assert!(!is_metadata("bank"));
    }
}
