//! Decks, cards, reviews, offline sync, undo, leeches, the study queue and statistics, through
//! the api against the real stores.

use crate::auth_password::spawn;
use chrono::{Duration, Utc};
use lingo_kernel::Clock;
use lingo_kernel::jobs::JobQueue;
use lingo_test_support::{Learner, TestApp, english_words, eventually};
use serde_json::{Value, json};

/// A deck named "Travel" holding the English `lemmas`.
async fn deck_with(app: &TestApp, learner: &Learner, lemmas: &[&str]) -> String {
    let id = app.create_deck(learner, "Travel").await;
    let (status, added) = app.add_words(learner, &id, english_words(lemmas)).await;
    assert_eq!(status, 200, "{added}");
    id
}

/// The id of the learner's first card.
async fn first_card(app: &TestApp, learner: &Learner) -> String {
    app.cards(learner, "").await[0]["id"]
        .as_str()
        .expect("id")
        .to_owned()
}

async fn review(
    app: &TestApp,
    learner: &Learner,
    card: &str,
    rating: u8,
    at: chrono::DateTime<Utc>,
    id: &str,
) -> (u16, Value) {
    app.post_review(
        learner,
        json!({"card_id": card, "rating": rating, "reviewed_at": at, "duration_ms": 2500, "client_review_id": id}),
    )
    .await
}

#[tokio::test]
async fn words_become_one_card_per_type_once_and_decks_are_private() {
    let app = spawn().await;
    let sara = app.register_learner("sara@example.com").await;
    let deck = deck_with(&app, &sara, &["resilient", "thrive"]).await;
    assert_eq!(app.cards(&sara, &format!("deck={deck}")).await.len(), 4);
    let (_, again) = app
        .post_with(
            &sara.token,
            &format!("/api/v1/decks/{deck}/words"),
            json!({"words": [{"language": "en", "lemma": "thrive"}]}),
        )
        .await;
    assert_eq!(again["items"][0]["cards_created"], 0);

    let reza = app.register_learner("reza@example.com").await;
    assert_eq!(
        app.get_with(&reza.token, &format!("/api/v1/decks/{deck}"))
            .await
            .0,
        404
    );
    let (status, _) = app
        .post_with(
            &reza.token,
            &format!("/api/v1/decks/{deck}/words"),
            json!({"words": [{"language": "en", "lemma": "x"}]}),
        )
        .await;
    assert_eq!(status, 404);
    assert!(app.cards(&reza, "").await.is_empty());
    let (status, body) = app
        .post_with(
            &sara.token,
            &format!("/api/v1/decks/{deck}/words"),
            json!({"words": [{"language": "english", "lemma": ""}]}),
        )
        .await;
    assert_eq!(status, 422, "{body}");
}

#[tokio::test]
async fn a_queue_left_short_by_siblings_studied_today_asks_the_store_for_more() {
    use diesel_async::RunQueryDsl;
    let app = spawn().await;
    let sara = app.register_learner("sara-siblings@example.com").await;
    // word + two letters, in the order of n: wordaa … wordej; wordef is the 46th.
    let letter = |n: u8| char::from(b'a' + n);
    let lemmas: Vec<String> = (0..50u8)
        .map(|n| format!("word{}{}", letter(n / 10), letter(n % 10)))
        .collect();
    let lemmas: Vec<&str> = lemmas.iter().map(String::as_str).collect();
    deck_with(&app, &sara, &lemmas).await;
    // Every word has two cards. The first 45 words: one reviewed a minute ago, its sibling the
    // earliest due of all; the last five (wordef-wordej): both due, later. The 40 candidates the queue asks for
    // first are all siblings of words studied today.
    let mut conn = app.stores.stores.postgres.get().await.expect("connection");
    diesel::sql_query(
        "WITH ranked AS (SELECT c.id, w.lemma, \
           row_number() OVER (PARTITION BY c.word_id ORDER BY c.card_type) AS nth, \
           dense_rank() OVER (ORDER BY w.lemma) AS rank \
           FROM cards c JOIN words w ON w.id = c.word_id WHERE c.user_id = $1) \
         UPDATE cards c SET state = 'review', stability = 10, difficulty = 5, reps = 3, \
           last_review = CASE WHEN r.lemma < 'wordef' AND r.nth = 1 THEN now() - interval '1 minute' \
             ELSE now() - interval '12 days' END, \
           due = CASE WHEN r.lemma < 'wordef' AND r.nth = 1 THEN now() + interval '10 days' \
             WHEN r.lemma < 'wordef' THEN now() - interval '3 days' + r.rank * interval '1 minute' \
             ELSE now() - interval '1 day' END \
         FROM ranked r WHERE r.id = c.id",
    )
    .bind::<diesel::sql_types::Uuid, _>(sara.id.as_uuid())
    .execute(&mut conn)
    .await
    .expect("seeded");
    drop(conn);

    let (status, queue) = app.study_queue(&sara, "limit=20").await;
    assert_eq!(status, 200, "{queue}");
    let mut lemmas: Vec<&str> = queue
        .as_array()
        .expect("queue")
        .iter()
        .filter_map(|q| q["lemma"].as_str())
        .collect();
    lemmas.sort_unstable();
    assert_eq!(
        lemmas,
        ["wordef", "wordeg", "wordeh", "wordei", "wordej"],
        "{queue}"
    );
}

