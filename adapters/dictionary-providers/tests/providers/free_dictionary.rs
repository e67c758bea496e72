use crate::documented_bodies::{
    FREE_DICTIONARY_BANK, FREE_DICTIONARY_HELLO, FREE_DICTIONARY_NOT_FOUND,
};
use crate::fast_settings::{USER_AGENT, english, free_dictionary, language};
use lingo_dictionary::ports::{DictionaryProvider, ProviderError};
use lingo_dictionary::{Example, Pronunciation};
use lingo_http::testing::{HttpDouble, json};

fn pronunciation(
    ipa: Option<&str>,
    audio_url: Option<&str>,
    accent: Option<&str>,
) -> Pronunciation {
    Pronunciation {
        ipa: ipa.map(str::to_owned),
        audio_url: audio_url.map(str::to_owned),
        accent: accent.map(str::to_owned),
    }
}

#[tokio::test]
async fn hello_becomes_one_entry_per_meaning_with_senses_examples_synonyms_and_pronunciations() {
    let server = HttpDouble::start(json(200, FREE_DICTIONARY_HELLO)).await;

    let answer = free_dictionary(&server.base_url)
        .fetch(&english(), "hello")
        .await
        .expect("an answer");

    let request = server.only_request();
    assert_eq!(request.method, "GET");
    assert_eq!(request.path, "/api/v2/entries/en/hello");
    assert_eq!(request.headers["user-agent"], USER_AGENT);
    assert_eq!(request.headers["accept"], "application/json");

    let summary: Vec<(&str, &str, usize)> = answer
        .entries
        .iter()
        .map(|e| {
            (
                e.part_of_speech.as_str(),
                e.discriminator.as_str(),
                e.senses.len(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("noun", "0-noun", 1),
            ("verb", "0-verb", 1),
            ("interjection", "0-interjection", 2)
        ],
        "the blank third definition of the interjection is dropped"
    );

    let noun = &answer.entries[0];
    assert_eq!(noun.language, english());
    assert_eq!(noun.headword, "hello");
    assert_eq!(noun.lemma, "hello");
    assert_eq!(
        noun.senses[0].gloss,
        "\"Hello!\" or an equivalent greeting."
    );
    assert_eq!(
        noun.senses[0].synonyms,
        ["greeting"],
        "the meaning's synonyms go with its first sense"
    );
    assert_eq!(
        noun.pronunciations,
        [
            pronunciation(
                None,
                Some("https://api.dictionaryapi.dev/media/pronunciations/en/hello-au.mp3"),
                Some("AU")
            ),
            pronunciation(
                Some("/həˈləʊ/"),
                Some("https://api.dictionaryapi.dev/media/pronunciations/en/hello-uk.mp3"),
                Some("UK")
            ),
            pronunciation(Some("/həˈloʊ/"), None, None),
        ]
    );
    assert_eq!(noun.provenance.source.as_str(), "free-dictionary-api");
    assert_eq!(noun.provenance.licence, "CC BY-SA 3.0");
    assert_eq!(
        noun.provenance.origin.as_deref(),
        Some(format!("{}/api/v2/entries/en/hello", server.base_url).as_str())
    );
    assert_eq!(noun.id(), "free-dictionary-api|en|hello|0-noun");

    let interjection = &answer.entries[2];
    assert_eq!(
        interjection.senses[0].examples,
        [Example {
            text: "Hello, everyone.".to_owned(),
            translation: None
        }]
    );
    assert_eq!(interjection.senses[0].synonyms, ["greeting"]);
    assert_eq!(
        interjection.senses[1].gloss,
        "A greeting used when answering the telephone."
    );
    assert_eq!(interjection.senses[1].synonyms, ["hallo"]);
    assert_eq!(
        interjection.senses[1].examples[0].text,
        "Hello? How may I help you?"
    );
}

#[tokio::test]
async fn the_response_is_kept_as_a_json_raw_record_keyed_by_the_fold_key() {
    let server = HttpDouble::start(json(200, FREE_DICTIONARY_HELLO)).await;

    let answer = free_dictionary(&server.base_url)
        .fetch(&english(), " Hello ")
        .await
        .expect("an answer");

    let raw = &answer.raw;
    assert_eq!(raw.source.as_str(), "free-dictionary-api");
    assert_eq!(raw.language, english());
    assert_eq!(raw.lemma, "Hello");
    assert_eq!(raw.key, "hello");
    assert_eq!(raw.format, "json");
    let documented: serde_json::Value = serde_json::from_str(FREE_DICTIONARY_HELLO).expect("json");
    assert_eq!(raw.payload, documented);
    assert_eq!(raw.received_at, answer.entries[0].provenance.retrieved_at);
    assert_eq!(server.only_request().path, "/api/v2/entries/en/Hello");
}

#[tokio::test]
async fn homographs_get_their_own_entries_and_the_licence_defaults_to_cc_by_sa_3() {
    let server = HttpDouble::start(json(200, FREE_DICTIONARY_BANK)).await;

    let answer = free_dictionary(&server.base_url)
        .fetch(&english(), "bank")
        .await
        .expect("an answer");

    let discriminators: Vec<&str> = answer
        .entries
        .iter()
        .map(|e| e.discriminator.as_str())
        .collect();
    assert_eq!(discriminators, ["0-noun", "1-noun"]);
    assert!(
        answer
            .entries
            .iter()
            .all(|e| e.provenance.licence == "CC BY-SA 3.0")
    );
    assert_eq!(
        answer.entries[0].pronunciations,
        [pronunciation(Some("/bæŋk/"), None, None)],
        "the headword's phonetic stands in for missing phonetics"
    );
    assert!(answer.entries[1].pronunciations.is_empty());
    assert_eq!(
        answer.entries[0].senses[0].examples[0].text,
        "I need to go to the bank to deposit this cheque."
    );
    assert_eq!(answer.entries[1].senses[0].synonyms, ["shore"]);
}

#[tokio::test]
async fn an_unknown_word_is_not_found() {
    let server = HttpDouble::start(json(404, FREE_DICTIONARY_NOT_FOUND)).await;

    let result = free_dictionary(&server.base_url)
        .fetch(&english(), "qwertyzzz")
        .await;

    assert_eq!(result, Err(ProviderError::NotFound));
    assert_eq!(server.request_count(), 1, "a 404 is not retried");
}

#[tokio::test]
async fn an_empty_array_is_not_found() {
    let server = HttpDouble::start(json(200, "[]")).await;

    let result = free_dictionary(&server.base_url)
        .fetch(&english(), "hello")
        .await;

    assert_eq!(result, Err(ProviderError::NotFound));
}

#[tokio::test]
async fn words_with_spaces_and_reserved_characters_are_percent_encoded() {
    let server = HttpDouble::start(json(404, FREE_DICTIONARY_NOT_FOUND)).await;
    let provider = free_dictionary(&server.base_url);

    for word in ["ice cream", "AC/DC?", "naïve"] {
        let _ = provider.fetch(&english(), word).await;
    }

    let paths: Vec<String> = server.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(
        paths,
        [
            "/api/v2/entries/en/ice%20cream",
            "/api/v2/entries/en/AC%2FDC%3F",
            "/api/v2/entries/en/na%C3%AFve",
        ]
    );
}

#[tokio::test]
async fn only_configured_languages_are_served_and_others_are_not_asked_for() {
    let server = HttpDouble::start(json(200, FREE_DICTIONARY_HELLO)).await;
    let provider = free_dictionary(&server.base_url);

    assert!(provider.serves(&english()));
    assert!(provider.serves(&language("en-GB")));
    assert!(!provider.serves(&language("fa")));
    assert_eq!(
        provider.fetch(&language("fa"), "سلام").await,
        Err(ProviderError::NotFound)
    );
    assert_eq!(server.request_count(), 0);

    let provider = provider.with_languages([language("es")]);
    assert!(provider.serves(&language("es")));
    assert!(!provider.serves(&english()));
}

#[tokio::test]
async fn a_regional_tag_asks_for_the_primary_language() {
    let server = HttpDouble::start(json(200, FREE_DICTIONARY_HELLO)).await;

    let answer = free_dictionary(&server.base_url)
        .fetch(&language("en-GB"), "hello")
        .await
        .expect("an answer");

    assert_eq!(server.only_request().path, "/api/v2/entries/en/hello");
    assert_eq!(answer.entries[0].language, language("en-GB"));
}
