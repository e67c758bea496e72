//! The dictionary's PostgreSQL adapters against a real PostgreSQL: word metadata upserts and
//! lookups, search (prefix, then typo-tolerant), frequency lists, lemma tables, import
//! checkpoints and the words a learner already has.

use chrono::Utc;
use lingo_dictionary::import::{ImportCheckpoint, ImportCounters, MalformedRecord};
use lingo_dictionary::normalise::fold_key;
use lingo_dictionary::ports::{
    FrequencySource, ImportCheckpoints, LearnerVocabulary, LemmaTable, StoreError, WordRepository,
};
use lingo_dictionary::{PartOfSpeech, SearchHit, SourceId, WordUpsert, Zipf};
use lingo_kernel::jobs::JobId;
use lingo_kernel::{CefrLevel, LanguageCode, UserId};
use lingo_learning::card::CardType;
use lingo_learning::deck::{Deck, DeckName};
use lingo_learning::ports::{CardStore, DeckStore, NewCardWord, WordRef};
use lingo_postgres::{
    PgCardStore, PgDeckStore, PgFrequencies, PgImportCheckpoints, PgLearnerVocabulary,
    PgLemmaTable, PgPool, PgUserRepository, PgWordRepository,
};
use lingo_test_support::TestStores;
use lingo_users::ports::UserRepository;
use lingo_users::{DisplayName, Email, LearningProfile, NewUser, Role};
use std::collections::{HashMap, HashSet};

fn en() -> LanguageCode {
    LanguageCode::english()
}

fn fa() -> LanguageCode {
    LanguageCode::parse("fa").expect("valid language")
}

fn zipf(value: f64) -> Zipf {
    Zipf::new(value).expect("valid zipf")
}

fn word(lemma: &str, source: &str, frequency: Option<f64>) -> WordUpsert {
    WordUpsert {
        language: en(),
        lemma: lemma.to_owned(),
        part_of_speech: PartOfSpeech::parse("noun"),
        source: SourceId::parse(source).expect("valid source"),
        zipf: frequency.map(zipf),
        cefr: frequency.map(|z| zipf(z).estimated_cefr()),
    }
}

fn keys(words: &[&str]) -> Vec<String> {
    words.iter().map(|w| fold_key(w)).collect()
}

async fn words_with(stores: &TestStores, words: &[WordUpsert]) -> PgWordRepository {
    let repository = PgWordRepository::new(stores.stores.postgres.clone());
    repository.upsert(words).await.expect("upserted");
    repository
}

async fn execute(pool: &PgPool, sql: &str) {
    use diesel_async::RunQueryDsl;
    let mut conn = pool.get().await.expect("connection");
    diesel::sql_query(sql).execute(&mut conn).await.expect(sql);
}

fn lemmas(hits: &[SearchHit]) -> Vec<&str> {
    hits.iter().map(|h| h.lemma.as_str()).collect()
}

#[tokio::test]
async fn upserting_twice_keeps_one_row_with_both_sources_sorted() {
    let stores = TestStores::new(&[]).await;
    let repository = words_with(&stores, &[word("house", "wordnet-3.0", Some(5.6))]).await;
    repository
        .upsert(&[word("house", "freedict-eng-ara", Some(5.6))])
        .await
        .expect("upserted");
    repository
        .upsert(&[word("house", "wordnet-3.0", Some(5.6))])
        .await
        .expect("upserted");

    let found = repository
        .find(&en(), &keys(&["house"]))
        .await
        .expect("found");
    assert_eq!(found.len(), 1);
    let sources: Vec<&str> = found[0].sources.iter().map(SourceId::as_str).collect();
    assert_eq!(sources, ["freedict-eng-ara", "wordnet-3.0"]);
    assert!(found[0].updated_at >= found[0].created_at);
}

#[tokio::test]
async fn a_later_upsert_without_frequency_keeps_zipf_and_cefr() {
    let stores = TestStores::new(&[]).await;
    let repository = words_with(&stores, &[word("abandon", "wordnet-3.0", Some(4.02))]).await;
    repository
        .upsert(&[word("abandon", "kaikki-en", None)])
        .await
        .expect("upserted");

    let found = repository
        .find(&en(), &keys(&["abandon"]))
        .await
        .expect("found");
    assert_eq!(found[0].zipf, Some(zipf(4.02)));
    assert_eq!(found[0].cefr, Some(CefrLevel::B2));
    assert_eq!(found[0].sources.len(), 2);
}