#[tokio::test]
async fn the_queue_shows_one_card_per_word_with_a_preview_of_each_answer() {
    let app = spawn().await;
    let sara = app.register_learner("sara@example.com").await;
    deck_with(&app, &sara, &["resilient", "thrive", "cope"]).await;
    let (status, queue) = app.study_queue(&sara, "limit=10").await;
    assert_eq!(status, 200);
    let queue = queue.as_array().expect("queue");
    assert_eq!(queue.len(), 3, "siblings wait: {queue:?}");
    let lemmas: std::collections::HashSet<&str> =
        queue.iter().filter_map(|q| q["lemma"].as_str()).collect();
    assert_eq!(lemmas.len(), 3);
    let preview: Vec<&str> = queue[0]["preview"]
        .as_array()
        .expect("preview")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(preview.len(), 4);
    assert!(preview[0] <= preview[1] && preview[1] <= preview[2] && preview[2] <= preview[3]);
}

#[tokio::test]
async fn a_review_is_applied_once_however_often_it_is_sent() {
    let app = spawn().await;
    let sara = app.register_learner("sara@example.com").await;
    deck_with(&app, &sara, &["resilient"]).await;
    let card = first_card(&app, &sara).await;
    let now = Utc::now();
    let (status, first) = review(&app, &sara, &card, 3, now, "dev-1").await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(first["status"], "applied");
    assert_eq!(first["card"]["state"], "learning");
    assert_eq!(first["card"]["step"], 1);
    let (status, retry) = review(&app, &sara, &card, 3, now, "dev-1").await;
    assert_eq!(status, 200);
    assert_eq!(retry["status"], "duplicate");
    assert_eq!(retry["card"]["due"], first["card"]["due"]);
    let stored = app
        .cards(&sara, "")
        .await
        .into_iter()
        .find(|c| c["id"] == card.as_str())
        .expect("card");
    assert_eq!(stored["reps"], 1);

    assert_eq!(review(&app, &sara, &card, 5, now, "dev-2").await.0, 422);
    assert_eq!(
        review(&app, &sara, &card, 3, now + Duration::hours(2), "dev-3")
            .await
            .0,
        422
    );
    assert_eq!(
        review(&app, &sara, &card, 3, now - Duration::days(40), "dev-4")
            .await
            .0,
        422
    );
    let reza = app.register_learner("reza@example.com").await;
    assert_eq!(review(&app, &reza, &card, 3, now, "r-1").await.0, 404);
}

