//! The real dictionaries the project's setup installs (Debian `dict-freedict-eng-spa`,
//! `dict-freedict-eng-ara` and `wordnet-base`). Each test returns early, with a note, on a
//! machine without them.

mod support;

use lingo_dictionary::PartOfSpeech;
use lingo_dictionary::import::ImportFormat;
use std::path::Path;
use support::*;

fn installed(path: &str) -> bool {
    let present = Path::new(path).exists();
    if !present {
        println!("skipped: {path} is not installed");
    }
    present
}

fn index_lines(path: &str) -> (usize, usize) {
    let index = std::fs::read_to_string(path).expect("the index is UTF-8");
    let lines: Vec<&str> = index.lines().filter(|l| !l.trim().is_empty()).collect();
    let metadata = lines
        .iter()
        .filter(|l| l.starts_with("00database") || l.starts_with("00-database"))
        .count();
    (lines.len(), metadata)
}

fn freedict(pair: &str, translation: &str) -> Option<(String, ReadAll)> {
    let index = format!("/usr/share/dictd/freedict-{pair}.index");
    if !installed(&index) {
        return None;
    }
    let all = read_all(&spec(ImportFormat::Dictd, &index, "en", Some(translation)));
    Some((index, all))
}

#[test]
fn freedict_eng_spa_reads_one_record_per_index_line() {
    let Some((index, all)) = freedict("eng-spa", "es") else {
        return;
    };
    let (lines, metadata) = index_lines(&index);
    assert_eq!(all.records.len() + all.malformed.len(), lines);
    assert!(
        all.malformed.is_empty(),
        "{:?}",
        &all.malformed[..all.malformed.len().min(3)]
    );
    assert!(all.io_errors.is_empty());
    assert_eq!(all.skipped(), metadata);
    assert_eq!(Some(all.position.done), all.position.total);
    let house = all.entries_of("house");
    assert!(
        house[0].translations.iter().any(|t| t.text == "casa"),
        "{house:?}"
    );
    assert_eq!(house[0].pronunciations[0].ipa.as_deref(), Some("/haus/"));
    let run = all.entries_of("run")[0];
    let texts: Vec<&str> = run.translations.iter().map(|t| t.text.as_str()).collect();
    assert!(texts.contains(&"correr") && texts.len() > 1, "{texts:?}");
}

#[test]
fn freedict_eng_ara_reads_arabic_translations() {
    let Some((index, all)) = freedict("eng-ara", "ar") else {
        return;
    };
    let (lines, _) = index_lines(&index);
    assert_eq!(all.records.len() + all.malformed.len(), lines);
    assert!(all.io_errors.is_empty());
    let bank = all.entries_of("bank")[0];
    assert_eq!(bank.headword, "Bank");
    assert!(
        bank.translations.iter().any(|t| t.text == "البنك"),
        "{bank:?}"
    );
    let abandon = all.entries_of("abandon")[0];
    assert!(abandon.translations.len() >= 3, "{abandon:?}");
}

#[test]
fn wordnet_reads_every_lemma_with_its_senses() {
    let dir = "/usr/share/wordnet";
    if !installed(&format!("{dir}/index.noun")) {
        return;
    }
    let all = read_all(&spec(ImportFormat::Wordnet, dir, "en", None));
    assert!(
        all.io_errors.is_empty() && all.malformed.is_empty(),
        "{:?}",
        all.malformed.first()
    );
    let mut lines = 0;
    for part in ["noun", "verb", "adj", "adv"] {
        let index = std::fs::read_to_string(format!("{dir}/index.{part}")).expect("readable");
        lines += index.lines().filter(|l| !l.starts_with("  ")).count();
    }
    assert_eq!(all.records.len(), lines);
    let bank = all
        .entries_of("bank")
        .into_iter()
        .find(|e| e.part_of_speech == PartOfSpeech::parse("noun"))
        .expect("bank is a noun");
    assert_eq!(bank.senses.len(), 10);
    assert_eq!(
        bank.senses[0].gloss,
        "sloping land (especially the slope beside a body of water)"
    );
    assert_eq!(
        bank.senses[0].examples[0].text,
        "they pulled the canoe up on the bank"
    );
    assert!(
        bank.senses[1]
            .synonyms
            .contains(&"depository financial institution".to_owned())
    );
    let run_verb = all
        .entries_of("run")
        .into_iter()
        .find(|e| e.part_of_speech == PartOfSpeech::parse("verb"))
        .expect("run is a verb");
    assert_eq!(run_verb.senses.len(), 41);
    assert!(all.entries_of("house").len() >= 2);
}
