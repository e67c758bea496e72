//! Nothing lost, nothing applied twice: idempotent undo, reused and concurrent client review ids,
//! late offline reviews folded in time order, the offline window; and system decks that outlive
//! their publisher's account. Through the api against the real stores.

use crate::auth_password::spawn;
use chrono::{DateTime, Duration, SubsecRound, Utc};
use diesel_async::RunQueryDsl;
use lingo_kernel::{CardId, Clock};
use lingo_learning::Rating;
use lingo_learning::card::CardSnapshot;
use lingo_learning::fold_reviews::{FoldStep, LeechRule, fold};
use lingo_learning::scheduler::{Scheduler, SchedulerConfig};
use lingo_test_support::{Learner, TestApp, english_words};
use lingo_users::Role;
use serde_json::{Value, json};

/// A deck with one word; the id of the learner's first card.
async fn card_of(app: &TestApp, learner: &Learner) -> String {
    let deck = app.create_deck(learner, "Travel").await;
    let (status, added) = app
        .add_words(learner, &deck, english_words(&["resilient"]))
        .await;
    assert_eq!(status, 200, "{added}");
    app.cards(learner, "").await[0]["id"]
        .as_str()
        .expect("id")
        .to_owned()
}

/// The learner with a token valid at the api's clock (after `advance_time`).
async fn fresh(app: &TestApp, learner: Learner) -> Learner {
    Learner {
        token: app.token(learner.id, Role::Learner).await,
        ..learner
    }
}

async fn review(
    app: &TestApp,
    learner: &Learner,
    card: &str,
    rating: u8,
    at: DateTime<Utc>,
    id: &str,
) -> (u16, Value) {
    app.post_review(
        learner,
        json!({"card_id": card, "rating": rating, "reviewed_at": at, "client_review_id": id}),
    )
    .await
}

async fn count(app: &TestApp, sql: String) -> i64 {
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let mut conn = app.stores.stores.postgres.get().await.expect("connection");
    diesel::sql_query(sql)
        .get_result::<Count>(&mut conn)
        .await
        .expect("counted")
        .n
}

/// Log rows holding `client_review_id`.
async fn log_rows(app: &TestApp, client_review_id: &str) -> i64 {
    count(
        app,
        format!(
            "SELECT count(*) AS n FROM review_logs WHERE client_review_id = '{client_review_id}'"
        ),
    )
    .await
}

#[tokio::test]
async fn a_named_undo_sent_twice_undoes_one_review() {
    let app = spawn().await;
    let sara = app.register_learner("sara@example.com").await;
    let card = card_of(&app, &sara).await;
    let now = app.clock.now();
    for (i, id) in ["r-1", "r-2", "r-3"].iter().enumerate() {
        let at = now - Duration::minutes(3 - i as i64);
        assert_eq!(review(&app, &sara, &card, 3, at, id).await.0, 200);
    }
    let (status, first) = app.undo_review(&sara, &card, Some("r-3")).await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(first["reps"], 2);
    let (status, retry) = app.undo_review(&sara, &card, Some("r-3")).await;
    assert_eq!(status, 200, "{retry}");
    assert_eq!(retry["reps"], 2, "the retry undid nothing more");
    assert_eq!(retry["due"], first["due"]);
    assert_eq!(app.card(&sara, &card).await["reps"], 2);

    let (status, problem) = app.undo_review(&sara, &card, Some("r-1")).await;
    assert_eq!(status, 409, "{problem}");
    assert_eq!(problem["type"], "urn:lingo:problem:undo-not-latest");
    assert_eq!(app.undo_review(&sara, &card, Some("nope")).await.0, 404);
    assert_eq!(app.card(&sara, &card).await["reps"], 2);
}

