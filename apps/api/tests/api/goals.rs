//! Daily goals, streaks and the heatmap: days are the learner's local days, dated when each
//! review is written, so a streak is unbounded and a DST change moves nothing.

use crate::auth_password::spawn;
use chrono::{DateTime, Duration, NaiveDate, Offset, TimeZone, Utc};
use lingo_kernel::Clock;
use lingo_test_support::{Learner, TestApp, english_words};
use lingo_users::Role;
use serde_json::{Value, json};

async fn first_card(app: &TestApp, learner: &Learner) -> String {
    let deck = app.create_deck(learner, "Days").await;
    let (status, added) = app
        .add_words(learner, &deck, english_words(&["steady"]))
        .await;
    assert_eq!(status, 200, "{added}");
    app.cards(learner, "").await[0]["id"]
        .as_str()
        .expect("id")
        .to_owned()
}

async fn fresh(app: &TestApp, learner: &Learner) -> Learner {
    Learner {
        token: app.token(learner.id, Role::Learner).await,
        ..learner.clone()
    }
}

async fn review_at(app: &TestApp, learner: &Learner, card: &str, at: DateTime<Utc>, id: &str) {
    let (status, body) = app
        .post_review(
            learner,
            json!({"card_id": card, "rating": 3, "reviewed_at": at, "client_review_id": id,
                   "duration_ms": 30_000}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
}

async fn stats_of(app: &TestApp, learner: &Learner) -> Value {
    let (status, stats) = app.get_with(&learner.token, "/api/v1/stats").await;
    assert_eq!(status, 200, "{stats}");
    stats
}

#[tokio::test]
async fn sixty_days_of_reviews_are_a_sixty_day_streak_and_the_goal_counts_today() {
    let app = spawn().await;
    let learner = app.register_learner("sixty@example.org").await;
    let (status, me) = app
        .patch_with(
            &learner.token,
            "/api/v1/me",
            json!({"profile": {"timezone": "Asia/Tehran",
                               "daily_goal": {"kind": "reviews", "target": 2}}}),
        )
        .await;
    assert_eq!(status, 200, "{me}");
    assert_eq!(
        me["profile"]["daily_goal"],
        json!({"kind": "reviews", "target": 2})
    );
    let card = first_card(&app, &learner).await;
    let mut learner = learner;
    for day in 0..60 {
        if day > 0 {
            app.advance_time(Duration::days(1));
            learner = fresh(&app, &learner).await;
        }
        review_at(
            &app,
            &learner,
            &card,
            app.clock.now(),
            &format!("day-{day}"),
        )
        .await;
    }
    let stats = stats_of(&app, &learner).await;
    assert_eq!(stats["streak_days"], 60, "{stats}");
    assert_eq!(stats["longest_streak_days"], 60);
    assert_eq!(stats["streak_freezes_available"], 2);
    assert_eq!(stats["heatmap"].as_array().map(Vec::len), Some(60));
    assert_eq!(stats["reviews_per_day"].as_array().map(Vec::len), Some(30));
    assert_eq!(
        stats["goal"],
        json!({"kind": "reviews", "target": 2, "done": 1, "met": false})
    );

    let (status, session) = app
        .get_with(&learner.token, "/api/v1/study/session?limit=1")
        .await;
    assert_eq!(status, 200, "{session}");
    assert_eq!(session["goal"]["done"], 1, "{session}");

    // An undone review comes off its day.
    let (status, body) = app.undo_review(&learner, &card, Some("day-59")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(stats_goal_done(&app, &learner).await, 0);

    // Two missed days (today, now without reviews, and tomorrow) spend the two banked freezes;
    // the streak survives without counting them.
    app.advance_time(Duration::days(2));
    let learner = fresh(&app, &learner).await;
    review_at(&app, &learner, &card, app.clock.now(), "after-gap").await;
    let stats = stats_of(&app, &learner).await;
    assert_eq!(stats["streak_days"], 60, "{stats}");
    assert_eq!(stats["streak_freezes_available"], 0);
    let frozen = stats["heatmap"]
        .as_array()
        .expect("heatmap")
        .iter()
        .filter(|d| d["frozen"] == true)
        .count();
    assert_eq!(frozen, 2);
}

async fn stats_goal_done(app: &TestApp, learner: &Learner) -> Value {
    stats_of(app, learner).await["goal"]["done"].clone()
}

/// `hour:30` local on `date` in `tz`, as an instant.
fn local<T: TimeZone>(tz: &T, date: NaiveDate, hour: u32) -> DateTime<Utc> {
    tz.from_local_datetime(&date.and_hms_opt(hour, 30, 0).expect("time"))
        .single()
        .expect("unambiguous")
        .with_timezone(&Utc)
}

#[tokio::test]
async fn a_dst_change_inside_the_heatmap_moves_no_day() {
    let app = spawn().await;
    let learner = app.register_learner("dst@example.org").await;
    let (status, me) = app
        .patch_with(
            &learner.token,
            "/api/v1/me",
            json!({"profile": {"timezone": "Europe/Berlin", "day_rollover_hour": 0}}),
        )
        .await;
    assert_eq!(status, 200, "{me}");
    let card = first_card(&app, &learner).await;
    let berlin = lingo_users::Timezone::parse("Europe/Berlin")
        .expect("zone")
        .tz();
    let offset = |at: DateTime<Utc>| at.with_timezone(&berlin).offset().fix().local_minus_utc();
    let first_day = app.clock.now().with_timezone(&berlin).date_naive() + Duration::days(1);
    let second_day = (30..300)
        .map(|n| first_day + Duration::days(n))
        .find(|d| offset(local(&berlin, *d, 12)) != offset(local(&berlin, first_day, 12)))
        .expect("a DST change within 300 days");
    // Reviews near midnight: cut with the offset in force on the second day, the first one
    // would land on a neighbouring date (23:30 when clocks went forward, 00:30 when back).
    let hour = if offset(local(&berlin, second_day, 12)) > offset(local(&berlin, first_day, 12)) {
        23
    } else {
        0
    };
    let (first, second) = (
        local(&berlin, first_day, hour),
        local(&berlin, second_day, hour),
    );

    app.advance_time(first - app.clock.now() + Duration::minutes(1));
    let learner = fresh(&app, &learner).await;
    review_at(&app, &learner, &card, first, "before-dst").await;
    app.advance_time(second - app.clock.now() + Duration::minutes(1));
    let learner = fresh(&app, &learner).await;
    review_at(&app, &learner, &card, second, "after-dst").await;

    let stats = stats_of(&app, &learner).await;
    let days: Vec<&str> = stats["heatmap"]
        .as_array()
        .expect("heatmap")
        .iter()
        .map(|d| d["date"].as_str().expect("date"))
        .collect();
    // Each on its own date, neither moved by the offset in force today.
    assert_eq!(
        days,
        vec![first_day.to_string(), second_day.to_string()],
        "{stats}"
    );
    assert_eq!(stats["streak_days"], 1);
}

/// `learner_days` rows of the learner: (shard, reviews, passed).
async fn day_shards(app: &TestApp, learner: &Learner) -> Vec<(i16, i32, i32)> {
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::SmallInt)]
        shard: i16,
        #[diesel(sql_type = diesel::sql_types::Integer)]
        reviews: i32,
        #[diesel(sql_type = diesel::sql_types::Integer)]
        passed: i32,
    }
    let mut conn = app.stores.stores.postgres.get().await.expect("connection");
    diesel_async::RunQueryDsl::load::<Row>(
        diesel::sql_query(format!(
            "SELECT shard, reviews, passed FROM learner_days WHERE user_id = '{}' ORDER BY shard",
            learner.id
        )),
        &mut conn,
    )
    .await
    .expect("rows")
    .into_iter()
    .map(|r| (r.shard, r.reviews, r.passed))
    .collect()
}

