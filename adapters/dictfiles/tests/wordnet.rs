//! WordNet database files, through the `RecordFormats` port, on a hand-made database.

mod support;

use lingo_dictionary::import::{ImportFormat, ReadError};
use lingo_dictionary::{Entry, PartOfSpeech};
use support::*;

fn tiny() -> ReadAll {
    read_all(&spec(
        ImportFormat::Wordnet,
        &fixture("wordnet"),
        "en",
        None,
    ))
}

fn entry<'a>(all: &'a ReadAll, lemma: &str, pos: &str) -> &'a Entry {
    all.entries()
        .into_iter()
        .find(|e| e.lemma == lemma && e.part_of_speech == PartOfSpeech::parse(pos))
        .unwrap_or_else(|| panic!("{lemma} ({pos}) is read"))
}

fn glosses(entry: &Entry) -> Vec<&str> {
    entry.senses.iter().map(|s| s.gloss.as_str()).collect()
}

#[test]
fn one_record_per_index_line_numbered_across_files_licence_lines_skipped() {
    let all = tiny();
    assert!(all.io_errors.is_empty());
    // index.noun lines 4-6, index.verb 10-13 (after its own 3 licence lines), index.adj 17-18.
    assert_eq!(all.order, vec![4, 5, 6, 10, 11, 12, 13, 17, 18]);
    assert_eq!(all.records.len(), 7);
    assert!(all.records.iter().all(|r| r.entries.len() == 1));
    assert_eq!(all.position.done, all.position.total.unwrap_or_default());
}

#[test]
fn senses_come_in_index_order_with_definition_examples_and_synonyms() {
    let all = tiny();
    let bank = entry(&all, "bank", "noun");
    assert_eq!(bank.discriminator, "noun");
    assert_eq!(
        glosses(bank),
        vec![
            "the land along the edge of a river",
            "a business that keeps and lends money"
        ]
    );
    let examples: Vec<&str> = bank.senses[0]
        .examples
        .iter()
        .map(|e| e.text.as_str())
        .collect();
    assert_eq!(
        examples,
        vec!["we walked along the bank", "fish hid under the bank"]
    );
    assert_eq!(bank.senses[0].synonyms, vec!["riverbank"]);
    assert_eq!(
        bank.senses[1].synonyms,
        vec!["depository financial institution", "banking company"]
    );
    let bank_verb = entry(&all, "bank", "verb");
    assert_eq!(bank_verb.discriminator, "verb");
    assert_eq!(glosses(bank_verb), vec!["put money into a bank account"]);
    assert_ne!(bank.id(), bank_verb.id());
}

#[test]
fn multi_word_lemmas_semicolons_and_attributions() {
    let all = tiny();
    let ice_cream = entry(&all, "ice cream", "noun");
    assert_eq!(ice_cream.headword, "ice cream");
    assert_eq!(ice_cream.senses[0].synonyms, vec!["icecream"]);
    let run = entry(&all, "run", "noun");
    assert_eq!(
        glosses(run),
        vec![
            "a point scored in baseball",
            "a quick trip on foot; an outing for exercise"
        ]
    );
    assert!(run.senses[0].examples.is_empty());
    assert_eq!(run.senses[1].examples[0].text, "an early morning run");
}

#[test]
fn adjective_markers_are_stripped_from_synonyms() {
    let all = tiny();
    assert_eq!(
        entry(&all, "galore", "adjective").senses[0].synonyms,
        vec!["abundant"]
    );
    assert_eq!(
        entry(&all, "abundant", "adjective").senses[0].synonyms,
        vec!["galore"]
    );
}

#[test]
fn broken_index_lines_are_malformed_with_file_and_line() {
    let all = tiny();
    let bad: Vec<(u64, &str)> = all
        .malformed
        .iter()
        .map(|m| (m.line, m.reason.as_str()))
        .collect();
    assert_eq!(bad.len(), 2);
    assert_eq!(bad[0].0, 12);
    assert!(bad[0].1.starts_with("index.verb line 6:"), "{}", bad[0].1);
    assert_eq!(bad[1].0, 13);
    assert!(bad[1].1.contains("no synset at offset 5"), "{}", bad[1].1);
}

#[test]
fn the_raw_record_holds_the_index_line_and_its_synset_lines() {
    let all = tiny();
    let record = all
        .records
        .iter()
        .find(|r| r.raw.key == "run|v")
        .expect("run (verb) is read");
    assert_eq!(record.raw.format, "json");
    assert_eq!(record.raw.payload["index"], "run v 1 1 + 1 0 00000155  ");
    let synsets = record.raw.payload["synsets"].as_array().expect("a list");
    assert_eq!(synsets.len(), 1);
    assert!(
        synsets[0]
            .as_str()
            .is_some_and(|s| s.starts_with("00000155 38 v 01 run 0"))
    );
}

#[test]
fn reading_twice_gives_identical_entries_and_ids() {
    let (first, second) = (tiny(), tiny());
    assert_eq!(first.records, second.records);
    let mut ids = first.ids();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 7);
}

#[test]
fn a_directory_without_index_files_fails_to_open() {
    let dir = scratch_dir("wordnet-empty");
    let spec = spec(ImportFormat::Wordnet, &path_string(&dir), "en", None);
    assert!(matches!(open_error(&spec), ReadError::Io(_)));
}
