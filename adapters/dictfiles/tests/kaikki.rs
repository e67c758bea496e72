//! Wiktextract / kaikki.org JSON lines, through the `RecordFormats` port.

mod support;

use lingo_dictionary::import::{ImportFormat, ImportSpec};
use lingo_dictionary::{Entry, PartOfSpeech};
use support::*;

fn tiny(translations_into: Option<&str>) -> ImportSpec {
    spec(
        ImportFormat::Kaikki,
        &fixture("kaikki/tiny-en.jsonl"),
        "en",
        translations_into,
    )
}

fn by_discriminator<'a>(all: &'a ReadAll, lemma: &str, discriminator: &str) -> &'a Entry {
    all.entries()
        .into_iter()
        .find(|e| e.lemma == lemma && e.discriminator == discriminator)
        .unwrap_or_else(|| panic!("{lemma} {discriminator} is read"))
}

#[test]
fn one_record_per_non_blank_line_and_malformed_lines_are_reported() {
    let all = read_all(&tiny(None));
    assert!(all.io_errors.is_empty());
    assert_eq!(all.order, vec![1, 2, 4, 5, 6, 7, 8, 9, 10]);
    let bad: Vec<u64> = all.malformed.iter().map(|m| m.line).collect();
    assert_eq!(bad, vec![4, 6, 9]);
    assert!(
        all.malformed[0].reason.contains("JSON"),
        "{:?}",
        all.malformed[0]
    );
    assert!(
        all.malformed[1].reason.contains("word"),
        "{:?}",
        all.malformed[1]
    );
    assert!(
        all.malformed[2].reason.contains("schema"),
        "{:?}",
        all.malformed[2]
    );
    assert_eq!(all.position.done, all.position.total.unwrap_or_default());
}

#[test]
fn lines_in_another_language_are_records_without_entries() {
    let all = read_all(&tiny(None));
    let german = all
        .records
        .iter()
        .find(|r| r.line == 5)
        .expect("line 5 is a record");
    assert!(german.entries.is_empty());
    assert_eq!(all.skipped(), 1);
    assert_eq!(all.entries().len(), 5);
}

#[test]
fn a_noun_with_sounds_forms_senses_and_translations() {
    let all = read_all(&tiny(None));
    let house = by_discriminator(&all, "house", "noun-1");
    assert_eq!(house.part_of_speech, PartOfSpeech::parse("noun"));
    let accents: Vec<(Option<&str>, Option<&str>, Option<&str>)> = house
        .pronunciations
        .iter()
        .map(|p| {
            (
                p.ipa.as_deref(),
                p.audio_url.as_deref(),
                p.accent.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        accents,
        vec![
            (Some("/haʊs/"), None, Some("UK")),
            (
                Some("/haʊs/"),
                Some("https://upload.example.org/en-us-house.mp3"),
                Some("US")
            ),
        ]
    );
    let forms: Vec<&str> = house.forms.iter().map(|f| f.form.as_str()).collect();
    assert_eq!(forms, vec!["houses"]);
    assert_eq!(house.forms[0].tags, vec!["plural"]);
    assert_eq!(house.senses.len(), 2);
    let first = &house.senses[0];
    assert_eq!(first.gloss, "A building in which people live.");
    assert_eq!(first.examples[0].text, "They bought a house by the sea.");
    assert_eq!(
        first.examples[0].translation.as_deref(),
        Some("Ils ont acheté une maison au bord de la mer.")
    );
    assert_eq!(first.tags, vec!["countable"]);
    assert_eq!(first.synonyms, vec!["home", "dwelling"]);
    // A sub-sense's gloss is its own, not the parent's repeated.
    assert_eq!(
        house.senses[1].gloss,
        "The people who live in such a building."
    );
    assert_eq!(
        house.senses[1].examples[0].translation.as_deref(),
        Some("(all of them)")
    );
    let translations: Vec<(&str, &str, Option<&str>)> = house
        .translations
        .iter()
        .map(|t| (t.language.as_str(), t.text.as_str(), t.sense.as_deref()))
        .collect();
    assert_eq!(
        translations,
        vec![
            ("fa", "خانه", Some("dwelling")),
            ("ar", "بَيْت", Some("dwelling")),
            ("es", "casa", None)
        ]
    );
}

#[test]
fn translations_are_limited_to_the_translation_language_when_one_is_given() {
    let all = read_all(&tiny(Some("fa")));
    let house = by_discriminator(&all, "house", "noun-1");
    let texts: Vec<&str> = house.translations.iter().map(|t| t.text.as_str()).collect();
    assert_eq!(texts, vec!["خانه"]);
}

#[test]
fn etymologies_tell_homographs_apart_and_markup_is_stripped() {
    let all = read_all(&tiny(None));
    let money = by_discriminator(&all, "bank", "noun-1");
    assert_eq!(money.senses[0].tags, vec!["finance"]);
    assert_eq!(
        money.pronunciations[0].audio_url.as_deref(),
        Some("https://commons.wikimedia.org/wiki/Special:FilePath/En-us-bank.ogg")
    );
    let river = by_discriminator(&all, "bank", "noun-2");
    assert_eq!(river.senses[0].gloss, "The edge of a river or lake.");
    assert_ne!(money.id(), river.id());
    let verb = by_discriminator(&all, "house", "verb");
    assert_eq!(verb.senses[0].gloss, "To give shelter to.");
    let give_up = by_discriminator(&all, "give up", "verb");
    assert_eq!(give_up.headword, "give up");
}

#[test]
fn the_raw_record_is_the_json_object() {
    let all = read_all(&tiny(None));
    let record = all
        .records
        .iter()
        .find(|r| r.line == 2)
        .expect("line 2 is a record");
    assert_eq!(record.raw.format, "json");
    assert_eq!(record.raw.key, "house|verb");
    assert_eq!(record.raw.payload["senses"][0]["tags"][0], "transitive");
}

#[test]
fn reading_twice_gives_identical_entries_and_ids() {
    let (first, second) = (read_all(&tiny(None)), read_all(&tiny(None)));
    assert_eq!(first.records, second.records);
    let mut ids = first.ids();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 5);
}

#[test]
fn invalid_utf8_is_a_malformed_line_and_reading_goes_on() {
    let dir = scratch_dir("kaikki-utf8");
    let path = dir.join("bad.jsonl");
    let mut bytes =
        br#"{"word": "one", "pos": "num", "lang_code": "en", "senses": [{"glosses": ["1"]}]}"#
            .to_vec();
    bytes.extend_from_slice(b"\n{\"word\": \"caf\xe9\", \"lang_code\": \"en\"}\n");
    bytes.extend_from_slice(
        br#"{"word": "two", "pos": "num", "lang_code": "en", "senses": [{"glosses": ["2"]}]}"#,
    );
    std::fs::write(&path, bytes).expect("written");
    let all = read_all(&spec(ImportFormat::Kaikki, &path_string(&path), "en", None));
    assert_eq!(all.order, vec![1, 2, 3]);
    assert_eq!(all.malformed.len(), 1);
    assert!(all.malformed[0].reason.contains("UTF-8"));
    let lemmas: Vec<&str> = all.entries().iter().map(|e| e.lemma.as_str()).collect();
    assert_eq!(lemmas, vec!["one", "two"]);
}