#[tokio::test]
async fn a_batch_with_duplicate_keys_is_merged_into_one_row() {
    let stores = TestStores::new(&[]).await;
    let repository = words_with(
        &stores,
        &[
            word("book", "wordnet-3.0", None),
            word("book", "kaikki-en", Some(5.43)),
            word("book", "wordnet-3.0", None),
            word("tree", "wordnet-3.0", None),
        ],
    )
    .await;

    let found = repository
        .find(&en(), &keys(&["book"]))
        .await
        .expect("found");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].zipf, Some(zipf(5.43)));
    let sources: Vec<&str> = found[0].sources.iter().map(SourceId::as_str).collect();
    assert_eq!(sources, ["kaikki-en", "wordnet-3.0"]);
}

#[tokio::test]
async fn find_and_known_go_through_fold_keys_whatever_the_case() {
    let stores = TestStores::new(&[]).await;
    let repository = words_with(&stores, &[word("House", "wordnet-3.0", Some(5.6))]).await;

    let found = repository
        .find(&en(), &keys(&["HOUSE"]))
        .await
        .expect("found");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].lemma, "House");
    let known = repository
        .known(&en(), &keys(&["house", "boat"]))
        .await
        .expect("known");
    assert_eq!(known, HashSet::from(["house".to_owned()]));
    assert!(
        repository
            .find(&fa(), &keys(&["house"]))
            .await
            .expect("found")
            .is_empty()
    );
}

#[tokio::test]
async fn corrupt_stored_metadata_is_reported_not_dropped() {
    let stores = TestStores::new(&[]).await;
    let repository = words_with(&stores, &[word("house", "wordnet-3.0", None)]).await;
    execute(
        &stores.stores.postgres,
        "UPDATE words SET sources = '{\"Not A Source\"}'",
    )
    .await;

    let result = repository.find(&en(), &keys(&["house"])).await;
    assert!(matches!(result, Err(StoreError::Corrupt(_))), "{result:?}");
}

fn search_words() -> Vec<WordUpsert> {
    [
        ("house", Some(5.6)),
        ("hour", Some(5.5)),
        ("housing", Some(4.8)),
        ("household", Some(4.5)),
        ("houseboat", Some(2.9)),
        ("hound", None),
        ("receive", Some(5.0)),
        ("100%", Some(3.0)),
        ("1000", Some(4.0)),
    ]
    .into_iter()
    .map(|(lemma, z)| word(lemma, "wordnet-3.0", z))
    .collect()
}

#[tokio::test]
async fn search_ranks_prefix_hits_by_frequency() {
    let stores = TestStores::new(&[]).await;
    let repository = words_with(&stores, &search_words()).await;

    let hits = repository.search(&en(), "hou", 20, 0).await.expect("hits");
    assert_eq!(
        lemmas(&hits),
        [
            "house",
            "hour",
            "housing",
            "household",
            "houseboat",
            "hound"
        ]
    );
    assert!(hits.iter().all(|h| h.score == 1.0));
    assert_eq!(hits[0].cefr, Some(CefrLevel::A1));
}

#[tokio::test]
async fn search_finds_misspellings_by_trigram_after_the_prefix_hits() {
    let stores = TestStores::new(&[]).await;
    let repository = words_with(&stores, &search_words()).await;

    let receive = repository
        .search(&en(), "recieve", 20, 0)
        .await
        .expect("hits");
    assert_eq!(lemmas(&receive), ["receive"]);
    assert!(
        receive[0].score > 0.3 && receive[0].score < 1.0,
        "{}",
        receive[0].score
    );

    let house = repository
        .search(&en(), "housse", 20, 0)
        .await
        .expect("hits");
    assert_eq!(house.first().map(|h| h.lemma.as_str()), Some("house"));
    assert!(house.iter().all(|h| h.score < 1.0));

    // "hous" is a prefix of "house": it comes first, as a prefix hit.
    let hous = repository.search(&en(), "hous", 20, 0).await.expect("hits");
    assert_eq!(hous[0].lemma, "house");
    assert_eq!(hous[0].score, 1.0);
}

#[tokio::test]
async fn search_pages_do_not_overlap() {
    let stores = TestStores::new(&[]).await;
    let repository = words_with(&stores, &search_words()).await;

    let all = repository.search(&en(), "hou", 50, 0).await.expect("hits");
    let mut paged = Vec::new();
    for offset in (0..8).step_by(2) {
        paged.extend(
            repository
                .search(&en(), "hou", 2, offset)
                .await
                .expect("page"),
        );
    }
    assert_eq!(paged, all);
    let ids: HashSet<_> = paged.iter().map(|h| h.id).collect();
    assert_eq!(ids.len(), paged.len());
}

