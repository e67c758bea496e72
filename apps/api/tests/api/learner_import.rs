//! Learners import word lists and Anki packages into their decks (docs/learner-import.md):
//! through the api, run by the worker, against the real stores, with packages written at test
//! time by genanki and by Anki's own library.

use crate::admin_jobs::{RunningWorker, start_worker_with};
use lingo_test_support::anki::{anki_package, genanki_package};
use lingo_test_support::{Learner, TestApp, json_of};
use lingo_worker::jobs::JobDeps;
use serde_json::{Value, json};
use std::io::Write;
use std::time::Duration;

async fn spawn(extra: &[(&str, &str)]) -> TestApp {
    let uploads = std::env::temp_dir().join(format!("lingo-learner-{}", uuid::Uuid::new_v4()));
    let uploads = uploads.to_string_lossy().into_owned();
    let mut vars = vec![("LINGO_LEARNER_IMPORT_DIR", uploads.as_str())];
    vars.extend_from_slice(extra);
    TestApp::spawn_with(&vars).await
}

/// A worker whose imports read the app's upload directory.
fn worker(app: &TestApp) -> RunningWorker {
    let mut deps = JobDeps::new(&app.stores.stores, Duration::from_secs(3600));
    deps.import_words = app.services.job_deps.import_words.clone();
    start_worker_with(app, deps)
}

/// Uploads `file` into `deck` and answers the finished job.
async fn import(
    app: &TestApp,
    learner: &Learner,
    deck: &str,
    query: &str,
    content_type: &str,
    file: Vec<u8>,
) -> Value {
    let (status, accepted) = app
        .import_into_deck(learner, deck, query, content_type, file)
        .await;
    assert_eq!(status, 202, "{accepted}");
    app.wait_for_job(
        &learner.token,
        accepted["status_url"].as_str().expect("status url"),
    )
    .await
}

fn vocabulary(count: usize) -> Value {
    let notes: Vec<Value> = (0..count)
        .map(|i| {
            json!({"fields": [word(i), format!("meaning {i}"), format!("<i>note</i> {i}")],
                   "tags": ["ielts", "book::dune"]})
        })
        .collect();
    json!({"fields": ["Word", "Translation", "Notes"], "notes": notes})
}

/// The `i`th test word, letters only as lemmas are ("worda", "wordb", …, "wordbc" for 12).
fn word(i: usize) -> String {
    let letters: String = i
        .to_string()
        .bytes()
        .map(|d| char::from(b'a' + (d - b'0')))
        .collect();
    format!("word{letters}")
}

fn at_ms(days_ago: i64) -> i64 {
    (chrono::Utc::now() - chrono::Duration::days(days_ago)).timestamp_millis()
}

#[tokio::test]
async fn a_genanki_package_imports_into_a_deck_with_one_card_per_note_and_card_type() {
    let app = spawn(&[]).await;
    let worker = worker(&app);
    let learner = app.register_learner("anki@example.com").await;
    let deck = app.create_deck(&learner, "From Anki").await;
    let package = genanki_package(&vocabulary(30));

    let job = import(
        &app,
        &learner,
        &deck,
        "language=en",
        "application/vnd.anki",
        package,
    )
    .await;
    assert_eq!(job["type"], "learning.import_words");
    let result = &job["result"];
    assert_eq!(result["rows"], 30, "{job}");
    assert_eq!(result["words_imported"], 30, "{job}");
    assert_eq!(result["cards_created"], 60, "{job}");
    assert_eq!(result["failed"], 0, "{job}");
    assert_eq!(job["progress"]["percent"], 100.0, "{job}");

    let cards = app.cards(&learner, &format!("deck={deck}&limit=200")).await;
    assert_eq!(cards.len(), 60);
    let word0 = app
        .cards(&learner, &format!("deck={deck}&lemma={}", word(0)))
        .await;
    assert!(!word0.is_empty());
    let card = word0
        .iter()
        .find(|c| c["translation"] == "meaning 0")
        .expect("the first word's card");
    assert_eq!(card["note"], "note 0");
    assert_eq!(card["tags"], json!(["book:dune", "ielts"]));
    assert_eq!(card["state"], "learning");
    assert_eq!(card["reps"], 0);

    let (status, doc) = json_of(app.get("/api/v1/openapi.json").await).await;
    assert_eq!(status, 200);
    assert!(doc["paths"]["/api/v1/decks/{id}/imports"]["post"].is_object());
    worker.stop().await;
}

