//! Today's review counts come from the per-quarter-hour counters a trigger keeps
//! (migration 2026-12-03-000300): reviews, undos and late reviews keep them equal to a count of
//! the review log, whether the learner's day starts on a quarter hour or not.

use crate::auth_password::spawn;
use chrono::{DateTime, Duration, DurationRound, Utc};
use lingo_kernel::UserId;
use lingo_learning::ports::CardStore;
use lingo_postgres::PgCardStore;
use lingo_test_support::{Learner, TestApp, english_words};
use serde_json::json;

async fn cards_of(app: &TestApp, learner: &Learner, lemmas: &[&str]) -> Vec<String> {
    let deck = app.create_deck(learner, "Today").await;
    let (status, added) = app.add_words(learner, &deck, english_words(lemmas)).await;
    assert_eq!(status, 200, "{added}");
    // Created yesterday, so that reviews from earlier today are in bounds.
    let mut conn = app.stores.stores.postgres.get().await.expect("connection");
    diesel_async::RunQueryDsl::execute(
        diesel::sql_query("UPDATE cards SET created_at = now() - interval '1 day', due = now() - interval '1 day' WHERE user_id = $1")
            .bind::<diesel::sql_types::Uuid, _>(learner.id.as_uuid()),
        &mut conn,
    )
    .await
    .expect("backdated");
    app.cards(learner, "")
        .await
        .iter()
        .map(|c| c["id"].as_str().expect("id").to_owned())
        .collect()
}

async fn review(app: &TestApp, learner: &Learner, card: &str, at: DateTime<Utc>, id: &str) {
    let (status, body) = app
        .post_review(
            learner,
            json!({"card_id": card, "rating": 3, "reviewed_at": at, "duration_ms": 2000, "client_review_id": id}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
}

/// (reviews done today, new cards studied today) as the study queue sees them.
async fn today(app: &TestApp, user: UserId, day_start: DateTime<Utc>) -> (u32, u32) {
    let store = PgCardStore::new(app.stores.stores.postgres.clone());
    let c = store
        .study_candidates(user, None, Utc::now(), day_start, 20)
        .await
        .expect("candidates");
    (c.reviews_done_today, c.new_studied_today)
}

#[tokio::test]
async fn todays_counts_follow_reviews_undos_and_late_reviews() {
    let app = spawn().await;
    let sara = app.register_learner("sara-today@example.com").await;
    let cards = cards_of(&app, &sara, &["harbour", "lantern", "meadow"]).await;
    let now = Utc::now();
    // A day starting seven minutes and some seconds ago: off any quarter hour.
    let off_quarter = now - Duration::seconds(7 * 60 + 13);
    let aligned = (now - Duration::hours(2))
        .duration_trunc(Duration::minutes(15))
        .expect("truncates");
    for start in [off_quarter, aligned] {
        assert_eq!(today(&app, sara.id, start).await, (0, 0));
    }
    review(&app, &sara, &cards[0], now - Duration::minutes(1), "t-1").await;
    review(&app, &sara, &cards[1], now - Duration::minutes(1), "t-2").await;
    // Before the off-quarter day started, inside the aligned one.
    review(&app, &sara, &cards[2], now - Duration::minutes(30), "t-3").await;
    assert_eq!(today(&app, sara.id, off_quarter).await, (0, 2));
    assert_eq!(today(&app, sara.id, aligned).await, (0, 3));
    // A second review of a card is a review, not a new card.
    review(&app, &sara, &cards[0], now, "t-4").await;
    assert_eq!(today(&app, sara.id, off_quarter).await, (1, 2));
    // Undoing it takes it off the counts again.
    let (status, body) = app
        .post_with(
            &sara.token,
            &format!("/api/v1/cards/{}/undo", cards[0]),
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(today(&app, sara.id, off_quarter).await, (0, 2));
    // A late review before the card's first one makes that one a repeat: refolded, recounted.
    review(&app, &sara, &cards[1], now - Duration::minutes(40), "t-5").await;
    assert_eq!(today(&app, sara.id, aligned).await, (1, 3));
    assert_eq!(today(&app, sara.id, off_quarter).await, (1, 1));
}

/// The words with a card reviewed since `day_start`, as the study queue sees them.
async fn studied_words(
    app: &TestApp,
    user: UserId,
    day_start: DateTime<Utc>,
) -> std::collections::HashSet<String> {
    let store = PgCardStore::new(app.stores.stores.postgres.clone());
    let c = store
        .study_candidates(user, None, Utc::now(), day_start, 20)
        .await
        .expect("candidates");
    c.words_reviewed_today
        .iter()
        .map(|w| w.as_uuid().to_string())
        .collect()
}

#[tokio::test]
async fn the_words_studied_today_follow_reviews_undos_and_the_day_start() {
    let app = spawn().await;
    let sara = app.register_learner("sara-words@example.com").await;
    cards_of(&app, &sara, &["harbour", "lantern"]).await;
    let cards = app.cards(&sara, "").await;
    let card_and_word = |c: &serde_json::Value| {
        (
            c["id"].as_str().expect("id").to_owned(),
            c["word_id"].as_str().expect("word_id").to_owned(),
        )
    };
    let (harbour_card, harbour) = card_and_word(&cards[0]);
    let (lantern_card, lantern) = cards
        .iter()
        .map(card_and_word)
        .find(|(_, word)| *word != harbour)
        .expect("a card of the other word");
    let now = Utc::now();
    let day_start = now - Duration::hours(1);
    assert!(studied_words(&app, sara.id, day_start).await.is_empty());
    review(
        &app,
        &sara,
        &harbour_card,
        now - Duration::minutes(2),
        "w-1",
    )
    .await;
    // Yesterday's review of a word does not hold its siblings back today.
    review(&app, &sara, &lantern_card, now - Duration::hours(2), "w-2").await;
    let studied = studied_words(&app, sara.id, day_start).await;
    assert_eq!(studied, [harbour.clone()].into_iter().collect());
    assert!(!studied.contains(&lantern));
    // Undone, the review no longer counts: the card's last review is yesterday's again.
    let (status, body) = app
        .post_with(
            &sara.token,
            &format!("/api/v1/cards/{harbour_card}/undo"),
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert!(studied_words(&app, sara.id, day_start).await.is_empty());
    // A day that started three hours ago holds the review from two hours ago.
    let earlier = studied_words(&app, sara.id, now - Duration::hours(3)).await;
    assert_eq!(earlier, [lantern].into_iter().collect());
}