#[tokio::test]
async fn like_wildcards_in_the_query_are_literal() {
    let stores = TestStores::new(&[]).await;
    let repository = words_with(&stores, &search_words()).await;

    assert!(
        repository
            .search(&en(), "%", 20, 0)
            .await
            .expect("hits")
            .is_empty()
    );
    let percent = repository.search(&en(), "100%", 20, 0).await.expect("hits");
    let prefix: Vec<&str> = percent
        .iter()
        .filter(|h| h.score == 1.0)
        .map(|h| h.lemma.as_str())
        .collect();
    assert_eq!(prefix, ["100%"]);
    let underscore = repository
        .search(&en(), "h_use", 20, 0)
        .await
        .expect("hits");
    assert!(underscore.iter().all(|h| h.score < 1.0));
}

#[tokio::test]
async fn frequencies_load_in_chunks_and_answer_by_key() {
    let stores = TestStores::new(&[]).await;
    let frequencies = PgFrequencies::new(stores.stores.postgres.clone());
    let rows = vec![
        ("house".to_owned(), zipf(5.6)),
        ("the".to_owned(), zipf(7.73)),
        ("house".to_owned(), zipf(5.62)),
    ];
    assert_eq!(frequencies.load(&en(), &rows).await.expect("loaded"), 2);

    let found = frequencies
        .zipf(&en(), &keys(&["house", "the", "unseen"]))
        .await
        .expect("found");
    assert_eq!(
        found,
        HashMap::from([
            ("house".to_owned(), zipf(5.62)),
            ("the".to_owned(), zipf(7.73))
        ])
    );
    assert!(
        frequencies
            .zipf(&fa(), &keys(&["house"]))
            .await
            .expect("found")
            .is_empty()
    );

    let many: Vec<(String, Zipf)> = (0..12_000).map(|i| (format!("w{i}"), zipf(1.0))).collect();
    assert_eq!(
        frequencies.load(&fa(), &many).await.expect("loaded"),
        12_000
    );
    let some = frequencies
        .zipf(&fa(), &keys(&["w0", "w5000", "w11999"]))
        .await
        .expect("found");
    assert_eq!(some.len(), 3);
}

#[tokio::test]
async fn the_lemma_table_maps_a_persian_form_with_zwnj_to_its_lemma() {
    let stores = TestStores::new(&[]).await;
    let table = PgLemmaTable::new(stores.stores.postgres.clone());
    let books = fold_key("کتاب\u{200C}ها");
    let rows = vec![
        (books.clone(), "کتاب".to_owned()),
        (books.clone(), "کتاب".to_owned()),
        (fold_key("رفتم"), "رفتن".to_owned()),
    ];
    assert_eq!(table.load(&fa(), &rows).await.expect("loaded"), 2);
    table
        .load(
            &en(),
            &[("saw".into(), "see".into()), ("saw".into(), "saw".into())],
        )
        .await
        .expect("loaded");

    let found = table
        .lemmas(&fa(), &[books.clone(), fold_key("کتاب")])
        .await
        .expect("found");
    assert_eq!(found, HashMap::from([(books, vec!["کتاب".to_owned()])]));
    let saw = table.lemmas(&en(), &keys(&["saw"])).await.expect("found");
    assert_eq!(saw["saw"], ["saw", "see"]);
}

#[tokio::test]
async fn import_checkpoints_round_trip_and_the_last_save_wins() {
    let stores = TestStores::new(&[]).await;
    let checkpoints = PgImportCheckpoints::new(stores.stores.postgres.clone());
    let job = JobId::new();
    assert_eq!(checkpoints.load(job).await.expect("loaded"), None);

    let mut checkpoint = ImportCheckpoint {
        records_done: 500,
        counters: ImportCounters {
            read: 500,
            imported: 498,
            skipped: 1,
            failed: 1,
            entries: 620,
        },
        errors: vec![MalformedRecord {
            line: 42,
            reason: "no headword".into(),
        }],
        finished: false,
    };
    checkpoints.save(job, &checkpoint).await.expect("saved");
    assert_eq!(
        checkpoints.load(job).await.expect("loaded"),
        Some(checkpoint.clone())
    );

    checkpoint.records_done = 731;
    checkpoint.finished = true;
    checkpoints.save(job, &checkpoint).await.expect("saved");
    assert_eq!(
        checkpoints.load(job).await.expect("loaded"),
        Some(checkpoint)
    );
    assert_eq!(checkpoints.load(JobId::new()).await.expect("loaded"), None);
}

#[tokio::test]
async fn a_corrupt_stored_checkpoint_is_reported() {
    let stores = TestStores::new(&[]).await;
    let checkpoints = PgImportCheckpoints::new(stores.stores.postgres.clone());
    let job = JobId::new();
    execute(
        &stores.stores.postgres,
        &format!(
            "INSERT INTO dictionary_imports (job_id, checkpoint) \
             VALUES ('{job}', '{{\"records_done\": \"many\"}}')"
        ),
    )
    .await;

    let result = checkpoints.load(job).await;
    assert!(matches!(result, Err(StoreError::Corrupt(_))), "{result:?}");
}

