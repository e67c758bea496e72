//! Content generation against in-memory ports: schema checks, one repair, failures, versions,
//! usage accounting, and the extractive generator on dictionary-shaped data.
#![allow(clippy::unwrap_used)] // test fakes: a poisoned mutex is a failed test

use async_trait::async_trait;
use chrono::{NaiveDate, TimeZone, Utc};
use lingo_content::extractive::{ExtractiveGenerator, extract};
use lingo_content::generate_content::{ContentDeps, ContentGenerationService, GenerateContent};
use lingo_content::ports::*;
use lingo_content::{ContentKey, LearnerContent, LevelBand};
use lingo_dictionary::meaning::MeaningChains;
use lingo_dictionary::ports::StoreError;
use lingo_dictionary::testing::{MemEntries, MemWords};
use lingo_dictionary::*;
use lingo_kernel::jobs::JobError;
use lingo_kernel::{CefrLevel, FixedClock, LanguageCode, WordId};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

fn en() -> LanguageCode {
    LanguageCode::english()
}
fn fa() -> LanguageCode {
    LanguageCode::parse("fa").unwrap()
}

fn provenance(source: &str) -> Provenance {
    Provenance {
        source: SourceId::parse(source).unwrap(),
        licence: "test".into(),
        retrieved_at: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
        origin: None,
    }
}

fn wordnet_house() -> Entry {
    Entry {
        language: en(),
        lemma: "house".into(),
        headword: "house".into(),
        part_of_speech: PartOfSpeech::parse("noun"),
        discriminator: "noun".into(),
        senses: vec![Sense {
            gloss: "a dwelling that serves as living quarters for one or more families".into(),
            examples: vec![Example {
                text: "he has a house on Cape Cod".into(),
                translation: None,
            }],
            tags: vec![],
            synonyms: vec!["house".into(), "full house".into()],
        }],
        pronunciations: vec![],
        translations: vec![],
        forms: vec![],
        provenance: provenance("wordnet-3.0"),
    }
}

fn freedict_house(language: &str, text: &str) -> Entry {
    Entry {
        discriminator: "1".into(),
        senses: vec![],
        part_of_speech: PartOfSpeech::unknown(),
        pronunciations: vec![Pronunciation {
            ipa: Some("/haʊs/".into()),
            audio_url: None,
            accent: None,
        }],
        translations: vec![Translation {
            language: LanguageCode::parse(language).unwrap(),
            text: text.into(),
            sense: None,
        }],
        provenance: provenance("freedict"),
        ..wordnet_house()
    }
}

/// Drafts in memory; `down` makes every call fail (the drafts store is down too).
#[derive(Default)]
struct Drafts {
    kept: Mutex<HashMap<String, ContentVersion>>,
    down: std::sync::atomic::AtomicBool,
}
impl Drafts {
    fn check(&self) -> Result<(), StoreError> {
        if self.down.load(std::sync::atomic::Ordering::SeqCst) {
            Err(StoreError::Unavailable("drafts down".into()))
        } else {
            Ok(())
        }
    }
}
#[async_trait]
impl ContentDrafts for Drafts {
    async fn keep(&self, version: &ContentVersion) -> Result<(), StoreError> {
        self.check()?;
        self.kept
            .lock()
            .unwrap()
            .insert(version.key.id(), version.clone());
        Ok(())
    }
    async fn get(&self, key: &ContentKey) -> Result<Option<ContentVersion>, StoreError> {
        self.check()?;
        Ok(self.kept.lock().unwrap().get(&key.id()).cloned())
    }
    async fn discard(&self, key: &ContentKey) -> Result<(), StoreError> {
        self.check()?;
        self.kept.lock().unwrap().remove(&key.id());
        Ok(())
    }
}

/// The content store; fails the next `failing_puts` puts.
#[derive(Default)]
struct Store(Mutex<Vec<ContentVersion>>, std::sync::atomic::AtomicU32);
#[async_trait]
impl ContentStore for Store {
    async fn latest(&self, key: &ContentKey) -> Result<Option<ContentVersion>, StoreError> {
        Ok(self
            .0
            .lock()
            .unwrap()
            .iter()
            .filter(|v| &v.key == key)
            .max_by_key(|v| v.version)
            .cloned())
    }
    async fn put(&self, version: &ContentVersion) -> Result<(), StoreError> {
        use std::sync::atomic::Ordering;
        if self.1.load(Ordering::SeqCst) > 0 {
            self.1.fetch_sub(1, Ordering::SeqCst);
            return Err(StoreError::Unavailable(
                "mongodb: connection refused".into(),
            ));
        }
        self.0.lock().unwrap().push(version.clone());
        Ok(())
    }
}

