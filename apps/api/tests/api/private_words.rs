//! Words a learner adds by lemma stay private to that learner until a dictionary source or an
//! administrator confirms them (issue 12, item 4; docs/dictionary.md "Private words").

use crate::admin_jobs::start_worker;
use lingo_kernel::UserId;
use lingo_test_support::{TestApp, english_words, json_of};
use lingo_users::Role;
use serde_json::{Value, json};

async fn spawn() -> TestApp {
    let uploads = std::env::temp_dir().join(format!("lingo-uploads-{}", uuid::Uuid::new_v4()));
    let uploads = uploads.to_string_lossy().into_owned();
    TestApp::spawn_with(&[
        ("LINGO_IMPORT_ROOTS", uploads.as_str()),
        ("LINGO_IMPORT_UPLOAD_DIR", uploads.as_str()),
    ])
    .await
}

async fn search(app: &TestApp, q: &str) -> Vec<String> {
    let (status, page) = json_of(
        app.get(&format!("/api/v1/dictionary/en/search?q={q}"))
            .await,
    )
    .await;
    assert_eq!(status, 200, "{page}");
    let items = page["items"]
        .as_array()
        .or_else(|| page.as_array())
        .unwrap_or_else(|| panic!("hits in {page}"));
    items
        .iter()
        .map(|hit| hit["lemma"].as_str().expect("lemma").to_owned())
        .collect()
}

fn analysed<'a>(analysis: &'a Value, lemma: &str) -> Option<&'a Value> {
    analysis["words"]
        .as_array()
        .expect("words")
        .iter()
        .find(|w| w["lemma"] == lemma)
}

#[tokio::test]
async fn a_learners_new_lemma_is_private_until_an_import_confirms_it() {
    let app = spawn().await;
    let owner = app.register_learner("owner@example.org").await;
    let deck = app.create_deck(&owner, "Mine").await;
    let (status, added) = app
        .add_words(
            &owner,
            &deck,
            english_words(&["zzqx visit evil example", "flurbish"]),
        )
        .await;
    assert_eq!(status, 200, "{added}");
    let flurbish_id = added[1]["word_id"].as_str().expect("word id").to_owned();

    // Attack 1: the public dictionary does not list it.
    assert!(search(&app, "zzqx").await.is_empty());
    assert!(search(&app, "flurbish").await.is_empty());
    let (status, _) = json_of(app.get("/api/v1/dictionary/en/words/flurbish").await).await;
    assert_eq!(status, 404);

    // Another learner neither looks it up, nor analyses it as a dictionary word, nor adds it by id.
    let other = app.register_learner("other@example.org").await;
    let (status, _) = app
        .get_with(&other.token, "/api/v1/dictionary/en/words/flurbish")
        .await;
    assert_eq!(status, 404);
    let (status, analysis) = app
        .post_with(
            &other.token,
            "/api/v1/texts/analyse",
            json!({"language": "en", "text": "flurbish flurbish"}),
        )
        .await;
    assert_eq!(status, 200, "{analysis}");
    if let Some(word) = analysed(&analysis, "flurbish") {
        assert_eq!(word["in_dictionary"], false, "{analysis}");
    }
    let other_deck = app.create_deck(&other, "Theirs").await;
    let (status, problem) = app
        .add_words(&other, &other_deck, json!([{"word_id": flurbish_id}]))
        .await;
    assert_eq!(status, 404, "{problem}");
    // Nor reads or pays for its content by id; the owner may.
    let (status, problem) = app
        .word_content(&other.token, &flurbish_id, "?native=fa&level=B1")
        .await;
    assert_eq!(status, 404, "{problem}");
    let (status, pending) = app
        .word_content(&owner.token, &flurbish_id, "?native=fa&level=B1")
        .await;
    assert_eq!(status, 202, "{pending}");

    // The owner's cards work: listed, queued for study and reviewed.
    let cards = app.cards(&owner, &format!("deck={deck}")).await;
    assert_eq!(cards.len(), 4, "two words, two card types each");
    let (status, queue) = app.study_queue(&owner, "limit=10").await;
    assert_eq!(status, 200, "{queue}");
    let lemmas: Vec<&str> = queue
        .as_array()
        .expect("queue")
        .iter()
        .filter_map(|q| q["lemma"].as_str())
        .collect();
    assert!(lemmas.contains(&"flurbish"), "{queue}");
    let card = cards
        .iter()
        .find(|c| c["word_id"] == flurbish_id.as_str())
        .unwrap_or(&cards[0]);
    let (status, reviewed) = app
        .post_review(
            &owner,
            json!({"card_id": card["id"], "rating": 3, "reviewed_at": chrono::Utc::now(),
                    "client_review_id": "private-1"}),
        )
        .await;
    assert_eq!(status, 200, "{reviewed}");

    // A dictionary source that knows the word makes it public.
    let worker = start_worker(&app);
    let admin = app.token(UserId::new(), Role::Admin).await;
    let csv = "word,translation,example\nflurbish,pulir,They flurbish the brass.\n";
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
    worker.stop().await;
    assert!(
        search(&app, "flurbish")
            .await
            .contains(&"flurbish".to_owned())
    );
    let (status, _) = app
        .add_words(&other, &other_deck, json!([{"word_id": flurbish_id}]))
        .await;
    assert_eq!(status, 200, "the confirmed row is public");
    // The phrase no source knows stays private.
    assert!(search(&app, "zzqx").await.is_empty());
}

