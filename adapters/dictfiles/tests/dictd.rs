//! dictd dictionaries, through the `RecordFormats` port, on fixtures built with dictfmt.

mod support;

use flate2::read::MultiGzDecoder;
use lingo_dictionary::PartOfSpeech;
use lingo_dictionary::import::{ImportFormat, ReadError};
use std::io::Read;
use support::*;

fn tiny(index: &str) -> lingo_dictionary::import::ImportSpec {
    spec(ImportFormat::Dictd, &fixture(index), "en", Some("ar"))
}

fn translations(entry: &lingo_dictionary::Entry) -> Vec<&str> {
    entry.translations.iter().map(|t| t.text.as_str()).collect()
}

#[test]
fn every_index_line_becomes_a_record_in_dictionary_order() {
    let all = read_all(&tiny("dictd/tiny-eng-ara.index"));
    assert!(all.malformed.is_empty() && all.io_errors.is_empty());
    assert_eq!(all.records.len(), 13);
    // In .dict order, not the index's alphabetical order: the header's metadata, the entries
    // ("read", line 12, before "ice cream", line 11), then dictfmt's alphabet at the end.
    assert_eq!(all.order, vec![7, 1, 3, 6, 5, 4, 8, 9, 10, 12, 11, 13, 2]);
    let lemmas: Vec<&str> = all.entries().iter().map(|e| e.lemma.as_str()).collect();
    assert_eq!(
        lemmas,
        vec!["bank", "bank", "house", "read", "ice cream", "tea"]
    );
    assert_eq!(all.position.total, Some(666));
    assert_eq!(all.position.done, 666);
}

#[test]
fn metadata_headwords_are_records_without_entries() {
    let all = read_all(&tiny("dictd/tiny-eng-ara.index"));
    let metadata: Vec<&str> = all
        .records
        .iter()
        .filter(|r| r.entries.is_empty())
        .map(|r| r.raw.key.as_str())
        .collect();
    assert_eq!(metadata.len(), 7);
    assert!(metadata.iter().all(|k| k.starts_with("00-database")));
    assert_eq!(all.skipped(), 7);
}

#[test]
fn homographs_are_separate_entries_with_part_of_speech_ipa_and_numbered_translations() {
    let all = read_all(&tiny("dictd/tiny-eng-ara.index"));
    let banks = all.entries_of("bank");
    assert_eq!(banks.len(), 2);
    let (noun, verb) = (banks[0], banks[1]);
    assert_eq!(noun.discriminator, "1");
    assert_eq!(noun.part_of_speech, PartOfSpeech::parse("noun"));
    assert_eq!(noun.pronunciations[0].ipa.as_deref(), Some("/bæŋk/"));
    assert_eq!(translations(noun), vec!["بنك", "مصرف", "ضفة النهر"]);
    assert!(
        noun.translations
            .iter()
            .all(|t| t.language == language("ar"))
    );
    assert_eq!(verb.discriminator, "2");
    assert_eq!(verb.part_of_speech, PartOfSpeech::parse("verb"));
    assert_eq!(translations(verb), vec!["يودع في المصرف"]);
    assert_ne!(noun.id(), verb.id());
}

#[test]
fn the_text_spelling_is_the_headword_and_the_index_spelling_the_lemma() {
    let all = read_all(&tiny("dictd/tiny-eng-ara.index"));
    let house = all.entries_of("house")[0];
    assert_eq!(house.headword, "House");
    assert_eq!(translations(house), vec!["منزل", "بيت"]);
    let read = all.entries_of("read")[0];
    assert_eq!(read.pronunciations[0].ipa.as_deref(), Some("/riːd/"));
    assert_eq!(translations(read), vec!["يقرأ"]);
    let ice_cream = all.entries_of("ice cream")[0];
    assert_eq!(translations(ice_cream), vec!["مثلجات (بوظة)"]);
    assert!(ice_cream.part_of_speech.is_unknown());
}

#[test]
fn the_raw_record_is_the_entry_text_and_provenance_names_the_file() {
    let all = read_all(&tiny("dictd/tiny-eng-ara.index"));
    let record = all
        .records
        .iter()
        .find(|r| r.raw.key == "house#1")
        .expect("house is read");
    assert_eq!(record.line, 10);
    assert_eq!(record.raw.format, "text");
    assert_eq!(
        record.raw.payload,
        serde_json::json!("House /haʊs/\nمنزل، بيت\n")
    );
    assert_eq!(record.raw.lemma, "house");
    let provenance = &record.entries[0].provenance;
    assert_eq!(provenance.origin.as_deref(), Some("tiny-eng-ara.index"));
    assert_eq!(provenance.retrieved_at, imported_at());
    assert_eq!(provenance.licence, "test licence");
}

