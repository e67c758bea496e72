//! CSV and TSV word lists, through the `RecordFormats` port.

mod support;

use lingo_dictionary::Entry;
use lingo_dictionary::import::{ImportFormat, ImportSpec};
use support::*;

fn list(format: ImportFormat, name: &str, translations_into: Option<&str>) -> ImportSpec {
    spec(
        format,
        &fixture(&format!("word_lists/{name}")),
        "en",
        translations_into,
    )
}

fn summary(entry: &Entry) -> (String, Vec<String>, Vec<String>, Vec<String>) {
    (
        entry.headword.clone(),
        entry.translations.iter().map(|t| t.text.clone()).collect(),
        entry.senses.iter().map(|s| s.gloss.clone()).collect(),
        entry
            .senses
            .iter()
            .flat_map(|s| s.examples.iter().map(|e| e.text.clone()))
            .collect(),
    )
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn a_csv_with_a_byte_order_mark_and_a_header() {
    let all = read_all(&list(ImportFormat::Csv, "with-header.csv", Some("es")));
    assert!(all.io_errors.is_empty());
    // The header (line 1) and the blank line 6 are no records.
    assert_eq!(all.order, vec![2, 3, 4, 5, 7, 8]);
    assert_eq!(all.malformed.len(), 1);
    assert_eq!(
        (all.malformed[0].line, all.malformed[0].reason.as_str()),
        (5, "empty word")
    );
    let entries: Vec<_> = all.entries().into_iter().map(summary).collect();
    assert_eq!(
        entries,
        vec![
            (
                "house".into(),
                strings(&["casa"]),
                strings(&["casa"]),
                strings(&["La casa es grande, muy grande."])
            ),
            (
                "bank".into(),
                strings(&["banco"]),
                strings(&["banco"]),
                strings(&["Voy al banco."])
            ),
            (
                "bank".into(),
                strings(&["orilla"]),
                strings(&["orilla"]),
                strings(&["Se sentó en la orilla del río."])
            ),
            (
                "ice cream".into(),
                strings(&["helado, mantecado"]),
                vec![],
                vec![]
            ),
            ("say \"hi\"".into(), strings(&["saludar"]), vec![], vec![]),
        ]
    );
    assert!(
        all.entries()
            .iter()
            .all(|e| e.translations.iter().all(|t| t.language == language("es")))
    );
    assert_eq!(all.position.done, all.position.total.unwrap_or_default());
}

#[test]
fn lines_for_one_word_are_entries_told_apart_by_their_meaning() {
    let all = read_all(&list(ImportFormat::Csv, "with-header.csv", Some("es")));
    let banks = all.entries_of("bank");
    assert_eq!(banks.len(), 2);
    assert_ne!(banks[0].id(), banks[1].id());
    assert!(
        banks
            .iter()
            .all(|b| b.discriminator.len() == 17 && b.discriminator.starts_with('m'))
    );
    let raw_keys: Vec<&str> = all
        .records
        .iter()
        .filter(|r| r.raw.lemma == "bank")
        .map(|r| r.raw.key.as_str())
        .collect();
    assert!(raw_keys.iter().all(|k| k.starts_with("bank|m")));
    assert_ne!(raw_keys[0], raw_keys[1]);
}

#[test]
fn reimporting_a_reordered_list_gives_the_same_ids() {
    let dir = scratch_dir("word-list-reordered");
    let path = dir.join("reordered.csv");
    std::fs::write(&path, "bank,orilla\nhouse,Casa\nbank,banco\n").expect("written");
    let reordered = read_all(&spec(
        ImportFormat::Csv,
        &path_string(&path),
        "en",
        Some("es"),
    ));
    let original = read_all(&list(ImportFormat::Csv, "with-header.csv", Some("es")));
    let mut ids = reordered.ids();
    ids.sort();
    let mut original_ids: Vec<String> = original
        .entries()
        .iter()
        .filter(|e| e.lemma == "bank" || e.lemma == "house")
        .map(|e| e.id())
        .collect();
    original_ids.sort();
    // Case of the meaning does not matter either ("Casa" and "casa").
    assert_eq!(ids, original_ids);
    assert_eq!(
        original.records,
        read_all(&list(ImportFormat::Csv, "with-header.csv", Some("es"))).records
    );
}

#[test]
fn without_a_translation_language_the_meaning_is_a_gloss() {
    let all = read_all(&list(ImportFormat::Csv, "with-header.csv", None));
    let house = all.entries_of("house")[0];
    assert!(house.translations.is_empty());
    assert_eq!(summary(house).2, strings(&["casa"]));
    let ice_cream = all.entries_of("ice cream")[0];
    assert_eq!(summary(ice_cream).2, strings(&["helado, mantecado"]));
    assert!(ice_cream.has_content());
}

#[test]
fn a_semicolon_csv_without_header_is_read_by_position() {
    let all = read_all(&list(ImportFormat::Csv, "semicolons.csv", Some("es")));
    assert!(all.malformed.is_empty());
    let entries: Vec<_> = all.entries().into_iter().map(summary).collect();
    assert_eq!(
        entries,
        vec![
            (
                "house".into(),
                strings(&["casa"]),
                strings(&["casa"]),
                strings(&["La casa es grande."])
            ),
            ("tea".into(), strings(&["té"]), vec![], vec![]),
            ("bank; river".into(), strings(&["orilla"]), vec![], vec![]),
        ]
    );
    assert_eq!(all.order, vec![1, 2, 3]);
}

#[test]
fn a_tsv_header_can_name_definitions() {
    let all = read_all(&list(ImportFormat::Tsv, "definitions.tsv", Some("es")));
    let entries: Vec<_> = all.entries().into_iter().map(summary).collect();
    assert_eq!(
        entries,
        vec![
            (
                "house".into(),
                vec![],
                strings(&["a building where people live"]),
                strings(&["They live in a small house."])
            ),
            (
                "run".into(),
                vec![],
                strings(&["to move fast on foot"]),
                vec![]
            ),
        ]
    );
}

#[test]
fn a_tsv_without_header_reports_the_empty_word_and_goes_on() {
    let all = read_all(&list(ImportFormat::Tsv, "no-header.tsv", Some("es")));
    assert_eq!(all.order, vec![1, 2, 3]);
    assert_eq!(all.malformed.len(), 1);
    assert_eq!(all.malformed[0].line, 2);
    let lemmas: Vec<&str> = all.entries().iter().map(|e| e.lemma.as_str()).collect();
    assert_eq!(lemmas, vec!["house", "bank"]);
}

#[test]
fn invalid_utf8_in_a_cell_is_malformed() {
    let dir = scratch_dir("word-list-utf8");
    let path = dir.join("latin1.csv");
    std::fs::write(&path, b"house,casa\ncaf\xe9,cafe\ntea,te\n").expect("written");
    let all = read_all(&spec(
        ImportFormat::Csv,
        &path_string(&path),
        "en",
        Some("es"),
    ));
    assert_eq!(all.order, vec![1, 2, 3]);
    assert_eq!(all.malformed.len(), 1);
    assert!(all.malformed[0].reason.contains("UTF-8"));
}

#[test]
fn quoted_line_breaks_crlf_and_blank_lines_keep_line_numbers_right() {
    let dir = scratch_dir("word-list-multiline");
    let path = dir.join("multiline.csv");
    let text = "house,\"casa,\r\nhogar\",\"Line one\r\nline two\"\r\n\r\nbank,banco\r\n,nada\r\ntea,\"never closed\r\n";
    std::fs::write(&path, text).expect("written");
    let all = read_all(&spec(
        ImportFormat::Csv,
        &path_string(&path),
        "en",
        Some("es"),
    ));
    // Lines 1-3 are one record, line 4 is blank.
    assert_eq!(all.order, vec![1, 5, 6, 7]);
    let entries: Vec<_> = all.entries().into_iter().map(summary).collect();
    assert_eq!(
        entries,
        vec![
            (
                "house".into(),
                strings(&["casa, hogar"]),
                strings(&["casa, hogar"]),
                strings(&["Line one line two"])
            ),
            ("bank".into(), strings(&["banco"]), vec![], vec![]),
        ]
    );
    let bad: Vec<(u64, &str)> = all
        .malformed
        .iter()
        .map(|m| (m.line, m.reason.as_str()))
        .collect();
    assert_eq!(
        bad,
        vec![(6, "empty word"), (7, "a quoted field is never closed")]
    );
}

#[test]
fn a_word_that_is_no_valid_lemma_is_malformed() {
    let dir = scratch_dir("word-list-long-word");
    let path = dir.join("long.csv");
    std::fs::write(
        &path,
        format!("{},long\n<b></b>,markup only\nok,bien\n", "a".repeat(101)),
    )
    .expect("written");
    let all = read_all(&spec(
        ImportFormat::Csv,
        &path_string(&path),
        "en",
        Some("es"),
    ));
    let bad: Vec<(u64, &str)> = all
        .malformed
        .iter()
        .map(|m| (m.line, m.reason.as_str()))
        .collect();
    assert_eq!(
        bad,
        vec![
            (1, "a word must be at most 100 characters"),
            (2, "empty word")
        ]
    );
    assert_eq!(all.entries().len(), 1);
}