#[derive(Default)]
struct Ledger(Mutex<HashMap<String, TokenUsage>>);
#[async_trait]
impl UsageLedger for Ledger {
    async fn record(
        &self,
        _d: NaiveDate,
        generator: &str,
        model: &str,
        usage: TokenUsage,
    ) -> Result<(), StoreError> {
        let mut all = self.0.lock().unwrap();
        let slot = all.entry(format!("{generator}/{model}")).or_default();
        *slot = *slot + usage;
        Ok(())
    }
    async fn between(&self, _f: NaiveDate, _t: NaiveDate) -> Result<Vec<UsageRow>, StoreError> {
        Ok(vec![])
    }
}

/// Answers from a script, one per call, and remembers the requests.
struct Scripted {
    answers: Mutex<Vec<Result<Generated, GeneratorError>>>,
    requests: Mutex<Vec<ContentRequest>>,
}

impl Scripted {
    fn new(answers: Vec<Result<Generated, GeneratorError>>) -> Arc<Self> {
        Arc::new(Self {
            answers: Mutex::new(answers),
            requests: Mutex::new(vec![]),
        })
    }
}

#[async_trait]
impl ContentGenerator for Scripted {
    fn name(&self) -> &str {
        "scripted"
    }
    fn model(&self) -> &str {
        "test-model"
    }
    fn prompt_version(&self) -> &str {
        "learner_content/v1"
    }
    async fn generate(&self, request: &ContentRequest) -> Result<Generated, GeneratorError> {
        self.requests.lock().unwrap().push(request.clone());
        self.answers.lock().unwrap().remove(0)
    }
}

fn answer(text: &str) -> Result<Generated, GeneratorError> {
    Ok(Generated {
        text: text.into(),
        usage: TokenUsage {
            prompt_tokens: 100,
            completion_tokens: 50,
        },
        model: "test-model-2026".into(),
    })
}

fn valid() -> String {
    serde_json::json!({
        "ipa": "/haʊs/",
        "senses": [{"part_of_speech": "noun", "definition": "a building people live in", "translation": "خانه"}],
        "examples": [{"text": "Our house is small.", "translation": "خانه ما کوچک است."}, {"text": "I like your house.", "translation": "خانه‌ات را دوست دارم."}],
        "collocations": ["big house"],
        "mnemonic": "A mouse in a house.",
        "common_mistakes": "Say 'at home', not 'at house'."
    }).to_string()
}

struct World {
    service: ContentGenerationService,
    store: Arc<Store>,
    ledger: Arc<Ledger>,
    drafts: Arc<Drafts>,
    key: ContentKey,
}

fn world(generator: Arc<dyn ContentGenerator>) -> World {
    let id = WordId::new();
    let meta = WordMetadata {
        id,
        language: en(),
        lemma: "house".into(),
        part_of_speech: PartOfSpeech::parse("noun"),
        zipf: None,
        cefr: None,
        sources: vec![],
        created_at: Utc::now(),
        updated_at: Utc::now(),
    };
    let store = Arc::new(Store::default());
    let ledger = Arc::new(Ledger::default());
    let drafts = Arc::new(Drafts::default());
    let service = ContentGenerationService::new(ContentDeps {
        words: Arc::new(MemWords::with(vec![meta])),
        entries: Arc::new(MemEntries::with(vec![
            wordnet_house(),
            freedict_house("fa", "خانه"),
        ])),
        generator,
        store: store.clone(),
        ledger: ledger.clone(),
        drafts: drafts.clone(),
        clock: Arc::new(FixedClock::at(
            Utc.with_ymd_and_hms(2026, 11, 25, 10, 0, 0).unwrap(),
        )),
        budget: None,
    });
    World {
        service,
        store,
        ledger,
        drafts,
        key: ContentKey {
            word_id: id,
            native: fa(),
            band: LevelBand::of(CefrLevel::B1),
        },
    }
}

