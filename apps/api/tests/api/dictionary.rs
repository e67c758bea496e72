//! The dictionary through the api: imports of every format run by the worker, lookups through
//! the stores and a local double of the Free Dictionary API, search and text analysis.

use crate::admin_jobs::start_worker;
use lingo_http::testing::{HttpDouble, Reply, Route};
use lingo_kernel::UserId;
use lingo_test_support::{TestApp, dictfiles, english_words, eventually, json_of};
use lingo_users::Role;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;

async fn spawn(extra: &[(&str, &str)]) -> TestApp {
    let roots = dictfiles("");
    let uploads = std::env::temp_dir().join(format!("lingo-uploads-{}", uuid::Uuid::new_v4()));
    let uploads = uploads.to_string_lossy().into_owned();
    let roots = format!("{roots},{uploads}");
    let mut vars = vec![
        ("LINGO_IMPORT_ROOTS", roots.as_str()),
        ("LINGO_IMPORT_UPLOAD_DIR", uploads.as_str()),
    ];
    vars.extend_from_slice(extra);
    TestApp::spawn_with(&vars).await
}

#[tokio::test]
async fn imports_of_every_format_run_in_the_worker_and_feed_lookups_and_search() {
    let app = spawn(&[]).await;
    let worker = start_worker(&app);
    let admin = app.token(UserId::new(), Role::Admin).await;
    let dictd = app.import_dictionary(&admin, json!({"format": "dictd", "path": dictfiles("dictd/tiny-eng-ara.index"),
        "source": "tiny-eng-ara", "licence": "CC0", "language": "en", "translation_language": "ar"})).await;
    let counters = &dictd["progress"]["counters"];
    assert!(
        counters["imported"].as_u64().expect("imported") >= 5,
        "{dictd}"
    );
    assert_eq!(counters["failed"], 0);
    assert_eq!(dictd["progress"]["percent"], 100.0);
    app.import_dictionary(
        &admin,
        json!({"format": "wordnet", "path": dictfiles("wordnet"),
        "source": "wordnet-3.0", "licence": "WordNet-3.0", "language": "en"}),
    )
    .await;
    let kaikki = app
        .import_dictionary(
            &admin,
            json!({"format": "kaikki", "path": dictfiles("kaikki/tiny-en.jsonl"),
        "source": "kaikki-en", "licence": "CC-BY-SA-4.0", "language": "en"}),
        )
        .await;
    // Malformed lines are counted and reported with their line numbers; the rest is imported.
    assert!(
        kaikki["result"]["counters"]["failed"]
            .as_u64()
            .expect("failed")
            >= 2,
        "{kaikki}"
    );
    assert!(kaikki["result"]["errors"][0]["line"].as_u64().is_some());
    app.import_dictionary(&admin, json!({"format": "csv", "path": dictfiles("word_lists/with-header.csv"),
        "source": "flashcards", "licence": "user data", "language": "en", "translation_language": "es"})).await;

    let (status, bank) = json_of(app.get("/api/v1/dictionary/en/words/Bank").await).await;
    assert_eq!(status, 200, "{bank}");
    let sources: std::collections::BTreeSet<&str> = bank["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| e["provenance"]["source"].as_str().expect("source"))
        .collect();
    assert!(
        sources.contains("tiny-eng-ara")
            && sources.contains("kaikki-en")
            && sources.contains("flashcards"),
        "{sources:?}"
    );
    let arabic = bank["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .flat_map(|e| e["translations"].as_array().cloned().unwrap_or_default())
        .any(|t| t["language"] == "ar");
    assert!(arabic, "{bank}");
    assert!(
        bank["words"]
            .as_array()
            .expect("words")
            .iter()
            .any(|w| w["part_of_speech"] == "noun")
    );

    // Inflected input resolves to the lemma.
    let (status, houses) = json_of(app.get("/api/v1/dictionary/en/words/houses").await).await;
    assert_eq!(status, 200, "{houses}");
    assert_eq!(houses["lemma"], "house");
    assert_eq!(houses["query"], "houses");

    // Prefix and typo-tolerant search.
    let (status, page) = json_of(app.get("/api/v1/dictionary/en/search?q=ho").await).await;
    assert_eq!(status, 200);
    assert!(
        page["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|h| h["lemma"] == "house"),
        "{page}"
    );
    let (_, typo) = json_of(app.get("/api/v1/dictionary/en/search?q=hause").await).await;
    assert!(
        typo["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|h| h["lemma"] == "house"),
        "{typo}"
    );

    // Unknown: 404 problem with close matches.
    let (status, missing) = json_of(app.get("/api/v1/dictionary/en/words/housse").await).await;
    assert_eq!(status, 404, "{missing}");
    assert!(
        missing["close_matches"]
            .as_array()
            .expect("close matches")
            .iter()
            .any(|m| m == "house"),
        "{missing}"
    );
    worker.stop().await;
}

#[tokio::test]
async fn the_same_import_asked_twice_is_one_job_and_its_data_stays_the_same() {
    let app = spawn(&[]).await;
    let worker = start_worker(&app);
    let admin = app.token(UserId::new(), Role::Admin).await;
    let body = json!({"format": "tsv", "path": dictfiles("word_lists/no-header.tsv"),
        "source": "list", "licence": "CC0", "language": "en", "translation_language": "fa"});
    let first = app.import_dictionary(&admin, body.clone()).await;
    let second = app.import_dictionary(&admin, body).await;
    assert_eq!(first["id"], second["id"]);
    assert_eq!(first["attempts"], second["attempts"]);
    worker.stop().await;
}

#[tokio::test]
async fn import_requests_are_checked() {
    let app = spawn(&[]).await;
    let admin = app.token(UserId::new(), Role::Admin).await;
    let learner = app.token(UserId::new(), Role::Learner).await;
    let send = |token: String, body: Value| {
        let app = &app;
        async move {
            app.post_with(&token, "/api/v1/admin/dictionary/imports", body)
                .await
        }
    };
    let good = json!({"format": "csv", "path": dictfiles("word_lists/with-header.csv"), "source": "list", "licence": "CC0", "language": "en"});
    assert_eq!(send(learner, good.clone()).await.0, 403);
    let outside = json!({"format": "csv", "path": "/etc/passwd", "source": "list", "licence": "CC0", "language": "en"});
    let (status, problem) = send(admin.clone(), outside).await;
    assert_eq!(status, 403, "{problem}");
    let traversal = json!({"format": "csv", "path": format!("{}/../../../../Cargo.toml", dictfiles("")), "source": "list", "licence": "CC0", "language": "en"});
    assert_eq!(send(admin.clone(), traversal).await.0, 403);
    let bad_format = json!({"format": "xls", "path": dictfiles("word_lists/with-header.csv"), "source": "list", "licence": "CC0", "language": "en"});
    assert_eq!(send(admin.clone(), bad_format).await.0, 422);
    let bad_source = json!({"format": "csv", "path": dictfiles("word_lists/with-header.csv"), "source": "My List", "licence": "CC0", "language": "en"});
    assert_eq!(send(admin, bad_source).await.0, 422);
}

#[tokio::test]
async fn an_uploaded_word_list_is_imported() {
    let app = spawn(&[]).await;
    let worker = start_worker(&app);
    let admin = app.token(UserId::new(), Role::Admin).await;
    let csv = "word,translation,example\nlibrary,biblioteca,The library is open.\n\"malformed\n";
    let (status, accepted) = json_of(
        app.client
            .post(app.url("/api/v1/admin/dictionary/imports/upload?format=csv&source=upload&licence=CC0&language=en&translation_language=es"))
            .bearer_auth(&admin)
            .body(csv)
            .send()
            .await
            .expect("sent"),
    )
    .await;
    assert_eq!(status, 202, "{accepted}");
    app.wait_for_job(&admin, accepted["status_url"].as_str().expect("url"))
        .await;
    let (status, library) = json_of(app.get("/api/v1/dictionary/en/words/library").await).await;
    assert_eq!(status, 200, "{library}");
    assert_eq!(
        library["entries"][0]["translations"][0]["text"],
        "biblioteca"
    );
    worker.stop().await;
}

/// A local stand-in for the Free Dictionary API: the documented 200 array for "hello", the
/// documented 404 object otherwise; answers slowly so concurrent lookups overlap.
async fn free_dictionary_double() -> HttpDouble {
    let slowly = Duration::from_millis(150);
    HttpDouble::routes(vec![
        Route::get("/api/v2/entries/en/hello").reply(
            Reply::json(200, include_str!("fixtures/free_dictionary_hello.json"))
                .with_delay(slowly),
        ),
        Route::any().reply(
            Reply::json(404, include_str!("fixtures/free_dictionary_not_found.json"))
                .with_delay(slowly),
        ),
    ])
    .await
}

#[tokio::test]
async fn a_miss_asks_the_provider_once_stores_the_answer_and_caches_it() {
    let double = free_dictionary_double().await;
    let url = double.base_url.clone();
    let app = spawn(&[
        ("LINGO_DICTIONARY_PROVIDERS", "free-dictionary-api"),
        ("LINGO_FREE_DICTIONARY_URL", &url),
    ])
    .await;
    let lookups = (0..8).map(|_| app.get("/api/v1/dictionary/en/words/hello"));
    for response in futures_util::future::join_all(lookups).await {
        let (status, hello) = json_of(response).await;
        assert_eq!(status, 200, "{hello}");
        assert_eq!(
            hello["entries"][0]["senses"][0]["gloss"],
            "used as a greeting"
        );
        assert_eq!(
            hello["entries"][0]["provenance"]["source"],
            "free-dictionary-api"
        );
    }
    assert_eq!(
        double.request_count(),
        1,
        "concurrent misses share one provider call"
    );
    let (status, _) = json_of(app.get("/api/v1/dictionary/en/words/HELLO").await).await;
    assert_eq!(status, 200);
    assert_eq!(double.request_count(), 1, "cached");
    // A word the provider does not know: 404, and the miss is remembered.
    for _ in 0..2 {
        let (status, problem) = json_of(app.get("/api/v1/dictionary/en/words/qwzx").await).await;
        assert_eq!(status, 404, "{problem}");
    }
    assert_eq!(double.request_count(), 2);
}

#[tokio::test]
async fn a_provider_that_does_not_answer_is_a_503_not_a_miss() {
    let app = spawn(&[
        ("LINGO_DICTIONARY_PROVIDERS", "free-dictionary-api"),
        ("LINGO_FREE_DICTIONARY_URL", "http://127.0.0.1:9"),
        ("LINGO_DICTIONARY_PROVIDER_ATTEMPTS", "1"),
    ])
    .await;
    let (status, problem) = json_of(app.get("/api/v1/dictionary/en/words/hello").await).await;
    assert_eq!(status, 503, "{problem}");
    assert_eq!(problem["status"], 503);
    let (status, _) = json_of(app.get("/api/v1/dictionary/xx-yy-zz/words/hello").await).await;
    assert_eq!(status, 422);
}

#[tokio::test]
async fn text_analysis_counts_lemmas_and_marks_what_the_learner_studies() {
    let app = spawn(&[]).await;
    let worker = start_worker(&app);
    let admin = app.token(UserId::new(), Role::Admin).await;
    app.import_dictionary(
        &admin,
        json!({"format": "wordnet", "path": dictfiles("wordnet"),
        "source": "wordnet-3.0", "licence": "WordNet-3.0", "language": "en"}),
    )
    .await;
    worker.stop().await;
    let text = json!({"language": "en", "text": "The children went to the bank. Two banks! The child ran."});
    let (status, anonymous) = json_of(app.post_json("/api/v1/texts/analyse", &text).await).await;
    assert_eq!(status, 200, "{anonymous}");
    let words = anonymous["words"].as_array().expect("words");
    let find = |lemma: &str| {
        words
            .iter()
            .find(|w| w["lemma"] == lemma)
            .unwrap_or_else(|| panic!("{lemma} in {anonymous}"))
            .clone()
    };
    assert_eq!(find("child")["count"], 2);
    assert_eq!(find("bank")["count"], 2);
    assert_eq!(find("go")["count"], 1);
    assert_eq!(find("run")["count"], 1);
    assert_eq!(find("bank")["in_my_decks"], Value::Null);

    let reader = app.register_learner("reader@example.org").await;
    let token = reader.token.as_str();
    let deck = app.create_deck(&reader, "Reading").await;
    let (added, _) = app
        .add_words(&reader, &deck, english_words(&["bank"]))
        .await;
    assert_eq!(added, 200);
    let (_, mine) = app
        .post_with(token, "/api/v1/texts/analyse", text.clone())
        .await;
    let words = mine["words"].as_array().expect("words");
    let bank = words.iter().find(|w| w["lemma"] == "bank").expect("bank");
    assert_eq!(bank["in_my_decks"], true);
    assert_eq!(
        words.iter().find(|w| w["lemma"] == "child").expect("child")["in_my_decks"],
        false
    );

    let persian = json!({"language": "fa", "text": "کتاب‌ها را خواندم و کتاب خوب بود."});
    let (status, fa) = json_of(app.post_json("/api/v1/texts/analyse", &persian).await).await;
    assert_eq!(status, 200, "{fa}");
    assert_eq!(fa["words"][0]["lemma"], "کتاب");
    assert_eq!(fa["words"][0]["count"], 2);

    let (status, _) = json_of(
        app.post_json(
            "/api/v1/texts/analyse",
            &json!({"language": "en", "text": "  \n "}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 422);
    // Digits and punctuation are a text with no words, not an error.
    let (status, wordless) = json_of(
        app.post_json(
            "/api/v1/texts/analyse",
            &json!({"language": "en", "text": "  42 !"}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{wordless}");
    assert_eq!(wordless["words"], json!([]));
    let (expired, _) = app
        .post_with("not-a-token", "/api/v1/texts/analyse", text)
        .await;
    assert_eq!(expired, 401);
}

/// Uploads `body` as an import of `format` and waits for the worker to finish it.
async fn upload(app: &TestApp, admin: &str, query: &str, body: String) {
    let (status, accepted) = json_of(
        app.client
            .post(app.url(&format!("/api/v1/admin/dictionary/imports/upload?{query}")))
            .bearer_auth(admin)
            .body(body)
            .send()
            .await
            .expect("sent"),
    )
    .await;
    assert_eq!(status, 202, "{accepted}");
    app.wait_for_job(admin, accepted["status_url"].as_str().expect("url"))
        .await;
}

#[tokio::test]
async fn a_form_that_is_a_headword_keeps_its_own_lemma_where_the_sentence_says_so() {
    let app = spawn(&[]).await;
    let worker = start_worker(&app);
    let admin = app.token(UserId::new(), Role::Admin).await;
    let words = [
        ("rose", "noun", "A flowering shrub."),
        ("rise", "verb", "To move upwards."),
        ("saw", "noun", "A tool for cutting."),
        ("see", "verb", "To perceive with the eyes."),
        ("left", "adj", "On the west side when facing north."),
        ("left", "noun", "The left side."),
        ("leave", "verb", "To go away from."),
        ("reaching", "noun", "The act of stretching out."),
        ("reach", "verb", "To arrive at."),
        ("proud", "adj", "Feeling pride."),
        ("top", "noun", "The highest part."),
    ];
    let jsonl = lingo_test_support::kaikki_glosses(&words);
    upload(
        &app,
        &admin,
        "format=kaikki&source=kaikki-test&licence=CC-BY-SA-4.0&language=en",
        jsonl,
    )
    .await;
    worker.stop().await;
    let text = "A proud rose. She rose and saw the saw on the left; they left, reaching the top.";
    let (status, analysis) = json_of(
        app.post_json(
            "/api/v1/texts/analyse",
            &json!({"language": "en", "text": text}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{analysis}");
    let count = |lemma: &str| {
        analysis["words"]
            .as_array()
            .expect("words")
            .iter()
            .find(|w| w["lemma"] == lemma)
            .map_or(0, |w| w["count"].as_u64().expect("count"))
    };
    for (lemma, expected) in [
        ("rose", 1),
        ("rise", 1),
        ("saw", 1),
        ("see", 1),
        ("left", 1),
        ("leave", 1),
        ("reach", 1),
        ("reaching", 0),
    ] {
        assert_eq!(count(lemma), expected, "{lemma} in {analysis}");
    }

    // Looked up alone, the headword answers and names the word it is also a form of.
    let (status, rose) = json_of(app.get("/api/v1/dictionary/en/words/rose").await).await;
    assert_eq!(status, 200, "{rose}");
    assert_eq!(rose["lemma"], "rose");
    assert_eq!(rose["other_lemmas"], json!(["rise"]));
    let (_, reached) = json_of(app.get("/api/v1/dictionary/en/words/reached").await).await;
    assert_eq!(reached["lemma"], "reach", "{reached}");
}

mod resumable {
    use super::*;
    use async_trait::async_trait;
    use lingo_dictionary::SourceId;
    use lingo_dictionary::import::{ImportCheckpoint, ImportCounters, ImportFormat, ImportSpec};
    use lingo_dictionary::normalise::fold_key;
    use lingo_dictionary::ports::{EntryStore, ImportCheckpoints, WordRepository};
    use lingo_kernel::LanguageCode;
    use lingo_kernel::jobs::{JobContext, JobId, JobProgress, ProgressSink};
    use lingo_mongo::MongoEntryStore;
    use lingo_postgres::{PgImportCheckpoints, PgWordRepository};

    struct Progress(std::sync::Mutex<Vec<JobProgress>>);

    #[async_trait]
    impl ProgressSink for Progress {
        async fn report(&self, _job: JobId, progress: &JobProgress) {
            self.0.lock().expect("lock").push(progress.clone());
        }
    }

    fn context(job: JobId) -> (JobContext, Arc<Progress>) {
        let progress = Arc::new(Progress(std::sync::Mutex::new(vec![])));
        (JobContext::new(job, 1, 10, progress.clone()), progress)
    }

    fn word_list(lines: &[&str]) -> String {
        let path = std::env::temp_dir().join(format!("lingo-list-{}.csv", uuid::Uuid::new_v4()));
        std::fs::write(&path, lines.join("\n")).expect("written");
        path.to_string_lossy().into_owned()
    }

    fn spec(path: String) -> ImportSpec {
        ImportSpec {
            format: ImportFormat::Csv,
            path,
            source: SourceId::parse("list").expect("valid"),
            licence: "CC0".into(),
            language: LanguageCode::english(),
            translation_language: Some(LanguageCode::parse("es").expect("valid")),
        }
    }

    const WORDS: [&str; 5] = ["alpha", "bravo", "charlie", "delta", "echo"];

    async fn stored(app: &TestApp) -> (Vec<String>, Vec<String>) {
        let keys: Vec<String> = WORDS.iter().map(|w| fold_key(w)).collect();
        let en = LanguageCode::english();
        let mut entries: Vec<String> = MongoEntryStore::new(&app.stores.stores.mongo)
            .entries(&en, &keys)
            .await
            .expect("entries")
            .into_iter()
            .map(|e| serde_json::to_string(&(e.id(), &e.translations, &e.senses)).expect("json"))
            .collect();
        entries.sort();
        let mut words: Vec<String> = PgWordRepository::new(app.stores.stores.postgres.clone())
            .find(&en, &keys)
            .await
            .expect("words")
            .into_iter()
            .map(|w| format!("{} {} {:?} {}", w.id, w.lemma, w.sources, w.created_at))
            .collect();
        words.sort();
        (entries, words)
    }

    #[tokio::test]
    async fn importing_the_same_file_twice_leaves_the_same_data() {
        let app = spawn(&[]).await;
        let path = word_list(&[
            "alpha,uno",
            "bravo,dos",
            "charlie,tres",
            "delta,cuatro",
            "echo,cinco",
        ]);
        let import = lingo_bootstrap::services::import_service(&app.stores.stores);
        let first = import
            .run(&context(JobId::new()).0, &spec(path.clone()))
            .await
            .expect("imported");
        let after_first = stored(&app).await;
        let second = import
            .run(&context(JobId::new()).0, &spec(path))
            .await
            .expect("imported");
        assert_eq!(first.counters, second.counters);
        assert_eq!(first.counters.imported, 5);
        assert_eq!(after_first.0.len(), 5);
        assert_eq!(after_first.1.len(), 5);
        assert_eq!(stored(&app).await, after_first, "no duplicate, no change");
    }

    #[tokio::test]
    async fn a_rerun_after_a_crash_resumes_at_its_checkpoint() {
        let app = spawn(&[]).await;
        let path = word_list(&[
            "alpha,uno",
            "bravo,dos",
            "charlie,tres",
            "delta,cuatro",
            "echo,cinco",
        ]);
        let job = JobId::new();
        // The first run got through two records before the worker died.
        let checkpoint = ImportCheckpoint {
            records_done: 2,
            counters: ImportCounters {
                read: 2,
                imported: 2,
                entries: 2,
                ..ImportCounters::default()
            },
            errors: vec![],
            finished: false,
        };
        PgImportCheckpoints::new(app.stores.stores.postgres.clone())
            .save(job, &checkpoint)
            .await
            .expect("saved");
        let (ctx, progress) = context(job);
        let import = lingo_bootstrap::services::import_service(&app.stores.stores);
        let report = import
            .run(&ctx, &spec(path.clone()))
            .await
            .expect("imported");
        assert_eq!(report.resumed_from, 2);
        assert_eq!(report.counters.read, 5);
        assert_eq!(report.counters.imported, 5);
        let (entries, _) = stored(&app).await;
        // Only the records after the checkpoint were written by this run.
        assert_eq!(entries.len(), 3, "{entries:?}");
        assert!(
            entries
                .iter()
                .all(|e| !e.contains("alpha") && !e.contains("bravo"))
        );
        let last = progress
            .0
            .lock()
            .expect("lock")
            .last()
            .cloned()
            .expect("progress");
        assert_eq!(last.percent(), Some(100.0));
        assert_eq!(last.counters["read"], 5);
        // A finished import run again does nothing more.
        let again = import.run(&ctx, &spec(path)).await.expect("imported");
        assert_eq!(again.counters, report.counters);
    }
}

#[tokio::test]
async fn an_import_invalidates_cached_lookups_of_its_words() {
    let app = spawn(&[]).await;
    let worker = start_worker(&app);
    let admin = app.token(UserId::new(), Role::Admin).await;
    // Remembered misses and a cached hit.
    assert_eq!(
        json_of(app.get("/api/v1/dictionary/en/words/tea").await)
            .await
            .0,
        404
    );
    assert_eq!(
        json_of(app.get("/api/v1/dictionary/en/words/bank").await)
            .await
            .0,
        404
    );
    app.import_dictionary(&admin, json!({"format": "dictd", "path": dictfiles("dictd/tiny-eng-ara.index"),
        "source": "tiny-eng-ara", "licence": "CC0", "language": "en", "translation_language": "ar"})).await;
    let (status, tea) = json_of(app.get("/api/v1/dictionary/en/words/tea").await).await;
    assert_eq!(status, 200, "the cached miss was dropped: {tea}");
    let (_, bank) = json_of(app.get("/api/v1/dictionary/en/words/bank").await).await;
    let before = bank["entries"].as_array().expect("entries").len();
    app.import_dictionary(
        &admin,
        json!({"format": "kaikki", "path": dictfiles("kaikki/tiny-en.jsonl"),
        "source": "kaikki-en", "licence": "CC-BY-SA-4.0", "language": "en"}),
    )
    .await;
    // In-process copies stop being served within one version poll (a second, docs/performance.md).
    let imported = std::time::Instant::now();
    eventually("the cached hit was dropped", || async {
        let (_, bank) = json_of(app.get("/api/v1/dictionary/en/words/bank").await).await;
        (bank["entries"].as_array().expect("entries").len() > before).then_some(())
    })
    .await;
    assert!(
        imported.elapsed() < Duration::from_secs(3),
        "{:?}",
        imported.elapsed()
    );
    worker.stop().await;
}