#[test]
fn reading_twice_gives_identical_entries_and_ids() {
    let first = read_all(&tiny("dictd/tiny-eng-ara.index"));
    let second = read_all(&tiny("dictd/tiny-eng-ara.index"));
    assert_eq!(first.records, second.records);
    let ids = first.ids();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(ids.len(), unique.len());
}

#[test]
fn broken_index_lines_are_reported_with_their_line_numbers_and_reading_goes_on() {
    let all = read_all(&tiny("dictd/tiny-eng-ara-broken.index"));
    assert!(all.io_errors.is_empty());
    let bad: Vec<u64> = all.malformed.iter().map(|m| m.line).collect();
    assert_eq!(bad, vec![4, 6, 7, 10, 11]);
    assert!(
        all.malformed[1].reason.contains("base-64"),
        "{:?}",
        all.malformed[1]
    );
    assert!(
        all.malformed[3].reason.contains("UTF-8"),
        "{:?}",
        all.malformed[3]
    );
    assert!(
        all.malformed[4].reason.contains("beyond the end"),
        "{:?}",
        all.malformed[4]
    );
    let lemmas: Vec<&str> = all.entries().iter().map(|e| e.lemma.as_str()).collect();
    assert_eq!(lemmas, vec!["bank", "bank", "house", "read", "tea"]);
    assert_eq!(all.records.len(), 6);
}

#[test]
fn a_dictd_import_needs_a_translation_language() {
    let spec = spec(
        ImportFormat::Dictd,
        &fixture("dictd/tiny-eng-ara.index"),
        "en",
        None,
    );
    assert!(matches!(open_error(&spec), ReadError::Io(e) if e.contains("translations")));
}

#[test]
fn a_missing_dict_file_or_a_path_that_is_not_an_index_fails_to_open() {
    let dir = scratch_dir("dictd-missing-dict");
    let index = dir.join("lonely.index");
    std::fs::copy(fixture("dictd/tiny-eng-ara.index"), &index).expect("copied");
    let missing = spec(ImportFormat::Dictd, &path_string(&index), "en", Some("ar"));
    assert!(matches!(open_error(&missing), ReadError::Io(e) if e.contains(".dict")));
    let not_index = spec(
        ImportFormat::Dictd,
        &fixture("dictd/tiny-eng-ara.dict.dz"),
        "en",
        Some("ar"),
    );
    assert!(matches!(open_error(&not_index), ReadError::Io(_)));
}

#[test]
fn an_uncompressed_dict_beside_the_index_is_read_the_same() {
    let dir = scratch_dir("dictd-plain");
    let mut text = Vec::new();
    let compressed = std::fs::File::open(fixture("dictd/tiny-eng-ara.dict.dz")).expect("fixture");
    MultiGzDecoder::new(compressed)
        .read_to_end(&mut text)
        .expect("fixture decompresses");
    std::fs::write(dir.join("plain.dict"), text).expect("written");
    std::fs::copy(fixture("dictd/tiny-eng-ara.index"), dir.join("plain.index")).expect("copied");
    let plain = read_all(&spec(
        ImportFormat::Dictd,
        &path_string(&dir.join("plain.index")),
        "en",
        Some("ar"),
    ));
    let zipped = read_all(&tiny("dictd/tiny-eng-ara.index"));
    let entries = |all: &ReadAll| -> Vec<(String, Vec<String>)> {
        all.entries()
            .iter()
            .map(|e| {
                (
                    e.id(),
                    e.translations.iter().map(|t| t.text.clone()).collect(),
                )
            })
            .collect()
    };
    assert_eq!(entries(&plain), entries(&zipped));
}

#[test]
fn a_corrupt_dictzip_stream_is_an_io_error_that_ends_the_reading() {
    let dir = scratch_dir("dictd-corrupt");
    std::fs::copy(
        fixture("dictd/tiny-eng-ara.index"),
        dir.join("corrupt.index"),
    )
    .expect("copied");
    std::fs::write(dir.join("corrupt.dict.dz"), b"this is not gzip at all").expect("written");
    let all = read_all(&spec(
        ImportFormat::Dictd,
        &path_string(&dir.join("corrupt.index")),
        "en",
        Some("ar"),
    ));
    assert_eq!(all.io_errors.len(), 1);
    assert!(all.records.is_empty());
}