#[tokio::test]
async fn an_anki_review_history_becomes_fsrs_state_and_review_logs_and_a_second_import_adds_nothing()
 {
    let app = spawn(&[]).await;
    let worker = worker(&app);
    let learner = app.register_learner("history@example.com").await;
    let deck = app.create_deck(&learner, "With history").await;
    let mut spec = json!({"fields": ["Front", "Back"], "collection": "collection.anki21",
        "notes": [{"fields": ["house", "خانه"]}, {"fields": ["tree", "درخت"]}]});
    let (first, second, third) = (at_ms(30), at_ms(29), at_ms(20));
    spec["revlog"] = json!([
        {"note": 0, "ord": 0, "id": first, "ease": 3, "type": 0, "ivl": -600},
        {"note": 0, "ord": 0, "id": second, "ease": 3, "type": 0, "ivl": 3},
        {"note": 0, "ord": 0, "id": third, "ease": 3, "type": 1, "ivl": 9},
    ]);
    let package = genanki_package(&spec);

    let job = import(
        &app,
        &learner,
        &deck,
        "language=en&format=apkg",
        "application/octet-stream",
        package.clone(),
    )
    .await;
    assert_eq!(job["result"]["reviews_imported"], 3, "{job}");
    assert_eq!(job["result"]["cards_created"], 4, "{job}");

    let house = app
        .cards(&learner, &format!("deck={deck}&lemma=house"))
        .await;
    let recognition = house
        .iter()
        .find(|c| c["card_type"] == "recognition")
        .expect("recognition");
    assert_eq!(recognition["state"], "review", "{recognition}");
    assert_eq!(recognition["reps"], 3);
    assert!(recognition["stability"].as_f64().expect("stability") > 1.0);
    let last = chrono::DateTime::parse_from_rfc3339(
        recognition["last_review"].as_str().expect("last review"),
    )
    .expect("time");
    assert_eq!(last.timestamp_millis(), third);
    let recall = house
        .iter()
        .find(|c| c["card_type"] == "recall")
        .expect("recall");
    assert_eq!(recall["state"], "learning");
    assert_eq!(recall["reps"], 0);

    // The history is in the review log, with the snapshots undo needs.
    let id = recognition["id"].as_str().expect("id");
    let (status, undone) = app.undo_review(&learner, id, None).await;
    assert_eq!(status, 200, "{undone}");
    assert_eq!(undone["reps"], 2, "{undone}");

    // The same package again: the words are in the deck already, nothing is written twice.
    let again = import(
        &app,
        &learner,
        &deck,
        "language=en&format=apkg",
        "application/octet-stream",
        package,
    )
    .await;
    assert_eq!(again["result"]["words_already_in_deck"], 2, "{again}");
    assert_eq!(again["result"]["cards_created"], 0, "{again}");
    assert_eq!(again["result"]["reviews_imported"], 0, "{again}");
    assert_eq!(app.cards(&learner, &format!("deck={deck}")).await.len(), 4);
    worker.stop().await;
}

