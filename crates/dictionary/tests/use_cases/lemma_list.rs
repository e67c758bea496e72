//! The committed lemma list (`tests/fixtures/lemmas`, built by `build_lemma_list.py` from
//! WordNet 3.0, simplemma 2.0.0 and wordfreq 3.1.1; see its header): every English form, alone or
//! in its phrase, and every Persian and Arabic form gets its expected lemma from a dictionary
//! that knows what those sources know about the words involved.

use crate::fakes::*;
use lingo_dictionary::normalise::fold_key;
use lingo_dictionary::ports::{LemmaTable, WordRepository};
use lingo_dictionary::tokenise::tokenise;
use lingo_dictionary::{PartOfSpeech, SourceId, WordUpsert, Zipf};
use lingo_kernel::LanguageCode;

const EN: &str = include_str!("../fixtures/lemmas/en.tsv");
const EN_WORDS: &str = include_str!("../fixtures/lemmas/en_words.tsv");
const FA_AR: &str = include_str!("../fixtures/lemmas/fa_ar.tsv");

fn rows(file: &str) -> impl Iterator<Item = Vec<&str>> {
    file.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| l.split('\t').collect())
}

fn upsert(language: &LanguageCode, lemma: &str, pos: &str) -> WordUpsert {
    WordUpsert {
        language: language.clone(),
        lemma: lemma.to_owned(),
        part_of_speech: PartOfSpeech::parse(pos),
        source: SourceId::parse("wordnet-3.0").unwrap(),
        zipf: None,
        cefr: None,
    }
}

async fn english_world() -> World {
    let world = World::new();
    world.frequencies.0.lock().unwrap().clear();
    let mut upserts = Vec::new();
    for row in rows(EN_WORDS) {
        let (word, parts, zipf) = (row[0], row[1], row[2]);
        for pos in parts.split(',').filter(|p| !p.is_empty()) {
            upserts.push(upsert(&en(), word, pos));
        }
        if !zipf.is_empty() {
            let zipf = Zipf::new(zipf.parse().unwrap()).unwrap();
            world
                .frequencies
                .0
                .lock()
                .unwrap()
                .insert(word.to_owned(), zipf);
        }
    }
    world.words.upsert(&upserts).await.unwrap();
    world
}

#[tokio::test]
async fn every_english_form_of_the_list_gets_its_lemma() {
    let world = english_world().await;
    let mut checked = 0;
    let mut wrong = Vec::new();
    for row in rows(EN) {
        let (text, form, expected, kind) = (row[0], row[1], row[2], row[3]);
        let tokens = tokenise(text);
        let at = tokens.iter().position(|t| t == form).unwrap();
        let lemmas = world.lemmatiser.lemmatise(&en(), &tokens).await.unwrap();
        checked += 1;
        if lemmas[at] != expected {
            wrong.push(format!(
                "{text:?}: {form} → {} (expected {expected}; {kind})",
                lemmas[at]
            ));
        }
    }
    assert!(checked >= 200, "the list has {checked} English rows");
    assert!(
        wrong.is_empty(),
        "{} of {checked} wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[tokio::test]
async fn a_looked_up_headword_comes_first_with_the_lemma_it_inflects_next() {
    let world = english_world().await;
    for (form, expected) in [
        ("rose", &["rose", "rise"][..]),
        ("saw", &["saw", "see"]),
        ("left", &["left", "leave"]),
        ("reaching", &["reaching", "reach"]),
        ("houses", &["house", "houses"]),
    ] {
        let candidates = world.lemmatiser.candidates(&en(), form).await.unwrap();
        assert_eq!(candidates[..expected.len()], *expected, "{form}");
    }
}

#[tokio::test]
async fn every_persian_and_arabic_form_of_the_list_gets_its_lemma() {
    let world = World::new();
    let mut checked = 0;
    for language in ["fa", "ar"] {
        let code = LanguageCode::parse(language).unwrap();
        let list: Vec<Vec<&str>> = rows(FA_AR).filter(|r| r[0] == language).collect();
        // The table holds the simplemma rows; the rule rows' forms are left out of it, and
        // every lemma is a headword.
        let table: Vec<(String, String)> = list
            .iter()
            .filter(|r| r[3].starts_with("table"))
            .map(|r| (fold_key(r[1]), r[2].to_owned()))
            .collect();
        world.table.load(&code, &table).await.unwrap();
        let lemmas: Vec<WordUpsert> = list.iter().map(|r| upsert(&code, r[2], "")).collect();
        world.words.upsert(&lemmas).await.unwrap();
        for row in &list {
            let tokens = tokenise(row[1]);
            let got = world.lemmatiser.lemmatise(&code, &tokens).await.unwrap();
            assert_eq!(
                got,
                [fold_key(row[2])],
                "{language} {} ({})",
                row[1],
                row[3]
            );
            checked += 1;
        }
    }
    assert!(checked >= 40, "{checked}");
}
