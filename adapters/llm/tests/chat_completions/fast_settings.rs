//! Settings that keep the tests fast (short timeouts and backoffs), the request for "house" for
//! a Persian-speaking A2 learner, and helpers to name the error a test expects.

use chrono::DateTime;
use lingo_content::ports::{ContentRequest, Generated, GeneratorError, WordForContent};
use lingo_dictionary::{
    Entry, PartOfSpeech, Pronunciation, Provenance, Sense, SourceId, Translation,
};
use lingo_http::testing::Recorded;
use lingo_kernel::{CefrLevel, LanguageCode};
use lingo_llm::{LlmSettings, OpenAiCompatibleGenerator};
use std::time::Duration;

pub const API_KEY: &str = "sk-test-0123456789abcdef";
pub const MODEL: &str = "gpt-4o-mini";

pub fn fast_settings(base_url: &str) -> LlmSettings {
    LlmSettings {
        api_key: Some(API_KEY.to_owned()),
        timeout: Duration::from_millis(300),
        max_attempts: 3,
        base_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(50),
        ..LlmSettings::new(base_url, MODEL)
    }
}

pub fn generator(base_url: &str) -> OpenAiCompatibleGenerator {
    OpenAiCompatibleGenerator::new(fast_settings(base_url)).expect("valid settings")
}

pub fn persian() -> LanguageCode {
    LanguageCode::parse("fa").expect("valid language code")
}

/// "house", with a Wiktionary entry that has a gloss, a Persian translation and IPA.
pub fn house_for_persian_a2() -> ContentRequest {
    ContentRequest {
        word: WordForContent {
            id: lingo_kernel::WordId::from_uuid(uuid::Uuid::nil()),
            language: LanguageCode::english(),
            lemma: "house".to_owned(),
            part_of_speech: PartOfSpeech::parse("noun"),
            zipf: None,
            entries: vec![house_entry()],
        },
        native: persian(),
        level: CefrLevel::A2,
        repair: None,
    }
}

fn house_entry() -> Entry {
    Entry {
        language: LanguageCode::english(),
        lemma: "house".to_owned(),
        headword: "house".to_owned(),
        part_of_speech: PartOfSpeech::parse("noun"),
        discriminator: "noun".to_owned(),
        senses: vec![Sense {
            gloss: "A structure serving as an abode of human beings.".to_owned(),
            examples: Vec::new(),
            tags: Vec::new(),
            synonyms: Vec::new(),
        }],
        pronunciations: vec![Pronunciation {
            ipa: Some("/haʊs/".to_owned()),
            audio_url: None,
            accent: Some("UK".to_owned()),
        }],
        translations: vec![Translation {
            language: persian(),
            text: "خانه".to_owned(),
            sense: None,
        }],
        forms: Vec::new(),
        provenance: Provenance {
            source: SourceId::parse("wiktionary").expect("valid source id"),
            licence: "CC BY-SA 4.0".to_owned(),
            retrieved_at: DateTime::from_timestamp(1_700_000_000, 0).expect("valid timestamp"),
            origin: None,
        },
    }
}

pub fn expect_unavailable(result: Result<Generated, GeneratorError>) -> String {
    match result {
        Err(GeneratorError::Unavailable(message)) => message,
        other => panic!("expected Unavailable, got {other:?}"),
    }
}

pub fn expect_misconfigured(result: Result<Generated, GeneratorError>) -> String {
    match result {
        Err(GeneratorError::Misconfigured(message)) => message,
        other => panic!("expected Misconfigured, got {other:?}"),
    }
}

pub fn expect_malformed(result: Result<Generated, GeneratorError>) -> String {
    match result {
        Err(GeneratorError::Malformed(message)) => message,
        other => panic!("expected Malformed, got {other:?}"),
    }
}

/// The messages of a recorded chat-completions request.
pub trait ChatMessages {
    /// The content of the message with `role`.
    fn message(&self, role: &str) -> String;
}

impl ChatMessages for Recorded {
    fn message(&self, role: &str) -> String {
        self.json()["messages"]
            .as_array()
            .expect("messages")
            .iter()
            .find(|message| message["role"] == role)
            .and_then(|message| message["content"].as_str())
            .unwrap_or_else(|| panic!("no {role} message"))
            .to_owned()
    }
}
