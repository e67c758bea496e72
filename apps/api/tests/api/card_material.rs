//! The learner's own material on cards: the sentence a word came from, a note, a custom
//! translation and tags — stored, edited, searched and shown in the study session.

use crate::auth_password::spawn;
use lingo_test_support::{Learner, TestApp};
use serde_json::{Value, json};

/// The recognition card of the one word starting with `lemma_prefix` (a deck makes a
/// recognition and a recall card per word; material is per card).
async fn card_of(app: &TestApp, learner: &Learner, lemma_prefix: &str) -> Value {
    let cards = app.cards(learner, &format!("lemma={lemma_prefix}")).await;
    assert_eq!(cards.len(), 2, "{cards:?}");
    cards
        .into_iter()
        .find(|c| c["card_type"] == "recognition")
        .expect("a recognition card")
}

#[tokio::test]
async fn the_sentence_a_word_came_from_is_kept_on_its_cards_and_shown_in_the_session() {
    let app = spawn().await;
    let sara = app.register_learner("sara@example.org").await;
    let deck = app.create_deck(&sara, "Reading").await;
    let (status, added) = app
        .add_words(
            &sara,
            &deck,
            json!([
                {"language": "en", "lemma": "harbour", "sentence": "The boats slept in the harbour."},
                {"language": "en", "lemma": "lantern"}
            ]),
        )
        .await;
    assert_eq!(status, 200, "{added}");
    let harbour = card_of(&app, &sara, "harb").await;
    assert_eq!(
        harbour["source_sentence"],
        "The boats slept in the harbour."
    );
    assert_eq!(
        card_of(&app, &sara, "lan").await["source_sentence"],
        Value::Null
    );

    let (status, session) = app
        .get_with(&sara.token, "/api/v1/study/session?limit=5")
        .await;
    assert_eq!(status, 200, "{session}");
    let shown: Vec<&Value> = session["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|item| &item["card"]["source_sentence"])
        .collect();
    assert!(
        shown.contains(&&json!("The boats slept in the harbour.")),
        "{session}"
    );
}

#[tokio::test]
async fn a_note_translation_and_tags_are_edited_searched_and_cleared() {
    let app = spawn().await;
    let sara = app.register_learner("sara@example.org").await;
    let deck = app.create_deck(&sara, "Reading").await;
    let (status, _) = app
        .add_words(
            &sara,
            &deck,
            json!([{"language": "en", "lemma": "harbour"}, {"language": "en", "lemma": "lantern"}]),
        )
        .await;
    assert_eq!(status, 200);
    let id = card_of(&app, &sara, "harb").await["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let (status, card) = app
        .patch_with(
            &sara.token,
            &format!("/api/v1/cards/{id}"),
            json!({"note": "Heard it in 100% of sea_shanties", "translation": "bandar",
                   "tags": ["Sea", "book:Moby", "sea"]}),
        )
        .await;
    assert_eq!(status, 200, "{card}");
    assert_eq!(card["note"], "Heard it in 100% of sea_shanties");
    assert_eq!(card["translation"], "bandar");
    assert_eq!(card["tags"], json!(["book:moby", "sea"]));

    assert_eq!(app.cards(&sara, "tag=sea").await.len(), 1);
    assert_eq!(app.cards(&sara, "tag=SEA").await.len(), 1);
    assert_eq!(app.cards(&sara, "tag=river").await.len(), 0);
    assert_eq!(app.cards(&sara, "note=SHANTIES").await.len(), 1);
    // LIKE wildcards are searched literally.
    assert_eq!(app.cards(&sara, "note=100%25").await.len(), 1);
    assert_eq!(app.cards(&sara, "note=%25").await.len(), 1);
    assert_eq!(app.cards(&sara, "note=sea_s").await.len(), 1);
    assert_eq!(app.cards(&sara, "note=sea%25s").await.len(), 0);
    assert_eq!(app.cards(&sara, "lemma=_arbour").await.len(), 0);
    assert_eq!(app.cards(&sara, "lemma=HAR").await.len(), 2);

    // A field left out stays; null clears.
    let (status, card) = app
        .patch_with(
            &sara.token,
            &format!("/api/v1/cards/{id}"),
            json!({"note": null}),
        )
        .await;
    assert_eq!(status, 200, "{card}");
    assert_eq!(card["note"], Value::Null);
    assert_eq!(card["translation"], "bandar");
    assert_eq!(card["tags"], json!(["book:moby", "sea"]));
}

#[tokio::test]
async fn material_past_its_limits_is_refused_and_nothing_changes() {
    let app = spawn().await;
    let sara = app.register_learner("sara@example.org").await;
    let omar = app.register_learner("omar@example.org").await;
    let deck = app.create_deck(&sara, "Reading").await;
    let (status, problem) = app
        .add_words(
            &sara,
            &deck,
            json!([{"language": "en", "lemma": "harbour", "sentence": "x".repeat(501)}]),
        )
        .await;
    assert_eq!(status, 422, "{problem}");
    assert!(app.cards(&sara, "").await.is_empty());

    app.add_words(
        &sara,
        &deck,
        json!([{"language": "en", "lemma": "harbour"}]),
    )
    .await;
    let id = card_of(&app, &sara, "harb").await["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let path = format!("/api/v1/cards/{id}");
    let many: Vec<String> = (0..21).map(|i| format!("t{i}")).collect();
    for body in [
        json!({"note": "n".repeat(2001)}),
        json!({"translation": "two\nlines"}),
        json!({"tags": ["two words"]}),
        json!({"tags": many}),
        json!({"source_sentence": "   "}),
        json!({"tags": "sea"}),
    ] {
        let (status, problem) = app.patch_with(&sara.token, &path, body.clone()).await;
        assert!(matches!(status, 400 | 422), "{body}: {status} {problem}");
    }
    let card = card_of(&app, &sara, "harb").await;
    assert_eq!(card["note"], Value::Null);
    assert_eq!(card["tags"], json!([]));

    let (status, _) = app
        .patch_with(&omar.token, &path, json!({"note": "mine now"}))
        .await;
    assert_eq!(status, 404);
    for bad in [
        "tag=two%20words",
        "note=",
        &format!("lemma={}", "a".repeat(65)),
    ] {
        let (status, problem) = app
            .get_with(&sara.token, &format!("/api/v1/cards?{bad}"))
            .await;
        assert_eq!(status, 422, "{bad}: {problem}");
    }
}