#[tokio::test]
async fn undo_after_a_suspend_keeps_the_card_suspended() {
    let app = spawn().await;
    let sara = app.register_learner("sara@example.com").await;
    let card = card_of(&app, &sara).await;
    assert_eq!(
        review(&app, &sara, &card, 3, app.clock.now(), "s-1")
            .await
            .0,
        200
    );
    let (status, suspended) = app
        .post_with(
            &sara.token,
            &format!("/api/v1/cards/{card}/suspend"),
            json!({}),
        )
        .await;
    assert_eq!((status, &suspended["suspended"]), (200, &json!(true)));
    let (status, undone) = app.undo_review(&sara, &card, Some("s-1")).await;
    assert_eq!(status, 200, "{undone}");
    assert_eq!(undone["reps"], 0);
    assert_eq!(undone["last_review"], Value::Null);
    assert_eq!(undone["suspended"], true, "the later suspend stands");
    assert_eq!(app.card(&sara, &card).await["suspended"], true);
}

#[tokio::test]
async fn undo_of_a_review_before_a_reset_is_refused() {
    let app = spawn().await;
    let sara = app.register_learner("sara@example.com").await;
    let card = card_of(&app, &sara).await;
    let reviewed_at = app.clock.now() - Duration::minutes(1);
    assert_eq!(
        review(&app, &sara, &card, 4, reviewed_at, "x-1").await.0,
        200
    );
    let (status, _) = app
        .post_with(
            &sara.token,
            &format!("/api/v1/cards/{card}/reset"),
            json!({}),
        )
        .await;
    assert_eq!(status, 200);
    for named in [Some("x-1"), None] {
        let (status, problem) = app.undo_review(&sara, &card, named).await;
        assert_eq!(status, 409, "{problem}");
        assert_eq!(problem["type"], "urn:lingo:problem:undo-after-reset");
    }
    let after = app.card(&sara, &card).await;
    assert_eq!(after["reps"], 0);
    assert_eq!(after["state"], "learning");
}

#[tokio::test]
async fn concurrent_duplicates_of_one_client_review_id_store_one_review() {
    let app = spawn().await;
    let sara = app.register_learner("sara@example.com").await;
    let card = card_of(&app, &sara).await;
    let now = app.clock.now();
    let (a, b) = tokio::join!(
        review(&app, &sara, &card, 3, now, "dup-1"),
        review(&app, &sara, &card, 3, now, "dup-1"),
    );
    assert_eq!((a.0, b.0), (200, 200), "{} {}", a.1, b.1);
    let mut statuses = [a.1["status"].clone(), b.1["status"].clone()];
    statuses.sort_by_key(|s| s.to_string());
    assert_eq!(statuses, [json!("applied"), json!("duplicate")]);
    assert_eq!(a.1["card"]["due"], b.1["card"]["due"]);
    assert_eq!(log_rows(&app, "dup-1").await, 1);
    assert_eq!(app.card(&sara, &card).await["reps"], 1);
}

#[tokio::test]
async fn a_client_review_id_reused_for_another_card_or_rating_is_a_conflict() {
    let app = spawn().await;
    let sara = app.register_learner("sara@example.com").await;
    card_of(&app, &sara).await;
    let cards = app.cards(&sara, "").await;
    let (first, second) = (
        cards[0]["id"].as_str().expect("id"),
        cards[1]["id"].as_str().expect("id"),
    );
    let now = app.clock.now();
    let (status, applied) = review(&app, &sara, first, 3, now, "same").await;
    assert_eq!(status, 200, "{applied}");

    let (status, problem) = review(&app, &sara, second, 3, now, "same").await;
    assert_eq!(status, 409, "{problem}");
    assert_eq!(problem["type"], "urn:lingo:problem:client-review-id-reused");
    assert!(
        problem["detail"]
            .as_str()
            .is_some_and(|d| d.contains("another card")),
        "{problem}"
    );
    let (status, problem) = review(&app, &sara, first, 1, now, "same").await;
    assert_eq!(status, 409, "{problem}");
    assert!(
        problem["detail"]
            .as_str()
            .is_some_and(|d| d.contains("another rating"))
    );
    let (status, replay) = review(&app, &sara, first, 3, now, "same").await;
    assert_eq!((status, &replay["status"]), (200, &json!("duplicate")));
    assert_eq!(replay["card"]["due"], applied["card"]["due"]);
    assert_eq!(app.card(&sara, second).await["reps"], 0);

    // At the same moment on two cards: one review stored, the other refused.
    let (a, b) = tokio::join!(
        review(&app, &sara, first, 3, now, "race"),
        review(&app, &sara, second, 3, now, "race"),
    );
    let mut codes = [a.0, b.0];
    codes.sort();
    assert_eq!(codes, [200, 409], "{} {}", a.1, b.1);
    assert_eq!(log_rows(&app, "race").await, 1);
}

