//! Decks, cards, reviews, offline sync, undo, leeches, the study queue and statistics, through
//! the api against the real stores.

use crate::auth_password::{register, spawn};
use chrono::{Duration, Utc};
use lingo_kernel::jobs::JobQueue;
use lingo_test_support::TestApp;
use serde_json::{Value, json};

struct Learner<'a> {
    app: &'a TestApp,
    token: String,
}

impl<'a> Learner<'a> {
    async fn new(app: &'a TestApp, email: &str) -> Self {
        let session: Value = register(app, email, "correct horse battery")
            .await
            .json()
            .await
            .expect("json");
        Self {
            app,
            token: session["access_token"].as_str().expect("token").to_owned(),
        }
    }

    async fn send(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut request = self
            .app
            .client
            .request(method, self.app.url(path))
            .bearer_auth(&self.token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("sent");
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    async fn get(&self, path: &str) -> (u16, Value) {
        self.send(reqwest::Method::GET, path, None).await
    }

    async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        self.send(reqwest::Method::POST, path, Some(body)).await
    }

    async fn deck_with(&self, lemmas: &[&str]) -> String {
        let (status, deck) = self.post("/api/v1/decks", json!({"name": "Travel"})).await;
        assert_eq!(status, 201);
        let id = deck["id"].as_str().expect("id").to_owned();
        let words: Vec<Value> = lemmas
            .iter()
            .map(|l| json!({"language": "en", "lemma": l}))
            .collect();
        let (status, _) = self
            .post(
                &format!("/api/v1/decks/{id}/words"),
                json!({"words": words}),
            )
            .await;
        assert_eq!(status, 200);
        id
    }

    async fn cards(&self, query: &str) -> Vec<Value> {
        let (status, page) = self.get(&format!("/api/v1/cards?{query}")).await;
        assert_eq!(status, 200);
        page["items"].as_array().expect("items").clone()
    }

    async fn review(
        &self,
        card: &str,
        rating: u8,
        at: chrono::DateTime<Utc>,
        id: &str,
    ) -> (u16, Value) {
        self.post(
            "/api/v1/reviews",
            json!({"card_id": card, "rating": rating, "reviewed_at": at, "duration_ms": 2500, "client_review_id": id}),
        )
        .await
    }
}

#[tokio::test]
async fn words_become_one_card_per_type_once_and_decks_are_private() {
    let app = spawn().await;
    let sara = Learner::new(&app, "sara@example.com").await;
    let deck = sara.deck_with(&["resilient", "thrive"]).await;
    assert_eq!(sara.cards(&format!("deck={deck}")).await.len(), 4);
    let (_, again) = sara
        .post(
            &format!("/api/v1/decks/{deck}/words"),
            json!({"words": [{"language": "en", "lemma": "thrive"}]}),
        )
        .await;
    assert_eq!(again[0]["cards_created"], 0);

    let reza = Learner::new(&app, "reza@example.com").await;
    assert_eq!(reza.get(&format!("/api/v1/decks/{deck}")).await.0, 404);
    let (status, _) = reza
        .post(
            &format!("/api/v1/decks/{deck}/words"),
            json!({"words": [{"language": "en", "lemma": "x"}]}),
        )
        .await;
    assert_eq!(status, 404);
    assert!(reza.cards("").await.is_empty());
    let (status, body) = sara
        .post(
            &format!("/api/v1/decks/{deck}/words"),
            json!({"words": [{"language": "english", "lemma": ""}]}),
        )
        .await;
    assert_eq!(status, 422, "{body}");
}

#[tokio::test]
async fn the_queue_shows_one_card_per_word_with_a_preview_of_each_answer() {
    let app = spawn().await;
    let sara = Learner::new(&app, "sara@example.com").await;
    sara.deck_with(&["resilient", "thrive", "cope"]).await;
    let (status, queue) = sara.get("/api/v1/study/queue?limit=10").await;
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
    let sara = Learner::new(&app, "sara@example.com").await;
    sara.deck_with(&["resilient"]).await;
    let card = sara.cards("").await[0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let now = Utc::now();
    let (status, first) = sara.review(&card, 3, now, "dev-1").await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(first["status"], "applied");
    assert_eq!(first["card"]["state"], "Learning");
    assert_eq!(first["card"]["step"], 1);
    let (status, retry) = sara.review(&card, 3, now, "dev-1").await;
    assert_eq!(status, 200);
    assert_eq!(retry["status"], "duplicate");
    assert_eq!(retry["card"]["due"], first["card"]["due"]);
    let stored = sara
        .cards("")
        .await
        .into_iter()
        .find(|c| c["id"] == card.as_str())
        .expect("card");
    assert_eq!(stored["reps"], 1);

    assert_eq!(sara.review(&card, 5, now, "dev-2").await.0, 422);
    assert_eq!(
        sara.review(&card, 3, now + Duration::hours(2), "dev-3")
            .await
            .0,
        422
    );
    assert_eq!(
        sara.review(&card, 3, now - Duration::days(40), "dev-4")
            .await
            .0,
        422
    );
    let reza = Learner::new(&app, "reza@example.com").await;
    assert_eq!(reza.review(&card, 3, now, "r-1").await.0, 404);
}

#[tokio::test]
async fn offline_reviews_apply_in_time_order_per_card_with_per_item_results() {
    let app = spawn().await;
    let sara = Learner::new(&app, "sara@example.com").await;
    sara.deck_with(&["resilient"]).await;
    let card = sara.cards("").await[0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let t = Utc::now() - Duration::hours(3);
    let (status, online) = sara
        .review(&card, 3, t + Duration::minutes(30), "online-1")
        .await;
    assert_eq!((status, online["status"].as_str()), (200, Some("applied")));
    let (status, body) = sara
        .post(
            "/api/v1/reviews/batch",
            json!({"reviews": [
                {"card_id": card, "rating": 3, "reviewed_at": t + Duration::minutes(40), "client_review_id": "off-2"},
                {"card_id": card, "rating": 3, "reviewed_at": t, "client_review_id": "off-0"},
                {"card_id": card, "rating": 3, "reviewed_at": t + Duration::minutes(30), "client_review_id": "online-1"},
                {"card_id": "00000000-0000-0000-0000-000000000000", "rating": 3, "reviewed_at": t, "client_review_id": "off-x"},
            ]}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let by_id = |id: &str| {
        body["results"]
            .as_array()
            .expect("results")
            .iter()
            .find(|r| r["client_review_id"] == id)
            .cloned()
            .expect("result")
    };
    assert_eq!(by_id("off-0")["status"], "rejected");
    assert_eq!(
        by_id("off-0")["reason"],
        "the card has a later review already"
    );
    assert_eq!(by_id("online-1")["status"], "duplicate");
    assert_eq!(by_id("off-2")["status"], "applied");
    assert_eq!(by_id("off-x")["status"], "not_found");
    assert_eq!(by_id("off-2")["card"]["reps"], 2);
}

#[tokio::test]
async fn undo_restores_the_card_before_its_last_review() {
    let app = spawn().await;
    let sara = Learner::new(&app, "sara@example.com").await;
    sara.deck_with(&["resilient"]).await;
    let card = sara.cards("").await[0].clone();
    let id = card["id"].as_str().expect("id");
    sara.review(id, 4, Utc::now(), "u-1").await;
    let (status, undone) = sara
        .post(&format!("/api/v1/cards/{id}/undo"), json!({}))
        .await;
    assert_eq!(status, 200, "{undone}");
    assert_eq!(undone["reps"], 0);
    assert_eq!(undone["last_review"], Value::Null);
    assert_eq!(undone["state"], "Learning");
    assert_eq!(undone["due"], card["due"]);
    assert_eq!(
        sara.post(&format!("/api/v1/cards/{id}/undo"), json!({}))
            .await
            .0,
        404
    );
}

#[tokio::test]
async fn concurrent_reviews_of_one_card_are_all_counted_once() {
    let app = spawn().await;
    let sara = Learner::new(&app, "sara@example.com").await;
    sara.deck_with(&["resilient"]).await;
    let card = sara.cards("").await[0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let now = Utc::now();
    let ids: Vec<String> = (0..8).map(|i| format!("c-{i}")).collect();
    let sends = ids.iter().map(|id| sara.review(&card, 3, now, id));
    let results = futures_util::future::join_all(sends).await;
    let applied = results
        .iter()
        .filter(|(s, b)| *s == 200 && b["status"] == "applied")
        .count();
    assert_eq!(applied, 8);
    let stored = sara
        .cards("")
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
    let sara = Learner::new(&app, "sara@example.com").await;
    let (status, _) = sara
        .send(
            reqwest::Method::PATCH,
            "/api/v1/me",
            Some(json!({"profile": {"leech_threshold": 3}})),
        )
        .await;
    assert_eq!(status, 200);
    sara.deck_with(&["resilient"]).await;
    let card = sara.cards("").await[0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let start = Utc::now() - Duration::hours(1);
    let ratings = [4, 1, 4, 1, 4, 1];
    for (i, rating) in ratings.iter().enumerate() {
        let (status, body) = sara
            .review(
                &card,
                *rating,
                start + Duration::minutes(i as i64),
                &format!("l-{i}"),
            )
            .await;
        assert_eq!(status, 200, "{body}");
    }
    let leeches = sara.cards("leech=true").await;
    assert_eq!(leeches.len(), 1);
    assert_eq!(leeches[0]["lapses"], 3);
    assert_eq!(leeches[0]["suspended"], true);
    assert_eq!(sara.review(&card, 3, Utc::now(), "l-after").await.0, 422);

    let (status, stats) = sara.get("/api/v1/stats").await;
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
    let sara = Learner::new(&app, "sara@example.com").await;
    sara.deck_with(&["resilient"]).await;
    let other = sara.deck_with(&["thrive"]).await;
    let card = sara.cards("").await[0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let act = |action: &'static str, body: Value| {
        let path = format!("/api/v1/cards/{card}/{action}");
        let sara = &sara;
        async move { sara.post(&path, body).await }
    };
    let (status, suspended) = act("suspend", json!({})).await;
    assert_eq!(
        (status, suspended["suspended"].as_bool()),
        (200, Some(true))
    );
    assert_eq!(sara.review(&card, 3, Utc::now(), "s-1").await.0, 422);
    act("unsuspend", json!({})).await;
    sara.review(&card, 4, Utc::now(), "s-2").await;
    let (_, reset) = act("reset", json!({})).await;
    assert_eq!(
        (reset["reps"].as_i64(), reset["last_review"].is_null()),
        (Some(0), true)
    );
    let (_, moved) = act("move", json!({"deck_id": other})).await;
    assert_eq!(moved["deck_id"], other.as_str());
    assert_eq!(act("bury", json!({})).await.0, 200);
    let (_, queue) = sara.get("/api/v1/study/queue").await;
    assert!(
        queue
            .as_array()
            .expect("queue")
            .iter()
            .all(|q| q["card"]["id"] != card.as_str()),
        "buried"
    );
    assert_eq!(act("explode", json!({})).await.0, 404);
    let reza = Learner::new(&app, "reza@example.com").await;
    assert_eq!(
        reza.post(&format!("/api/v1/cards/{card}/suspend"), json!({}))
            .await
            .0,
        404
    );
}

#[tokio::test]
async fn a_learner_asks_for_optimisation_once_a_day_and_follows_the_job() {
    let app = spawn().await;
    let sara = Learner::new(&app, "sara@example.com").await;
    let (status, first) = sara.post("/api/v1/me/fsrs/optimise", json!({})).await;
    assert_eq!(status, 202, "{first}");
    let (_, second) = sara.post("/api/v1/me/fsrs/optimise", json!({})).await;
    assert_eq!(first["job_id"], second["job_id"]);
    let (status, job) = sara.get(first["status_url"].as_str().expect("url")).await;
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
    let account: Value = register(&app, "admin@example.com", "correct horse battery")
        .await
        .json()
        .await
        .expect("json");
    let admin_id: lingo_kernel::UserId = account["user"]["id"]
        .as_str()
        .expect("id")
        .parse()
        .expect("uuid");
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
        app: &app,
        token: app.token(admin_id, Role::Admin),
    };
    let sara = Learner::new(&app, "sara@example.com").await;
    assert_eq!(
        sara.post("/api/v1/admin/decks", json!({"name": "Oxford 3000"}))
            .await
            .0,
        403
    );
    let (status, system) = admin
        .post(
            "/api/v1/admin/decks",
            json!({"name": "Oxford 3000", "card_types": ["recognition"]}),
        )
        .await;
    assert_eq!(status, 201, "{system}");
    let system_id = system["id"].as_str().expect("id").to_owned();
    let words = json!({"words": [{"language": "en", "lemma": "abandon"}, {"language": "en", "lemma": "ability"}]});
    assert_eq!(
        admin
            .post(&format!("/api/v1/admin/decks/{system_id}/words"), words)
            .await
            .0,
        200
    );

    let (_, listed) = sara.get("/api/v1/system-decks").await;
    assert_eq!(listed[0]["id"], system_id.as_str());
    let (status, mine) = sara
        .post(
            &format!("/api/v1/system-decks/{system_id}/subscription"),
            json!({}),
        )
        .await;
    assert_eq!(status, 201, "{mine}");
    assert_eq!(mine["source_deck_id"], system_id.as_str());
    let my_deck = mine["id"].as_str().expect("id").to_owned();
    assert_eq!(sara.cards(&format!("deck={my_deck}")).await.len(), 2);
    let (_, again) = sara
        .post(
            &format!("/api/v1/system-decks/{system_id}/subscription"),
            json!({}),
        )
        .await;
    assert_eq!(again["id"], my_deck.as_str());

    // A word added later reaches the subscriber through the outbox and the propagation job.
    let more = json!({"words": [{"language": "en", "lemma": "able"}]});
    admin
        .post(&format!("/api/v1/admin/decks/{system_id}/words"), more)
        .await;
    let stores = &app.stores.stores;
    assert!(stores.outbox.relay(&stores.queue, 10).await.expect("relay") >= 1);
    let worker = crate::admin_jobs::start_worker(&app);
    for _ in 0..100 {
        if sara.cards(&format!("deck={my_deck}")).await.len() == 3 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    worker.stop().await;
    assert_eq!(sara.cards(&format!("deck={my_deck}")).await.len(), 3);

    let unsubscribe = app
        .client
        .delete(app.url(&format!("/api/v1/system-decks/{system_id}/subscription")))
        .bearer_auth(&sara.token)
        .send()
        .await
        .expect("sent");
    assert_eq!(unsubscribe.status(), 204);
    assert_eq!(
        sara.cards(&format!("deck={my_deck}")).await.len(),
        3,
        "the cards stay"
    );
}