#[tokio::test]
async fn a_package_exported_by_anki_itself_imports_with_the_history_of_both_its_cards() {
    let app = spawn(&[]).await;
    let worker = worker(&app);
    let learner = app.register_learner("ankiweb@example.com").await;
    let deck = app.create_deck(&learner, "Exported by Anki").await;
    let package = anki_package(&json!({"notes": [
        {"front": "house", "back": "<b>خانه</b>", "tags": ["home"]},
        {"front": "tree", "back": "درخت"},
        {"front": "river", "back": "رود"}
    ], "answers": [3, 3]}));

    let job = import(
        &app,
        &learner,
        &deck,
        "language=en",
        "application/vnd.anki",
        package,
    )
    .await;
    assert_eq!(job["result"]["words_imported"], 3, "{job}");
    assert_eq!(job["result"]["cards_created"], 6, "{job}");
    assert_eq!(job["result"]["reviews_imported"], 4, "{job}");
    let house = app
        .cards(&learner, &format!("deck={deck}&lemma=house"))
        .await;
    assert_eq!(house.len(), 2);
    for card in &house {
        assert_eq!(card["reps"], 2, "{card}");
        assert_eq!(card["state"], "review", "{card}");
        assert_eq!(card["translation"], "خانه");
        assert_eq!(card["tags"], json!(["home"]));
    }
    // The legacy stub (`collection.anki2` saying "please update") is not what was read.
    assert!(
        app.cards(&learner, &format!("deck={deck}&lemma=please"))
            .await
            .is_empty()
    );
    worker.stop().await;
}

#[tokio::test]
async fn a_csv_list_imports_with_its_row_errors_reported_by_line() {
    let app = spawn(&[]).await;
    let worker = worker(&app);
    let learner = app.register_learner("csv@example.com").await;
    let deck = app.create_deck(&learner, "CSV words").await;
    let mut csv = b"word,translation,note,tags\nresilient,\xd9\x85\xd9\x82\xd8\xa7\xd9\x88\xd9\x85,from a text,ielts\n,empty word,,\nbad\xff\xfe,x,,\nthrive,\"grow, flourish\",,\n".to_vec();
    csv.extend_from_slice(b"resilient,again,,\n");

    let job = import(
        &app,
        &learner,
        &deck,
        "language=en",
        "text/csv; charset=utf-8",
        csv,
    )
    .await;
    let result = &job["result"];
    assert_eq!(result["rows"], 5, "{job}");
    assert_eq!(result["words_imported"], 2, "{job}");
    assert_eq!(result["words_already_in_deck"], 1, "{job}");
    assert_eq!(result["failed"], 2, "{job}");
    let lines: Vec<u64> = result["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["line"].as_u64().expect("line"))
        .collect();
    assert_eq!(lines, [4, 3], "{job}");
    let thrive = app
        .cards(&learner, &format!("deck={deck}&lemma=thrive"))
        .await;
    assert_eq!(thrive[0]["translation"], "grow, flourish");
    let resilient = app
        .cards(&learner, &format!("deck={deck}&lemma=resilient"))
        .await;
    assert_eq!(resilient[0]["translation"], "مقاوم");
    assert_eq!(resilient[0]["note"], "from a text");
    worker.stop().await;
}

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut buffer = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buffer);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in entries {
            zip.start_file(*name, options).expect("entry");
            zip.write_all(bytes).expect("written");
        }
        zip.finish().expect("zip");
    }
    buffer.into_inner()
}

