use crate::fakes::*;
use lingo_dictionary::lookup::LookupError;
use lingo_dictionary::ports::{DictionaryProvider, EntryStore, ProviderError};
use lingo_kernel::CefrLevel;
use std::sync::Arc;

#[tokio::test]
async fn stored_entries_answer_without_asking_providers() {
    let world = World::new();
    world
        .entries
        .put_entries(&[entry("wordnet-3.0", "house", "noun", "a dwelling")])
        .await
        .unwrap();
    let provider = Arc::new(ScriptedProvider::new("free-dictionary-api", vec![]));
    let lookup = world
        .lookup(vec![provider.clone()])
        .lookup(&en(), "House")
        .await
        .expect("found");
    assert_eq!(lookup.lemma, "house");
    assert_eq!(lookup.entries.len(), 1);
    assert_eq!(provider.calls(), 0);
    // Entries without metadata rows (a crash between the two writes) are repaired.
    assert_eq!(lookup.words.len(), 1);
    assert_eq!(lookup.words[0].sources[0].as_str(), "wordnet-3.0");
    assert_eq!(lookup.cefr, Some(CefrLevel::A1));
}

#[tokio::test]
async fn providers_are_asked_in_order_and_their_answer_is_stored_and_cached() {
    let world = World::new();
    let first = Arc::new(ScriptedProvider::new("first", vec![]));
    let second = Arc::new(ScriptedProvider::new(
        "second",
        vec![entry("second", "book", "noun", "pages bound together")],
    ));
    let service = world.lookup(vec![
        first.clone() as Arc<dyn DictionaryProvider>,
        second.clone(),
    ]);
    let lookup = service.lookup(&en(), "book").await.expect("found");
    assert_eq!(lookup.entries[0].senses[0].gloss, "pages bound together");
    assert_eq!((first.calls(), second.calls()), (1, 1));
    assert_eq!(
        world.entries.raw.lock().unwrap().len(),
        1,
        "raw answer kept"
    );
    assert_eq!(world.entries.entries.lock().unwrap().len(), 1);
    let rows = world.words.0.lock().unwrap().clone();
    assert_eq!(rows.len(), 1);
    assert!((rows[0].zipf.unwrap().get() - 5.43).abs() < 1e-9);
    // The second lookup is served from the cache.
    service.lookup(&en(), "book").await.expect("found");
    assert_eq!((first.calls(), second.calls()), (1, 1));
}

#[tokio::test]
async fn concurrent_misses_for_one_word_cause_one_provider_call() {
    let world = World::new();
    let provider = Arc::new(ScriptedProvider::new(
        "p",
        vec![entry("p", "house", "noun", "a dwelling")],
    ));
    let service = Arc::new(world.lookup(vec![provider.clone()]));
    let lookups = (0..12).map(|_| {
        let service = service.clone();
        tokio::spawn(async move { service.lookup(&en(), "house").await })
    });
    for result in futures_util::future::join_all(lookups).await {
        assert_eq!(result.expect("task").expect("found").lemma, "house");
    }
    assert_eq!(provider.calls(), 1);
}

#[tokio::test]
async fn a_miss_is_cached_with_close_matches() {
    let world = World::new();
    world
        .entries
        .put_entries(&[entry("wordnet-3.0", "house", "noun", "a dwelling")])
        .await
        .unwrap();
    let service = world.lookup(vec![]);
    service.lookup(&en(), "house").await.expect("found");
    let provider = Arc::new(ScriptedProvider::new("p", vec![]));
    let service = world.lookup(vec![provider.clone()]);
    for _ in 0..2 {
        match service.lookup(&en(), "housx").await {
            Err(LookupError::NotFound { close_matches }) => assert_eq!(close_matches, ["house"]),
            other => panic!("expected not found, got {other:?}"),
        }
    }
    assert_eq!(provider.calls(), 1, "the second miss came from the cache");
}

#[tokio::test]
async fn an_unavailable_provider_is_reported_and_not_cached() {
    let world = World::new();
    let provider = Arc::new(ScriptedProvider::failing(
        "p",
        ProviderError::Unavailable("timeout".into()),
    ));
    let service = world.lookup(vec![provider.clone()]);
    for _ in 0..2 {
        assert!(matches!(
            service.lookup(&en(), "house").await,
            Err(LookupError::Unavailable(_))
        ));
    }
    assert_eq!(provider.calls(), 2);
}

#[tokio::test]
async fn inflected_input_resolves_to_the_lemma() {
    let world = World::new();
    world
        .entries
        .put_entries(&[
            entry("wordnet-3.0", "go", "verb", "move"),
            entry("wordnet-3.0", "child", "noun", "a young person"),
        ])
        .await
        .unwrap();
    let service = world.lookup(vec![]);
    let went = service.lookup(&en(), "went").await.expect("found");
    assert_eq!(
        (went.lemma.as_str(), went.query.as_deref()),
        ("go", Some("went"))
    );
    let children = service.lookup(&en(), "Children").await.expect("found");
    assert_eq!(children.lemma, "child");
    // A regular plural goes through the suffix rules and the frequency list.
    let provider = Arc::new(ScriptedProvider::new(
        "p",
        vec![entry("p", "book", "noun", "pages")],
    ));
    let books = world
        .lookup(vec![provider])
        .lookup(&en(), "books")
        .await
        .expect("found");
    assert_eq!(books.lemma, "book");
}

#[tokio::test]
async fn invalid_input_is_refused() {
    let world = World::new();
    assert!(matches!(
        world.lookup(vec![]).lookup(&en(), " \u{7} ").await,
        Err(LookupError::Invalid(_))
    ));
}