/// A learner with a deck holding `lemmas` (added the way the api adds them: by lemma).
async fn learner_with(pool: &PgPool, email: &str, lemmas: &[&str]) -> UserId {
    let now = Utc::now();
    let user = UserId::new();
    PgUserRepository::new(pool.clone())
        .insert(&NewUser {
            id: user,
            email: Some(Email::parse(email).expect("valid email")),
            email_verified_at: None,
            phone: None,
            password_hash: None,
            display_name: DisplayName::parse("Learner").expect("valid name"),
            role: Role::Learner,
            profile: LearningProfile::default(),
            now,
        })
        .await
        .expect("user");
    let deck = Deck::new(
        user,
        DeckName::parse("Travel").expect("valid deck name"),
        String::new(),
        vec![CardType::Recognition, CardType::Recall],
        now,
    );
    PgDeckStore::new(pool.clone())
        .create(&deck)
        .await
        .expect("deck");
    let words: Vec<NewCardWord> = lemmas
        .iter()
        .map(|lemma| {
            NewCardWord::from(WordRef::Lemma {
                language: en(),
                lemma: lingo_dictionary::LearnerLemma::parse(lemma).expect("valid lemma"),
            })
        })
        .collect();
    PgCardStore::new(pool.clone())
        .add_words(user, deck.id, &words, &deck.card_types, now)
        .await
        .expect("cards");
    user
}

#[tokio::test]
async fn learner_vocabulary_sees_only_that_learners_words() {
    let stores = TestStores::new(&[]).await;
    let pool = &stores.stores.postgres;
    words_with(&stores, &[word("boat", "wordnet-3.0", Some(4.9))]).await;
    let ada = learner_with(pool, "ada@example.com", &["House", "book"]).await;
    let bob = learner_with(pool, "bob@example.com", &["tree", "house"]).await;
    let vocabulary = PgLearnerVocabulary::new(pool.clone());
    let asked = keys(&["house", "book", "tree", "boat"]);

    let known = vocabulary
        .known_by(ada, &en(), &asked)
        .await
        .expect("known");
    assert_eq!(
        known,
        HashSet::from(["house".to_owned(), "book".to_owned()])
    );
    let known = vocabulary
        .known_by(bob, &en(), &asked)
        .await
        .expect("known");
    assert_eq!(
        known,
        HashSet::from(["house".to_owned(), "tree".to_owned()])
    );
    assert!(
        vocabulary
            .known_by(ada, &fa(), &asked)
            .await
            .expect("known")
            .is_empty()
    );
}

#[tokio::test]
async fn words_learners_add_by_lemma_are_private_until_a_source_confirms_them() {
    let stores = TestStores::new(&[]).await;
    learner_with(&stores.stores.postgres, "ada@example.com", &["Receive"]).await;
    let repository = PgWordRepository::new(stores.stores.postgres.clone());
    let receive = keys(&["receive"]);
    assert!(
        repository
            .find(&en(), &receive)
            .await
            .expect("found")
            .is_empty()
    );
    assert!(
        repository
            .known(&en(), &receive)
            .await
            .expect("known")
            .is_empty()
    );
    assert!(
        repository
            .search(&en(), "recei", 10, 0)
            .await
            .expect("hits")
            .is_empty()
    );

    // A source recording the word (another spelling, a part of speech) confirms the learner's row.
    repository
        .upsert(&[word("receive", "wordnet-3.0", Some(4.5))])
        .await
        .expect("upserted");
    let found = repository.find(&en(), &receive).await.expect("found");
    assert_eq!(found.len(), 2, "{found:?}");
    let learners = found
        .iter()
        .find(|w| w.lemma == "Receive")
        .expect("the learner's row is public now");
    assert!(learners.part_of_speech.is_unknown());
    assert!(learners.sources.is_empty());
    let hits = repository
        .search(&en(), "recei", 10, 0)
        .await
        .expect("hits");
    assert_eq!(hits.len(), 2);
}

#[tokio::test]
async fn a_common_word_outranks_a_rare_lookalike_among_typo_matches() {
    let stores = TestStores::new(&[]).await;
    let words = [("aband", Some(1.2)), ("abandon", Some(4.02))]
        .into_iter()
        .map(|(lemma, z)| word(lemma, "wordnet-3.0", z))
        .collect::<Vec<_>>();
    let repository = words_with(&stores, &words).await;
    let hits = repository
        .search(&en(), "abandn", 20, 0)
        .await
        .expect("hits");
    assert_eq!(lemmas(&hits), ["abandon", "aband"]);
    assert!(
        hits[0].score < hits[1].score,
        "the rare one is closer in spelling"
    );
}