#[tokio::test]
async fn hostile_uploads_are_refused_with_clear_errors_and_store_nothing() {
    let app = spawn(&[
        ("LINGO_LEARNER_IMPORT_LIMIT_BYTES", "200000"),
        ("LINGO_LEARNER_IMPORT_MAX_UNCOMPRESSED_BYTES", "1000000"),
    ])
    .await;
    let worker = worker(&app);
    let learner = app.register_learner("hostile@example.com").await;
    let deck = app.create_deck(&learner, "Target").await;
    let apkg = "language=en&format=apkg";

    let (status, problem) = app
        .import_into_deck(
            &learner,
            &deck,
            apkg,
            "application/octet-stream",
            b"not a zip at all".to_vec(),
        )
        .await;
    assert_eq!(status, 422, "{problem}");
    let (status, problem) = app
        .import_into_deck(&learner, &deck, "language=en", "text/csv", Vec::new())
        .await;
    assert_eq!(status, 422, "{problem}");
    let (status, problem) = app
        .import_into_deck(
            &learner,
            &deck,
            "language=en",
            "text/plain",
            b"a\n".to_vec(),
        )
        .await;
    assert_eq!(status, 422, "{problem}");
    let (status, problem) = app
        .import_into_deck(
            &learner,
            &deck,
            "language=en",
            "text/csv",
            vec![b'a'; 300_000],
        )
        .await;
    assert_eq!(status, 413, "{problem}");
    let other = app.register_learner("other@example.com").await;
    let (status, problem) = app
        .import_into_deck(&other, &deck, "language=en", "text/csv", b"a\n".to_vec())
        .await;
    assert_eq!(status, 404, "{problem}");

    // A zip bomb: a few kilobytes that inflate past the limit.
    let bomb = zip_of(&[("collection.anki2", &vec![0u8; 5_000_000])]);
    assert!(bomb.len() < 200_000);
    let garbage = zip_of(&[(
        "collection.anki21",
        b"SQLite format 3\0 but garbage after it",
    )]);
    let newer = zip_of(&[
        ("collection.anki21b", b"zstd"),
        ("collection.anki2", b"stub"),
    ]);
    for (file, expected) in [
        (bomb, "larger than 1000000 bytes"),
        (garbage, "not a readable Anki database"),
        (newer, "Support older Anki versions"),
    ] {
        let (status, accepted) = app
            .import_into_deck(&learner, &deck, apkg, "application/octet-stream", file)
            .await;
        assert_eq!(status, 202, "{accepted}");
        let job = app
            .wait_for_job_status(
                &learner.token,
                accepted["status_url"].as_str().expect("url"),
                "failed",
            )
            .await;
        let error = job["last_error"].as_str().expect("last error");
        assert!(error.contains(expected), "{error}");
    }
    assert!(
        app.cards(&learner, &format!("deck={deck}"))
            .await
            .is_empty()
    );
    worker.stop().await;
}

#[tokio::test]
async fn a_deck_exported_as_apkg_imports_back_with_its_material_and_its_review() {
    let app = spawn(&[]).await;
    let _worker = worker(&app);
    let sara = app.register_learner("sara-round-trip@example.org").await;
    let deck = crate::export::studied_deck(&app, &sara).await;
    let package = crate::export::download(
        &app,
        &sara.token,
        &format!("/api/v1/decks/{deck}/export?format=apkg"),
    )
    .await
    .bytes()
    .await
    .expect("the package")
    .to_vec();

    let reza = app.register_learner("reza-round-trip@example.org").await;
    let target = app.create_deck(&reza, "Sara's sea words").await;
    let job = import(
        &app,
        &reza,
        &target,
        "language=en",
        "application/vnd.anki",
        package,
    )
    .await;
    let result = &job["result"];
    assert_eq!(result["format"], "apkg", "{job}");
    assert_eq!(result["rows"], 2, "{job}");
    assert_eq!(result["words_imported"], 2, "{job}");
    assert_eq!(result["cards_created"], 4, "{job}");
    assert_eq!(result["reviews_imported"], 1, "{job}");
    assert_eq!(result["failed"], 0, "{job}");

    let cards = app.cards(&reza, &format!("deck={target}&limit=50")).await;
    assert_eq!(cards.len(), 4, "{cards:?}");
    let harbour_cards = app
        .cards(&reza, &format!("deck={target}&lemma=harbour"))
        .await;
    assert_eq!(harbour_cards.len(), 2, "{harbour_cards:?}");
    let harbour = harbour_cards
        .iter()
        .find(|c| c["card_type"] == "recognition")
        .expect("harbour's recognition card");
    assert_eq!(harbour["translation"], "bandar");
    // Anki fields are HTML; read back as one line of text (docs/learner-import.md).
    assert_eq!(harbour["note"], "boats, \"sleeping\" here");
    let tags: Vec<&str> = harbour["tags"]
        .as_array()
        .expect("tags")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(tags.contains(&"sea"), "{harbour}");
    assert_eq!(harbour["reps"], 1, "the review came along: {harbour}");
    assert!(!harbour["last_review"].is_null(), "{harbour}");
    let lantern = app
        .cards(&reza, &format!("deck={target}&lemma=lantern"))
        .await;
    assert_eq!(lantern.len(), 2);
    assert!(
        lantern
            .iter()
            .all(|c| c["reps"] == 0 && c["last_review"].is_null()),
        "never reviewed: {lantern:?}"
    );
}