#[tokio::test]
async fn offline_reviews_apply_in_time_order_per_card_with_per_item_results() {
    let app = spawn().await;
    let sara = app.register_learner("sara@example.com").await;
    deck_with(&app, &sara, &["resilient"]).await;
    let card = first_card(&app, &sara).await;
    app.advance_time(Duration::hours(4));
    let sara = Learner {
        token: app.token(sara.id, lingo_users::Role::Learner).await,
        ..sara
    };
    let t = app.clock.now() - Duration::hours(3);
    let (status, online) =
        review(&app, &sara, &card, 3, t + Duration::minutes(30), "online-1").await;
    assert_eq!((status, online["status"].as_str()), (200, Some("applied")));
    let (status, body) = app
        .post_with(&sara.token,
            "/api/v1/reviews/batch",
            json!({"reviews": [
                {"card_id": card, "rating": 3, "reviewed_at": t + Duration::minutes(40), "client_review_id": "off-2"},
                {"card_id": card, "rating": 3, "reviewed_at": t, "client_review_id": "off-0"},
                {"card_id": card, "rating": 3, "reviewed_at": t + Duration::minutes(30), "client_review_id": "online-1"},
                {"card_id": card, "rating": 4, "reviewed_at": t, "client_review_id": "online-1"},
                {"card_id": "00000000-0000-0000-0000-000000000000", "rating": 3, "reviewed_at": t, "client_review_id": "off-x"},
            ]}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let results = body["items"].as_array().expect("results");
    let with = |id: &str, status: &str| {
        results
            .iter()
            .find(|r| r["client_review_id"] == id && r["status"] == status)
            .cloned()
            .unwrap_or_else(|| panic!("no {status} result for {id}: {body}"))
    };
    // The late review is kept and folded in before the online one.
    with("off-0", "applied");
    with("online-1", "duplicate");
    // The same id with another rating is not a replay.
    with("online-1", "conflict");
    with("off-x", "not_found");
    assert_eq!(with("off-2", "applied")["card"]["reps"], 3);
}

#[tokio::test]
async fn undo_restores_the_card_before_its_last_review() {
    let app = spawn().await;
    let sara = app.register_learner("sara@example.com").await;
    deck_with(&app, &sara, &["resilient"]).await;
    let card = app.cards(&sara, "").await[0].clone();
    let id = card["id"].as_str().expect("id");
    review(&app, &sara, id, 4, Utc::now(), "u-1").await;
    let (status, undone) = app
        .post_with(&sara.token, &format!("/api/v1/cards/{id}/undo"), json!({}))
        .await;
    assert_eq!(status, 200, "{undone}");
    assert_eq!(undone["reps"], 0);
    assert_eq!(undone["last_review"], Value::Null);
    assert_eq!(undone["state"], "learning");
    assert_eq!(undone["due"], card["due"]);
    assert_eq!(
        app.post_with(&sara.token, &format!("/api/v1/cards/{id}/undo"), json!({}))
            .await
            .0,
        404
    );
}

#[tokio::test]
async fn concurrent_reviews_of_one_card_are_all_counted_once() {
    let app = spawn().await;
    let sara = app.register_learner("sara@example.com").await;
    deck_with(&app, &sara, &["resilient"]).await;
    let card = first_card(&app, &sara).await;
    let now = Utc::now();
    let ids: Vec<String> = (0..8).map(|i| format!("c-{i}")).collect();
    let sends = ids.iter().map(|id| review(&app, &sara, &card, 3, now, id));
    let results = futures_util::future::join_all(sends).await;
    let applied = results
        .iter()
        .filter(|(s, b)| *s == 200 && b["status"] == "applied")
        .count();
    assert_eq!(applied, 8);
    let stored = app
        .cards(&sara, "")
        .await
        .into_iter()
        .find(|c| c["id"] == card.as_str())
        .expect("card");
    assert_eq!(stored["reps"], 8);
    assert_eq!(stored["version"], 8);
}

#[tokio::test]
async fn a_card_that_keeps_lapsing_becomes_a_suspended_leech_and_stats_count_it() {
    let app = spawn().await;
    let sara = app.register_learner("sara@example.com").await;
    let (status, _) = app
        .patch_with(
            &sara.token,
            "/api/v1/me",
            json!({"profile": {"leech_threshold": 3}}),
        )
        .await;
    assert_eq!(status, 200);
    deck_with(&app, &sara, &["resilient"]).await;
    let card = first_card(&app, &sara).await;
    // Reviews made offline in the last hour: the card must be older than that.
    app.advance_time(Duration::hours(2));
    let sara = Learner {
        token: app.token(sara.id, lingo_users::Role::Learner).await,
        ..sara
    };
    let start = app.clock.now() - Duration::hours(1);
    let ratings = [4, 1, 4, 1, 4, 1];
    for (i, rating) in ratings.iter().enumerate() {
        let (status, body) = review(
            &app,
            &sara,
            &card,
            *rating,
            start + Duration::minutes(i as i64),
            &format!("l-{i}"),
        )
        .await;
        assert_eq!(status, 200, "{body}");
    }
    let leeches = app.cards(&sara, "leech=true").await;
    assert_eq!(leeches.len(), 1);
    assert_eq!(leeches[0]["lapses"], 3);
    assert_eq!(leeches[0]["suspended"], true);
    assert_eq!(
        review(&app, &sara, &card, 3, app.clock.now(), "l-after")
            .await
            .0,
        422
    );

    let (status, stats) = app.get_with(&sara.token, "/api/v1/stats").await;
    assert_eq!(status, 200, "{stats}");
    let today: u64 = stats["reviews_per_day"]
        .as_array()
        .expect("days")
        .iter()
        .map(|d| d["reviews"].as_u64().unwrap_or(0))
        .sum();
    assert_eq!(today, 6);
    assert_eq!(stats["states"]["leeches"], 1);
    assert_eq!(
        stats["states"]["new"], 1,
        "the sibling recall card is still new"
    );
    assert_eq!(stats["streak_days"], 1);
    assert_eq!(stats["time_spent_ms"], 6 * 2500);
}

#[tokio::test]
async fn cards_are_suspended_buried_reset_and_moved() {
    let app = spawn().await;
    let sara = app.register_learner("sara@example.com").await;
    deck_with(&app, &sara, &["resilient"]).await;
    let other = deck_with(&app, &sara, &["thrive"]).await;
    let card = first_card(&app, &sara).await;
    let act = |action: &'static str, body: Value| {
        let path = format!("/api/v1/cards/{card}/{action}");
        let (app, sara) = (&app, &sara);
        async move { app.post_with(&sara.token, &path, body).await }
    };
    let (status, suspended) = act("suspend", json!({})).await;
    assert_eq!(
        (status, suspended["suspended"].as_bool()),
        (200, Some(true))
    );
    assert_eq!(
        review(&app, &sara, &card, 3, Utc::now(), "s-1").await.0,
        422
    );
    act("unsuspend", json!({})).await;
    review(&app, &sara, &card, 4, Utc::now(), "s-2").await;
    let (_, reset) = act("reset", json!({})).await;
    assert_eq!(
        (reset["reps"].as_i64(), reset["last_review"].is_null()),
        (Some(0), true)
    );
    let (_, moved) = act("move", json!({"deck_id": other})).await;
    assert_eq!(moved["deck_id"], other.as_str());
    assert_eq!(act("bury", json!({})).await.0, 200);
    let (_, queue) = app.study_queue(&sara, "").await;
    assert!(
        queue
            .as_array()
            .expect("queue")
            .iter()
            .all(|q| q["card"]["id"] != card.as_str()),
        "buried"
    );
    assert_eq!(act("explode", json!({})).await.0, 404);
    let reza = app.register_learner("reza@example.com").await;
    assert_eq!(
        app.post_with(
            &reza.token,
            &format!("/api/v1/cards/{card}/suspend"),
            json!({})
        )
        .await
        .0,
        404
    );
}

#[tokio::test]
async fn a_learner_asks_for_optimisation_once_a_day_and_follows_the_job() {
    let app = spawn().await;
    let sara = app.register_learner("sara@example.com").await;
    let (status, first) = app
        .post_with(&sara.token, "/api/v1/me/fsrs/optimise", json!({}))
        .await;
    assert_eq!(status, 202, "{first}");
    let (_, second) = app
        .post_with(&sara.token, "/api/v1/me/fsrs/optimise", json!({}))
        .await;
    assert_eq!(first["job_id"], second["job_id"]);
    let (status, job) = app
        .get_with(&sara.token, first["status_url"].as_str().expect("url"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(job["type"], "learning.optimise");
    assert_eq!(job["status"], "queued");
    assert_eq!(
        app.stores.stores.queue.stats().await.expect("stats").ready,
        1
    );
}

#[tokio::test]
async fn subscribers_of_a_system_deck_get_its_words_now_and_later() {
    use lingo_users::Role;
    let app = spawn().await;
    let admin_id = app.register_learner("admin@example.com").await.id;
    {
        use diesel_async::RunQueryDsl;
        let mut conn = app.stores.stores.postgres.get().await.expect("connection");
        diesel::sql_query(format!(
            "UPDATE users SET role = 'admin' WHERE id = '{admin_id}'"
        ))
        .execute(&mut conn)
        .await
        .expect("promoted");
    }
    let admin = Learner {
        id: admin_id,
        token: app.token(admin_id, Role::Admin).await,
        session: Value::Null,
    };
    let sara = app.register_learner("sara@example.com").await;
    assert_eq!(
        app.post_with(
            &sara.token,
            "/api/v1/admin/decks",
            json!({"name": "Oxford 3000"})
        )
        .await
        .0,
        403
    );
    let (status, system) = app
        .post_with(
            &admin.token,
            "/api/v1/admin/decks",
            json!({"name": "Oxford 3000", "card_types": ["recognition"]}),
        )
        .await;
    assert_eq!(status, 201, "{system}");
    let system_id = system["id"].as_str().expect("id").to_owned();
    let words = json!({"words": [{"language": "en", "lemma": "abandon"}, {"language": "en", "lemma": "ability"}]});
    assert_eq!(
        app.post_with(
            &admin.token,
            &format!("/api/v1/admin/decks/{system_id}/words"),
            words
        )
        .await
        .0,
        200
    );

    let (_, listed) = app.get_with(&sara.token, "/api/v1/system-decks").await;
    assert_eq!(listed["items"][0]["id"], system_id.as_str());
    let (status, mine) = app
        .post_with(
            &sara.token,
            &format!("/api/v1/system-decks/{system_id}/subscription"),
            json!({}),
        )
        .await;
    assert_eq!(status, 201, "{mine}");
    assert_eq!(mine["source_deck_id"], system_id.as_str());
    let my_deck = mine["id"].as_str().expect("id").to_owned();
    assert_eq!(app.cards(&sara, &format!("deck={my_deck}")).await.len(), 2);
    let (_, again) = app
        .post_with(
            &sara.token,
            &format!("/api/v1/system-decks/{system_id}/subscription"),
            json!({}),
        )
        .await;
    assert_eq!(again["id"], my_deck.as_str());

    // A word added later reaches the subscriber through the outbox and the propagation job.
    let more = json!({"words": [{"language": "en", "lemma": "able"}]});
    app.post_with(
        &admin.token,
        &format!("/api/v1/admin/decks/{system_id}/words"),
        more,
    )
    .await;
    let stores = &app.stores.stores;
    assert!(
        stores
            .jobs
            .dispatch_pass(10)
            .await
            .expect("dispatch")
            .dispatched
            >= 1
    );
    let worker = crate::admin_jobs::start_worker(&app);
    eventually("the word reached the subscriber", || async {
        (app.cards(&sara, &format!("deck={my_deck}")).await.len() == 3).then_some(())
    })
    .await;
    worker.stop().await;
    assert_eq!(app.cards(&sara, &format!("deck={my_deck}")).await.len(), 3);

    let (unsubscribe, _) = app
        .delete_with(
            &sara.token,
            &format!("/api/v1/system-decks/{system_id}/subscription"),
        )
        .await;
    assert_eq!(unsubscribe, 204);
    assert_eq!(
        app.cards(&sara, &format!("deck={my_deck}")).await.len(),
        3,
        "the cards stay"
    );
}