#[tokio::test]
async fn a_late_offline_review_is_kept_and_the_card_is_its_history_replayed_in_time_order() {
    let app = spawn().await;
    let sara = app.register_learner("sara@example.com").await;
    let card = card_of(&app, &sara).await;
    app.advance_time(Duration::days(30));
    let sara = fresh(&app, sara).await;
    // To the microsecond, as the log keeps review times.
    let now = app.clock.now().trunc_subsecs(6);
    let (a, b, c) = (
        now - Duration::days(20),
        now - Duration::days(15),
        now - Duration::days(10),
    );
    assert_eq!(review(&app, &sara, &card, 3, a, "a").await.0, 200);
    assert_eq!(review(&app, &sara, &card, 3, c, "c").await.0, 200);
    // Another device, offline since, sends the review it made between the two.
    let (status, late) = review(&app, &sara, &card, 1, b, "b").await;
    assert_eq!(status, 200, "{late}");
    assert_eq!(late["status"], "applied");
    let rows = count(
        &app,
        format!("SELECT count(*) AS n FROM review_logs WHERE card_id = '{card}'"),
    )
    .await;
    assert_eq!(rows, 3, "the late review is in the history");

    let card_id = CardId::from_uuid(card.parse().expect("uuid"));
    let history = [
        ("a", Rating::Good, a),
        ("b", Rating::Again, b),
        ("c", Rating::Good, c),
    ];
    let steps: Vec<FoldStep<'_>> = history
        .iter()
        .map(|(id, rating, at)| FoldStep {
            client_review_id: id,
            rating: *rating,
            reviewed_at: *at,
        })
        .collect();
    let scheduler = Scheduler::new(SchedulerConfig::default()).expect("defaults");
    let leeches = LeechRule {
        threshold: 8,
        suspend: true,
    };
    let expected = fold(
        &scheduler,
        card_id,
        &CardSnapshot::unreviewed(now),
        &steps,
        leeches,
    )
    .pop()
    .expect("folded")
    .after;
    let stored = app.card(&sara, &card).await;
    assert_eq!(stored, late["card"]);
    assert_eq!(stored["state"], expected.state.as_str());
    assert_eq!(stored["step"], json!(expected.step));
    assert_eq!(stored["stability"], json!(expected.stability));
    assert_eq!(stored["difficulty"], json!(expected.difficulty));
    let due: DateTime<Utc> = serde_json::from_value(stored["due"].clone()).expect("due");
    assert_eq!(due, expected.due);
    assert_eq!(stored["reps"], 3);
    assert_eq!(stored["lapses"], json!(expected.lapses));
    let last: DateTime<Utc> =
        serde_json::from_value(stored["last_review"].clone()).expect("last review");
    assert_eq!(last, c);

    // The fold kept the log consistent: undoing the latest review goes back to a, then b.
    let (status, undone) = app.undo_review(&sara, &card, Some("c")).await;
    assert_eq!(status, 200, "{undone}");
    assert_eq!(undone["reps"], 2);
    let last: DateTime<Utc> =
        serde_json::from_value(undone["last_review"].clone()).expect("last review");
    assert_eq!(last, b);
}

#[tokio::test]
async fn a_review_sixty_days_old_is_accepted_and_one_four_hundred_days_old_is_refused() {
    let app = spawn().await;
    let sara = app.register_learner("sara@example.com").await;
    let card = card_of(&app, &sara).await;
    app.advance_time(Duration::days(401));
    let sara = fresh(&app, sara).await;
    let now = app.clock.now();

    let (status, problem) = review(&app, &sara, &card, 3, now - Duration::days(400), "old").await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(
        problem["type"],
        "urn:lingo:problem:review-time-out-of-bounds"
    );
    assert_eq!(problem["detail"], "reviewed_at is more than 365 days ago");
    assert_eq!(problem["errors"][0]["field"], "reviewed_at");
    assert_eq!(log_rows(&app, "old").await, 0);

    let (status, applied) = review(&app, &sara, &card, 3, now - Duration::days(60), "sixty").await;
    assert_eq!(status, 200, "{applied}");
    assert_eq!(applied["status"], "applied");
    assert_eq!(applied["card"]["reps"], 1);
}

