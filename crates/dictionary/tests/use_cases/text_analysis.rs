use crate::fakes::*;
use lingo_dictionary::analyse_text::{AnalyseError, MAX_TEXT_CHARS, TextAnalysisService};
use lingo_dictionary::ports::{LemmaTable, WordRepository};
use lingo_dictionary::{PartOfSpeech, SourceId, WordUpsert};
use lingo_kernel::{LanguageCode, UserId};
use std::sync::Arc;

fn analyser(world: &World, vocabulary: Arc<MemVocabulary>) -> TextAnalysisService {
    TextAnalysisService::new(
        world.lemmatiser.clone(),
        world.words.clone(),
        world.frequencies.clone(),
        vocabulary,
    )
}

async fn know(world: &World, language: &LanguageCode, lemmas: &[&str]) {
    let upserts: Vec<WordUpsert> = lemmas
        .iter()
        .map(|l| WordUpsert {
            language: language.clone(),
            lemma: l.to_string(),
            part_of_speech: PartOfSpeech::parse("noun"),
            source: SourceId::parse("test").unwrap(),
            zipf: None,
            cefr: None,
        })
        .collect();
    world.words.upsert(&upserts).await.unwrap();
}

#[tokio::test]
async fn english_text_is_lemmatised_counted_and_marked() {
    let world = World::new();
    know(&world, &en(), &["house", "child"]).await;
    let vocabulary = Arc::new(MemVocabulary::default());
    vocabulary.0.lock().unwrap().insert("house".into());
    let analysis = analyser(&world, vocabulary)
        .analyse(
            &en(),
            "The children went home. The child saw houses; a house!",
            Some(UserId::new()),
        )
        .await
        .expect("analysed");
    let word = |l: &str| {
        analysis
            .words
            .iter()
            .find(|w| w.lemma == l)
            .unwrap_or_else(|| panic!("{l} missing"))
    };
    assert_eq!(word("child").count, 2);
    assert_eq!(word("child").forms, ["child", "children"]);
    assert_eq!(word("house").count, 2);
    assert_eq!(word("house").in_my_decks, Some(true));
    assert_eq!(word("child").in_my_decks, Some(false));
    assert!(word("house").in_dictionary);
    assert_eq!(word("go").count, 1);
    assert!((word("go").zipf.unwrap().get() - 6.0).abs() < 1e-9);
    assert_eq!(analysis.tokens, 10);
}

#[tokio::test]
async fn persian_zwnj_plurals_and_arabic_forms_use_the_lemma_tables() {
    let world = World::new();
    let fa = LanguageCode::parse("fa").unwrap();
    world
        .table
        .load(&fa, &[("کتاب\u{200C}ها".into(), "کتاب".into())])
        .await
        .unwrap();
    let analysis = analyser(&world, Arc::new(MemVocabulary::default()))
        .analyse(&fa, "کتاب‌ها را خواندم. این کتاب خوب است و دفترها", None)
        .await
        .expect("analysed");
    let book = analysis
        .words
        .iter()
        .find(|w| w.lemma == "کتاب")
        .expect("lemma");
    assert_eq!(book.count, 2);
    assert_eq!(book.in_my_decks, None);
    // Suffix rule without a table entry: the part before the ZWNJ.
    let notebooks = analyser(&world, Arc::new(MemVocabulary::default()))
        .analyse(&fa, "دفتر‌ها", None)
        .await
        .unwrap();
    assert_eq!(notebooks.words[0].lemma, "دفتر");
}

#[tokio::test]
async fn empty_and_oversized_texts_are_refused() {
    let world = World::new();
    let analyser = analyser(&world, Arc::new(MemVocabulary::default()));
    assert_eq!(
        analyser.analyse(&en(), " \n\t ", None).await.unwrap_err(),
        AnalyseError::Empty
    );
    // A text with no words is not an error: it has no words.
    let wordless = analyser.analyse(&en(), " 123 !!", None).await.unwrap();
    assert!(wordless.words.is_empty());
    let long = "a ".repeat(MAX_TEXT_CHARS);
    assert_eq!(
        analyser.analyse(&en(), &long, None).await.unwrap_err(),
        AnalyseError::TooLong
    );
}

#[tokio::test]
async fn headwords_with_a_part_of_speech_stay_whole_and_rarer_lookalikes_are_not_lemmas() {
    let world = World::new();
    // "houses" is a headword of a bilingual list (no part of speech); "news" is a WordNet noun.
    let rows = [
        ("houses", ""),
        ("house", "noun"),
        ("news", "noun"),
        ("hi", "interjection"),
        ("his", ""),
    ];
    let upserts: Vec<WordUpsert> = rows
        .iter()
        .map(|(l, pos)| WordUpsert {
            language: en(),
            lemma: l.to_string(),
            part_of_speech: PartOfSpeech::parse(pos),
            source: SourceId::parse("test").unwrap(),
            zipf: None,
            cefr: None,
        })
        .collect();
    world.words.upsert(&upserts).await.unwrap();
    world.frequencies.0.lock().unwrap().extend([
        (
            "news".to_owned(),
            lingo_dictionary::Zipf::new(5.44).unwrap(),
        ),
        ("new".to_owned(), lingo_dictionary::Zipf::new(6.25).unwrap()),
        ("his".to_owned(), lingo_dictionary::Zipf::new(6.6).unwrap()),
        ("hi".to_owned(), lingo_dictionary::Zipf::new(4.6).unwrap()),
    ]);
    let analysis = analyser(&world, Arc::new(MemVocabulary::default()))
        .analyse(&en(), "houses news his", None)
        .await
        .expect("analysed");
    let lemmas: Vec<&str> = analysis.words.iter().map(|w| w.lemma.as_str()).collect();
    assert!(
        lemmas.contains(&"house") && lemmas.contains(&"news") && lemmas.contains(&"his"),
        "{lemmas:?}"
    );
}