fn job(key: &ContentKey, regenerate: bool) -> GenerateContent {
    GenerateContent {
        key: key.clone(),
        regenerate,
        requested_by: None,
    }
}

#[tokio::test]
async fn valid_content_is_stored_with_its_provenance_and_usage() {
    let generator = Scripted::new(vec![answer(&valid())]);
    let w = world(generator.clone());
    let outcome = w.service.run(&job(&w.key, false)).await.expect("generated");
    assert_eq!(
        (outcome.version, outcome.repaired, outcome.already_existed),
        (1, false, false)
    );
    let stored = w.store.0.lock().unwrap()[0].clone();
    assert_eq!(stored.provenance.prompt_version, "learner_content/v1");
    assert_eq!(stored.provenance.usage.completion_tokens, 50);
    assert_eq!(stored.content.senses[0].translation, "خانه");
    let request = generator.requests.lock().unwrap()[0].clone();
    assert_eq!((request.native, request.level), (fa(), CefrLevel::B2));
    assert_eq!(
        request.word.entries.len(),
        2,
        "grounded in the stored entries"
    );
    assert_eq!(
        w.ledger.0.lock().unwrap()["scripted/test-model-2026"].prompt_tokens,
        100
    );
    // A rerun (or a second request) keeps the stored version.
    let again = w.service.run(&job(&w.key, false)).await.expect("kept");
    assert!(again.already_existed);
    assert_eq!(generator.requests.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn invalid_content_is_repaired_once_with_every_problem_named() {
    let generator = Scripted::new(vec![answer("{\"ipa\": 3}"), answer(&valid())]);
    let w = world(generator.clone());
    let outcome = w.service.run(&job(&w.key, false)).await.expect("repaired");
    assert!(outcome.repaired);
    assert_eq!(outcome.usage.prompt_tokens, 200, "both calls are paid for");
    let repair = generator.requests.lock().unwrap()[1]
        .repair
        .clone()
        .expect("repair request");
    assert_eq!(repair.previous, "{\"ipa\": 3}");
    assert!(!repair.problems.is_empty());
}

#[tokio::test]
async fn content_that_fails_twice_fails_the_job_with_the_reasons() {
    let mut bad: serde_json::Value = serde_json::from_str(&valid()).unwrap();
    bad["examples"] = serde_json::json!([]);
    let generator = Scripted::new(vec![answer(&bad.to_string()), answer("not json")]);
    let w = world(generator);
    match w.service.run(&job(&w.key, false)).await {
        Err(JobError::Permanent(reason)) => {
            assert!(reason.contains("failed the schema twice"), "{reason}")
        }
        other => panic!("expected a permanent failure, got {other:?}"),
    }
    assert!(
        w.store.0.lock().unwrap().is_empty(),
        "nothing invalid is stored"
    );
}

#[tokio::test]
async fn truncation_is_repaired_refusal_is_permanent_and_outages_are_retried() {
    let truncated = Err(GeneratorError::Truncated {
        partial: "{\"ipa\":".into(),
        usage: TokenUsage {
            prompt_tokens: 10,
            completion_tokens: 1200,
        },
    });
    let w = world(Scripted::new(vec![truncated, answer(&valid())]));
    assert!(
        w.service
            .run(&job(&w.key, false))
            .await
            .expect("repaired")
            .repaired
    );

    let w = world(Scripted::new(vec![Err(GeneratorError::Refused(
        "policy".into(),
    ))]));
    assert!(matches!(
        w.service.run(&job(&w.key, false)).await,
        Err(JobError::Permanent(_))
    ));

    let w = world(Scripted::new(vec![Err(GeneratorError::Unavailable(
        "429".into(),
    ))]));
    assert!(matches!(
        w.service.run(&job(&w.key, false)).await,
        Err(JobError::Retryable(_))
    ));
}

#[tokio::test]
async fn regeneration_adds_a_version() {
    let w = world(Scripted::new(vec![answer(&valid()), answer(&valid())]));
    w.service.run(&job(&w.key, false)).await.expect("v1");
    let second = w.service.run(&job(&w.key, true)).await.expect("v2");
    assert_eq!(second.version, 2);
    assert_eq!(
        w.store.0.lock().unwrap().len(),
        2,
        "older versions are kept"
    );
}

#[tokio::test]
async fn extractive_content_passes_the_schema_and_says_where_it_came_from() {
    let w = world(Arc::new(ExtractiveGenerator::default()));
    let outcome = w.service.run(&job(&w.key, false)).await.expect("generated");
    assert_eq!(
        (outcome.generator.as_str(), outcome.repaired),
        ("extractive", false)
    );
    let content = w.store.0.lock().unwrap()[0].content.clone();
    assert!(content.senses[0].definition.starts_with("a dwelling"));
    assert_eq!(content.senses[0].translation, "خانه");
    assert_eq!(content.ipa, "/haʊs/");
    assert_eq!(content.examples[0].text, "he has a house on Cape Cod");
    assert_eq!(content.collocations, ["full house"]);
    assert!(content.common_mistakes.contains("a house"));
}

#[test]
fn extractive_content_from_translations_only_is_still_valid() {
    let request = ContentRequest {
        word: WordForContent {
            id: WordId::new(),
            language: en(),
            lemma: "tea".into(),
            part_of_speech: PartOfSpeech::unknown(),
            zipf: None,
            entries: vec![Entry {
                lemma: "tea".into(),
                headword: "tea".into(),
                ..freedict_house("ar", "شاي")
            }],
        },
        native: LanguageCode::parse("ar").unwrap(),
        level: CefrLevel::A2,
        repair: None,
    };
    let content = extract(&request, &MeaningChains::default());
    let text = serde_json::to_string(&content).unwrap();
    assert!(LearnerContent::parse(&text, "tea").is_ok(), "{text}");
    assert_eq!(content.senses[0].translation, "شاي");
}

#[test]
fn extractive_content_keeps_to_the_words_part_of_speech() {
    let noun = wordnet_house();
    let verb = Entry {
        part_of_speech: PartOfSpeech::parse("verb"),
        discriminator: "verb".into(),
        senses: vec![Sense {
            gloss: "contain or cover".into(),
            examples: vec![Example {
                text: "This box houses the gears".into(),
                translation: None,
            }],
            tags: vec![],
            synonyms: vec![],
        }],
        ..wordnet_house()
    };
    let request = ContentRequest {
        word: WordForContent {
            id: WordId::new(),
            language: en(),
            lemma: "house".into(),
            part_of_speech: PartOfSpeech::parse("verb"),
            zipf: None,
            entries: vec![noun, verb],
        },
        native: fa(),
        level: CefrLevel::B2,
        repair: None,
    };
    let content = extract(&request, &MeaningChains::default());
    assert_eq!(content.senses.len(), 1);
    assert_eq!(content.senses[0].definition, "contain or cover");
    assert_eq!(content.examples[0].text, "This box houses the gears");
    assert!(
        content.common_mistakes.contains("she houses"),
        "{}",
        content.common_mistakes
    );
}

#[tokio::test]
async fn a_retry_after_a_failed_store_stores_the_paid_content_without_generating_again() {
    for drafts_down in [false, true] {
        let generator = Scripted::new(vec![answer(&valid())]);
        let world = world(generator.clone());
        world
            .drafts
            .down
            .store(drafts_down, std::sync::atomic::Ordering::SeqCst);
        world.store.1.store(1, std::sync::atomic::Ordering::SeqCst);
        let first = world.service.run(&job(&world.key, false)).await;
        assert!(matches!(first, Err(JobError::Retryable(_))), "{first:?}");
        assert!(world.store.0.lock().unwrap().is_empty());

        let second = world.service.run(&job(&world.key, false)).await.unwrap();
        assert!(!second.already_existed);
        assert_eq!(second.version, 1);
        // One call, paid and recorded once; the draft is gone once stored.
        assert_eq!(generator.requests.lock().unwrap().len(), 1);
        let recorded = world.ledger.0.lock().unwrap()["scripted/test-model-2026"];
        assert_eq!(recorded.prompt_tokens, 100);
        assert_eq!(world.store.0.lock().unwrap().len(), 1);
        world
            .drafts
            .down
            .store(false, std::sync::atomic::Ordering::SeqCst);
        assert!(
            world.drafts.kept.lock().unwrap().is_empty(),
            "drafts down: {drafts_down}"
        );
    }
}
