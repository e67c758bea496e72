use crate::documented_bodies::{WIKTIONARY_CASA, WIKTIONARY_HOUSE, WIKTIONARY_NOT_FOUND};
use crate::fast_settings::{USER_AGENT, english, expect_malformed, fast_settings, language};
use lingo_dictionary::Example;
use lingo_dictionary::ports::{DictionaryProvider, ProviderError};
use lingo_dictionary_providers::Wiktionary;
use lingo_http::testing::{HttpDouble, json};

fn wiktionary(base_url: &str) -> Wiktionary {
    Wiktionary::new(fast_settings(base_url)).expect("valid settings")
}

#[tokio::test]
async fn house_definitions_are_stripped_of_html_with_entities_decoded() {
    let server = HttpDouble::start(json(200, WIKTIONARY_HOUSE)).await;

    let answer = wiktionary(&server.base_url)
        .fetch(&english(), "house")
        .await
        .expect("an answer");

    let request = server.only_request();
    assert_eq!(request.path, "/api/rest_v1/page/definition/house");
    assert_eq!(request.headers["user-agent"], USER_AGENT);

    assert_eq!(
        answer.entries.len(),
        2,
        "only the English section: {:?}",
        answer.entries
    );
    let noun = &answer.entries[0];
    assert_eq!(noun.part_of_speech.as_str(), "noun");
    assert_eq!(noun.discriminator, "noun");
    assert_eq!(noun.headword, "house");
    assert_eq!(noun.lemma, "house");
    let glosses: Vec<&str> = noun.senses.iter().map(|s| s.gloss.as_str()).collect();
    assert_eq!(
        glosses,
        [
            "A structure built or serving as an abode of human beings.",
            "A building for people & their belongings, esp. a home.",
        ],
        "the two definitions that are empty once stripped are dropped"
    );
    assert_eq!(
        noun.senses[0].examples,
        [Example {
            text: "This is my house and my family's ancestral home.".to_owned(),
            translation: None
        }]
    );
    assert_eq!(noun.provenance.source.as_str(), "wiktionary");
    assert_eq!(noun.provenance.licence, "CC BY-SA 4.0");
    assert_eq!(
        noun.provenance.origin.as_deref(),
        Some(format!("{}/api/rest_v1/page/definition/house", server.base_url).as_str())
    );

    let verb = &answer.entries[1];
    assert_eq!(verb.discriminator, "verb");
    assert_eq!(
        verb.senses[0].gloss,
        "(transitive) To keep within a structure or container."
    );
    assert_eq!(
        verb.senses[0].examples[0].text,
        "house the pipes in concrete"
    );

    assert_eq!(answer.raw.source.as_str(), "wiktionary");
    assert_eq!(answer.raw.key, "house");
    assert_eq!(answer.raw.format, "json");
    assert!(
        answer.raw.payload["fr"].is_array(),
        "the raw record keeps every language"
    );
}

#[tokio::test]
async fn spanish_casa_is_read_from_the_section_of_the_primary_language() {
    let server = HttpDouble::start(json(200, WIKTIONARY_CASA)).await;
    let latin_american_spanish = language("es-419");

    let answer = wiktionary(&server.base_url)
        .fetch(&latin_american_spanish, "casa")
        .await
        .expect("an answer");

    assert_eq!(answer.entries.len(), 2);
    let noun = &answer.entries[0];
    assert_eq!(noun.language, latin_american_spanish);
    assert_eq!(noun.senses[0].gloss, "house, home");
    assert_eq!(noun.senses[1].gloss, "household");
    assert_eq!(
        noun.senses[0].examples,
        [Example {
            text: "Mi casa es su casa.".to_owned(),
            translation: Some("My house is your house.".to_owned()),
        }],
        "parsed examples carry the translation"
    );
    assert_eq!(answer.entries[1].senses[0].gloss, "inflection of casar:");
    assert_eq!(answer.raw.language, latin_american_spanish);
}

#[tokio::test]
async fn a_word_without_a_section_for_the_language_is_not_found() {
    let server = HttpDouble::start(json(200, WIKTIONARY_CASA)).await;

    let result = wiktionary(&server.base_url)
        .fetch(&language("fa"), "casa")
        .await;

    assert_eq!(result, Err(ProviderError::NotFound));
}

#[tokio::test]
async fn a_section_with_only_empty_definitions_is_not_found() {
    let body = r#"{"en":[{"partOfSpeech":"Noun","language":"English","definitions":[{"definition":"<span></span>"}]}]}"#;
    let server = HttpDouble::start(json(200, body)).await;

    let result = wiktionary(&server.base_url)
        .fetch(&english(), "house")
        .await;

    assert_eq!(result, Err(ProviderError::NotFound));
}

#[tokio::test]
async fn the_404_problem_object_is_not_found() {
    let server = HttpDouble::start(json(404, WIKTIONARY_NOT_FOUND)).await;

    let result = wiktionary(&server.base_url)
        .fetch(&english(), "qwertyzzz")
        .await;

    assert_eq!(result, Err(ProviderError::NotFound));
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn spaces_become_underscores_and_arabic_is_percent_encoded() {
    let server = HttpDouble::start(json(404, WIKTIONARY_NOT_FOUND)).await;
    let provider = wiktionary(&server.base_url);

    let _ = provider.fetch(&english(), "ice cream").await;
    let _ = provider.fetch(&language("ar"), "كتاب").await;
    let _ = provider.fetch(&language("ar"), "  كتاب جديد ").await;

    let paths: Vec<String> = server.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(
        paths,
        [
            "/api/rest_v1/page/definition/ice_cream",
            "/api/rest_v1/page/definition/%D9%83%D8%AA%D8%A7%D8%A8",
            "/api/rest_v1/page/definition/%D9%83%D8%AA%D8%A7%D8%A8_%D8%AC%D8%AF%D9%8A%D8%AF",
        ]
    );
}

#[tokio::test]
async fn a_section_of_the_wrong_shape_is_malformed_but_other_sections_are_not_checked() {
    let body = r#"{"en": {"partOfSpeech": "Noun"}, "fr": 42}"#;
    let server = HttpDouble::start(json(200, body)).await;
    let provider = wiktionary(&server.base_url);

    let message = expect_malformed(provider.fetch(&english(), "house").await);
    assert!(message.contains("'en'"), "{message}");
    assert_eq!(
        server.request_count(),
        1,
        "a malformed answer is not retried"
    );

    let odd_french = r#"{"fr": 42, "en": [{"partOfSpeech":"Noun","language":"English","definitions":[{"definition":"a <b>home</b>"}]}]}"#;
    let server = HttpDouble::start(json(200, odd_french)).await;
    let answer = wiktionary(&server.base_url)
        .fetch(&english(), "house")
        .await
        .expect("the English section is fine");
    assert_eq!(answer.entries[0].senses[0].gloss, "a home");
}

#[tokio::test]
async fn an_answer_that_is_not_an_object_is_malformed() {
    let server = HttpDouble::start(json(200, r#"["house"]"#)).await;

    let message = expect_malformed(
        wiktionary(&server.base_url)
            .fetch(&english(), "house")
            .await,
    );

    assert!(message.contains("keyed by language code"), "{message}");
}

#[test]
fn wiktionary_serves_every_language() {
    let provider = Wiktionary::new(Wiktionary::default_settings()).expect("valid defaults");
    for code in ["en", "fa", "ar", "zh-Hant", "es-419"] {
        assert!(provider.serves(&language(code)), "{code}");
    }
}