#[tokio::test]
async fn an_administrator_confirms_a_word_by_adding_it_to_a_system_deck() {
    let app = spawn().await;
    let owner = app.register_learner("owner@example.org").await;
    let deck = app.create_deck(&owner, "Mine").await;
    let (status, added) = app
        .add_words(&owner, &deck, english_words(&["glimmerous"]))
        .await;
    assert_eq!(status, 200, "{added}");
    assert!(search(&app, "glimmerous").await.is_empty());

    let publisher = app.register_learner("editor@example.org").await;
    let admin = app.token(publisher.id, Role::Admin).await;
    let (status, system) = app
        .post_with(&admin, "/api/v1/admin/decks", json!({"name": "Standard"}))
        .await;
    assert_eq!(status, 201, "{system}");
    let (status, ids) = app
        .post_with(
            &admin,
            &format!(
                "/api/v1/admin/decks/{}/words",
                system["id"].as_str().expect("id")
            ),
            json!({"words": [{"word_id": added[0]["word_id"]}]}),
        )
        .await;
    assert_eq!(status, 200, "{ids}");
    assert_eq!(search(&app, "glimmerous").await, ["glimmerous"]);
}

#[tokio::test]
async fn invalid_lemmas_are_refused_naming_the_field() {
    let app = spawn().await;
    let learner = app.register_learner("typist@example.org").await;
    let deck = app.create_deck(&learner, "Mine").await;
    let too_long = "a".repeat(65);
    for lemma in [
        "evil\u{202E}txt",
        "wo\u{0007}rd",
        too_long.as_str(),
        "p\u{0430}ypal",
        "h4ck",
    ] {
        let (status, problem) = app
            .add_words(
                &learner,
                &deck,
                json!([{"language": "en", "lemma": "fine"}, {"language": "en", "lemma": lemma}]),
            )
            .await;
        assert_eq!(status, 422, "{lemma:?}: {problem}");
        assert!(
            problem.to_string().contains("words[1].lemma"),
            "{lemma:?}: {problem}"
        );
    }
    assert!(
        app.cards(&learner, &format!("deck={deck}"))
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn an_administrator_reviews_and_confirms_a_learners_word() {
    let app = spawn().await;
    let owner = app.register_learner("reviewed@example.org").await;
    let deck = app.create_deck(&owner, "Mine").await;
    let (status, added) = app
        .add_words(&owner, &deck, english_words(&["glorptastic"]))
        .await;
    assert_eq!(status, 200, "{added}");
    let word_id = added[0]["word_id"].as_str().expect("word id").to_owned();
    let admin = app.token(UserId::new(), Role::Admin).await;

    // Learners may neither list nor confirm.
    let (status, _) = app
        .get_with(&owner.token, "/api/v1/admin/words/private")
        .await;
    assert_eq!(status, 403);
    let confirm = format!("/api/v1/admin/words/{word_id}/confirm");
    let (status, _) = app.post_with(&owner.token, &confirm, json!({})).await;
    assert_eq!(status, 403);
    assert!(search(&app, "glorptastic").await.is_empty());

    let (status, page) = app
        .get_with(&admin, "/api/v1/admin/words/private?language=en")
        .await;
    assert_eq!(status, 200, "{page}");
    let listed = page["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|w| w["id"] == word_id.as_str())
        .unwrap_or_else(|| panic!("{word_id} not listed in {page}"));
    assert_eq!(listed["lemma"], "glorptastic");
    assert_eq!(listed["learners"], 1);
    let (status, page) = app
        .get_with(&admin, "/api/v1/admin/words/private?language=ar")
        .await;
    assert_eq!(status, 200);
    assert!(
        page["items"].as_array().expect("items").is_empty(),
        "{page}"
    );

    let (status, body) = app.post_with(&admin, &confirm, json!({})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["outcome"], "confirmed");
    assert_eq!(search(&app, "glorptastic").await, vec!["glorptastic"]);
    let (status, body) = app.post_with(&admin, &confirm, json!({})).await;
    assert_eq!(
        (status, body["outcome"].as_str()),
        (200, Some("already_public"))
    );
    let (status, page) = app.get_with(&admin, "/api/v1/admin/words/private").await;
    assert_eq!(status, 200);
    assert!(
        page["items"]
            .as_array()
            .expect("items")
            .iter()
            .all(|w| w["id"] != word_id.as_str()),
        "{page}"
    );
    let missing = format!("/api/v1/admin/words/{}/confirm", uuid::Uuid::new_v4());
    assert_eq!(app.post_with(&admin, &missing, json!({})).await.0, 404);
    assert_eq!(
        app.post_with(&admin, "/api/v1/admin/words/nope/confirm", json!({}))
            .await
            .0,
        404
    );
}