#[tokio::test]
async fn deleting_the_admin_who_published_a_system_deck_leaves_the_deck_and_its_subscriptions() {
    let app = spawn().await;
    let admin_id = app.register_learner("admin@example.com").await.id;
    count(
        &app,
        format!(
            "WITH u AS (UPDATE users SET role = 'admin' WHERE id = '{admin_id}' RETURNING 1) \
             SELECT count(*) AS n FROM u"
        ),
    )
    .await;
    let admin = app.token(admin_id, Role::Admin).await;
    let (status, system) = app
        .post_with(
            &admin,
            "/api/v1/admin/decks",
            json!({"name": "Oxford 3000", "card_types": ["recognition"]}),
        )
        .await;
    assert_eq!(status, 201, "{system}");
    let system_id = system["id"].as_str().expect("id").to_owned();
    let (status, _) = app
        .post_with(
            &admin,
            &format!("/api/v1/admin/decks/{system_id}/words"),
            json!({"words": english_words(&["abandon", "ability"])}),
        )
        .await;
    assert_eq!(status, 200);
    let sara = app.register_learner("sara@example.com").await;
    let (status, mine) = app
        .post_with(
            &sara.token,
            &format!("/api/v1/system-decks/{system_id}/subscription"),
            json!({}),
        )
        .await;
    assert_eq!(status, 201, "{mine}");
    let my_deck = mine["id"].as_str().expect("id").to_owned();

    assert_eq!(app.delete_with(&admin, "/api/v1/me").await.0, 204);

    let (status, listed) = app.get_with(&sara.token, "/api/v1/system-decks").await;
    assert_eq!(status, 200, "{listed}");
    assert_eq!(listed["items"][0]["id"], system_id.as_str(), "{listed}");
    let (_, deck) = app
        .get_with(&sara.token, &format!("/api/v1/decks/{my_deck}"))
        .await;
    assert_eq!(
        deck["source_deck_id"],
        system_id.as_str(),
        "still subscribed"
    );
    assert_eq!(app.cards(&sara, &format!("deck={my_deck}")).await.len(), 2);
    let words = count(
        &app,
        format!("SELECT count(*) AS n FROM system_deck_words WHERE deck_id = '{system_id}'"),
    )
    .await;
    assert_eq!(words, 2);
    let publisher_forgotten = count(
        &app,
        format!(
            "SELECT count(*) AS n FROM decks WHERE id = '{system_id}' AND owner_id IS NULL \
             AND published_by IS NULL"
        ),
    )
    .await;
    assert_eq!(publisher_forgotten, 1);
    // Subscribing still works without the publisher.
    let reza = app.register_learner("reza@example.com").await;
    let (status, _) = app
        .post_with(
            &reza.token,
            &format!("/api/v1/system-decks/{system_id}/subscription"),
            json!({}),
        )
        .await;
    assert_eq!(status, 201);
}

#[tokio::test]
async fn the_openapi_document_describes_the_review_conflicts_and_the_named_undo() {
    let app = spawn().await;
    let response = app.get("/api/v1/openapi.json").await;
    let doc: Value = response.json().await.expect("json");
    let paths = &doc["paths"];
    let undo = &paths["/api/v1/cards/{id}/undo"]["post"];
    assert!(undo["responses"]["409"].is_object(), "{undo}");
    let body = serde_json::to_string(&undo["requestBody"]).expect("body");
    assert!(body.contains("UndoInput"), "{body}");
    let schema = &doc["components"]["schemas"]["UndoInput"];
    assert!(
        schema["properties"]["client_review_id"].is_object(),
        "{schema}"
    );
    assert!(paths["/api/v1/reviews"]["post"]["responses"]["409"].is_object());
}
