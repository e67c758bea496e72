//! Shared by the format tests: import specs for fixtures and a reader run to the end.

#![allow(dead_code)]

use chrono::{DateTime, TimeZone, Utc};
use lingo_dictfiles::FileFormats;
use lingo_dictionary::import::{
    ImportFormat, ImportSpec, ImportedRecord, MalformedRecord, ReadError,
};
use lingo_dictionary::ports::{ReadPosition, RecordFormats};
use lingo_dictionary::{Entry, SourceId};
use lingo_kernel::LanguageCode;
use std::path::PathBuf;

pub fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

pub fn language(code: &str) -> LanguageCode {
    LanguageCode::parse(code).expect("valid language code")
}

pub fn spec(
    format: ImportFormat,
    path: &str,
    language_code: &str,
    translation: Option<&str>,
) -> ImportSpec {
    ImportSpec {
        format,
        path: path.to_owned(),
        source: SourceId::parse("test-source").expect("valid source id"),
        licence: "test licence".to_owned(),
        language: language(language_code),
        translation_language: translation.map(language),
    }
}

pub fn imported_at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0)
        .single()
        .expect("valid time")
}

/// Everything a reader yields, in order, and its final position.
pub struct ReadAll {
    pub records: Vec<ImportedRecord>,
    pub malformed: Vec<MalformedRecord>,
    pub io_errors: Vec<String>,
    /// Records (Ok) and malformed ones, in reading order: the line numbers.
    pub order: Vec<u64>,
    pub position: ReadPosition,
}

impl ReadAll {
    pub fn entries(&self) -> Vec<&Entry> {
        self.records.iter().flat_map(|r| r.entries.iter()).collect()
    }

    pub fn entries_of(&self, headword: &str) -> Vec<&Entry> {
        self.entries()
            .into_iter()
            .filter(|e| e.lemma == headword)
            .collect()
    }

    pub fn ids(&self) -> Vec<String> {
        self.entries().iter().map(|e| e.id()).collect()
    }

    /// Records that carry nothing to import (the import counts them as skipped).
    pub fn skipped(&self) -> usize {
        self.records
            .iter()
            .filter(|r| !r.entries.iter().any(Entry::has_content))
            .count()
    }
}

pub fn read_all(spec: &ImportSpec) -> ReadAll {
    let mut reader = FileFormats::unrestricted()
        .open(spec, imported_at())
        .expect("the input opens");
    let mut all = ReadAll {
        records: Vec::new(),
        malformed: Vec::new(),
        io_errors: Vec::new(),
        order: Vec::new(),
        position: ReadPosition::default(),
    };
    while let Some(next) = reader.next_record() {
        match next {
            Ok(record) => {
                all.order.push(record.line);
                all.records.push(record);
            }
            Err(ReadError::Malformed(bad)) => {
                all.order.push(bad.line);
                all.malformed.push(bad);
            }
            Err(ReadError::Io(e)) => all.io_errors.push(e),
        }
    }
    all.position = reader.position();
    all
}

pub fn open_error(spec: &ImportSpec) -> ReadError {
    match FileFormats::unrestricted().open(spec, imported_at()) {
        Ok(_) => panic!("expected {} not to open", spec.path),
        Err(e) => e,
    }
}

/// An empty directory for one test's generated files.
pub fn scratch_dir(test: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("lingo-dictfiles")
        .join(test);
    if dir.exists() {
        std::fs::remove_dir_all(&dir).expect("old scratch dir removed");
    }
    std::fs::create_dir_all(&dir).expect("scratch dir created");
    dir
}

pub fn path_string(path: &std::path::Path) -> String {
    path.to_string_lossy().into_owned()
}