#[tokio::test]
async fn a_day_counted_in_shards_sums_them_and_undo_finds_a_review_counted_before_the_shards() {
    let app = spawn().await;
    let learner = app.register_learner("shards@example.org").await;
    let deck = app.create_deck(&learner, "Shards").await;
    let words = [
        "north", "south", "east", "west", "up", "down", "left", "right",
    ];
    let (status, added) = app.add_words(&learner, &deck, english_words(&words)).await;
    assert_eq!(status, 200, "{added}");
    let cards: Vec<String> = app
        .cards(&learner, "")
        .await
        .iter()
        .map(|c| c["id"].as_str().expect("id").to_owned())
        .collect();
    for (i, card) in cards.iter().enumerate() {
        review_at(&app, &learner, card, app.clock.now(), &format!("s-{i}")).await;
    }
    let shards = day_shards(&app, &learner).await;
    assert!(
        shards.len() > 1,
        "eight cards fell in one shard: {shards:?}"
    );
    let total: i32 = shards.iter().map(|s| s.1).sum();
    assert_eq!(total as usize, cards.len());
    assert_eq!(stats_goal_done(&app, &learner).await, cards.len());

    // A day written before the shards: everything in shard 0, as the migration leaves it.
    let mut conn = app.stores.stores.postgres.get().await.expect("connection");
    diesel_async::RunQueryDsl::execute(
        diesel::sql_query(format!(
            "WITH gone AS (DELETE FROM learner_days WHERE user_id = '{id}' \
               RETURNING day, reviews, passed, time_ms) \
             INSERT INTO learner_days (user_id, day, shard, reviews, passed, time_ms) \
             SELECT '{id}', day, 0, sum(reviews), sum(passed), sum(time_ms) FROM gone GROUP BY day",
            id = learner.id
        )),
        &mut conn,
    )
    .await
    .expect("merged into shard 0");
    let last = cards.last().expect("a card");
    let (status, body) = app
        .undo_review(&learner, last, Some(&format!("s-{}", cards.len() - 1)))
        .await;
    assert_eq!(status, 200, "{body}");
    let after = day_shards(&app, &learner).await;
    assert_eq!(
        after.iter().map(|s| s.1).sum::<i32>() as usize,
        cards.len() - 1,
        "{after:?}"
    );
    assert_eq!(stats_goal_done(&app, &learner).await, cards.len() - 1);
}
