//! Per-learner FSRS parameters against a real PostgreSQL: the review log in, a new parameter
//! version out only when it fits better, and never twice for the same history.

mod simulate;

use chrono::{DateTime, Duration, Utc};
use diesel::sql_types::{Array, Int2, Timestamptz, Uuid as SqlUuid};
use diesel_async::RunQueryDsl;
use lingo_kernel::UserId;
use lingo_kernel::jobs::{JobQueue, JobStatus, NewJob};
use lingo_learning::optimise::{
    MIN_REVIEWS, OptimiseAllFsrs, OptimiseOutcome, OptimiseService, optimise_job_id,
};
use lingo_learning::ports::{HistoryReview, ParameterStore, ReviewHistory};
use lingo_postgres::{PgFsrsParameters, PgPool};
use lingo_test_support::{TestStores, eventually};
use std::sync::Arc;
use uuid::Uuid;

/// A learner with one deck and a card per history, and the histories as review-log rows.
async fn learner_with(pool: &PgPool, histories: &[Vec<HistoryReview>]) -> UserId {
    let user = Uuid::new_v4();
    let deck = Uuid::new_v4();
    let cards: Vec<Uuid> = histories.iter().map(|_| Uuid::new_v4()).collect();
    let mut conn = pool.get().await.expect("connection");
    let statements = [
        "INSERT INTO users (id, display_name, profile, created_at, updated_at) \
         VALUES ($1, 'Optimiser', '{}', now(), now())",
        "INSERT INTO decks (id, owner_id, name, created_at, updated_at) \
         VALUES ($2, $1, 'Deck', now(), now())",
        "INSERT INTO words (id, language, lemma, lemma_key) \
         SELECT c, 'en', c::text, c::text FROM unnest($3) c",
        "INSERT INTO cards (id, user_id, deck_id, word_id, card_type, state, due, created_at) \
         SELECT c, $1, $2, c, 'recall', 'review', now(), now() FROM unnest($3) c",
    ];
    for statement in statements {
        diesel::sql_query(statement)
            .bind::<SqlUuid, _>(user)
            .bind::<SqlUuid, _>(deck)
            .bind::<Array<SqlUuid>, _>(&cards)
            .execute(&mut conn)
            .await
            .expect(statement);
    }
    let mut card_ids = Vec::new();
    let mut ratings = Vec::new();
    let mut times = Vec::new();
    for (card, history) in cards.iter().zip(histories) {
        for review in history {
            card_ids.push(*card);
            ratings.push(i16::from(review.rating));
            times.push(review.reviewed_at);
        }
    }
    diesel::sql_query(
        "INSERT INTO review_logs (user_id, card_id, client_review_id, rating, reviewed_at, \
         before, after) SELECT $1, c, 'r' || n, r, t, '{}', '{}' \
         FROM unnest($2, $3, $4) WITH ORDINALITY AS x(c, r, t, n)",
    )
    .bind::<SqlUuid, _>(user)
    .bind::<Array<SqlUuid>, _>(&card_ids)
    .bind::<Array<Int2>, _>(&ratings)
    .bind::<Array<Timestamptz>, _>(&times)
    .execute(&mut conn)
    .await
    .expect("review logs");
    UserId::from_uuid(user)
}

async fn versions(pool: &PgPool, user: UserId) -> i64 {
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let mut conn = pool.get().await.expect("connection");
    diesel::sql_query("SELECT count(*) AS n FROM fsrs_parameters WHERE user_id = $1")
        .bind::<SqlUuid, _>(user.as_uuid())
        .get_result::<Count>(&mut conn)
        .await
        .expect("count")
        .n
}

fn use_case(store: &PgFsrsParameters) -> OptimiseService {
    OptimiseService::new(Arc::new(store.clone()), Arc::new(store.clone()))
}

#[tokio::test]
async fn a_better_fit_is_adopted_once_and_a_rerun_keeps_it() {
    let test = TestStores::new(&[]).await;
    let pool = &test.stores.postgres;
    let store = PgFsrsParameters::new(pool.clone());
    let user = learner_with(pool, &simulate::histories(50, 15, 42)).await;

    let first = use_case(&store).run(user).await.expect("first run");
    println!("first run: {first:?}");
    match first {
        OptimiseOutcome::Adopted {
            version,
            old_loss,
            new_loss,
        } => {
            assert_eq!(version, 1);
            assert!(new_loss < old_loss, "adopted a worse fit: {first:?}");
            let current = store.current(user).await.expect("current").expect("saved");
            assert_eq!(current.version, 1);
            assert_eq!(current.parameters.len(), 21);
            assert_eq!(versions(pool, user).await, 1);
        }
        OptimiseOutcome::Kept {
            version,
            old_loss,
            new_loss,
        } => {
            assert_eq!(version, 0);
            assert!(new_loss >= old_loss, "kept a worse fit: {first:?}");
            assert_eq!(versions(pool, user).await, 0);
        }
        other => panic!("750 reviews are enough, got {other:?}"),
    }

    let second = use_case(&store).run(user).await.expect("second run");
    println!("second run: {second:?}");
    assert!(matches!(second, OptimiseOutcome::Kept { .. }), "{second:?}");
    assert_eq!(
        versions(pool, user).await,
        i64::from(matches!(first, OptimiseOutcome::Adopted { .. }))
    );
}

#[tokio::test]
async fn saving_the_latest_set_again_returns_its_version() {
    let test = TestStores::new(&[]).await;
    let store = PgFsrsParameters::new(test.stores.postgres.clone());
    let user = learner_with(&test.stores.postgres, &[]).await;
    let parameters = lingo_learning::scheduler::DEFAULT_PARAMETERS;
    assert_eq!(store.save(user, &parameters, Some(0.3), 500).await, Ok(1));
    assert_eq!(store.save(user, &parameters, Some(0.3), 500).await, Ok(1));
    assert_eq!(store.save(user, &parameters, Some(0.3), 501).await, Ok(2));
}

#[tokio::test]
async fn concurrent_saves_get_consecutive_versions() {
    let test = TestStores::new(&[]).await;
    let store = PgFsrsParameters::new(test.stores.postgres.clone());
    let user = learner_with(&test.stores.postgres, &[]).await;
    let saves = (0..6).map(|n| {
        let store = store.clone();
        let mut parameters = lingo_learning::scheduler::DEFAULT_PARAMETERS;
        parameters[0] += f64::from(n) / 100.0;
        async move { store.save(user, &parameters, None, 400 + n).await }
    });
    let mut versions: Vec<i32> = futures_util::future::join_all(saves)
        .await
        .into_iter()
        .map(|saved| saved.expect("saved"))
        .collect();
    versions.sort_unstable();
    assert_eq!(versions, [1, 2, 3, 4, 5, 6]);
}

#[tokio::test]
async fn too_few_reviews_leave_the_defaults() {
    let test = TestStores::new(&[]).await;
    let store = PgFsrsParameters::new(test.stores.postgres.clone());
    let user = learner_with(&test.stores.postgres, &simulate::histories(10, 5, 1)).await;
    const { assert!(50 < MIN_REVIEWS) };
    let outcome = use_case(&store).run(user).await.expect("run");
    assert_eq!(outcome, OptimiseOutcome::NotEnoughReviews { reviews: 50 });
    assert_eq!(versions(&test.stores.postgres, user).await, 0);
}

#[tokio::test]
async fn the_history_is_per_card_oldest_first_without_undone_reviews() {
    let test = TestStores::new(&[]).await;
    let pool = &test.stores.postgres;
    let store = PgFsrsParameters::new(pool.clone());
    let histories = simulate::histories(3, 4, 9);
    let user = learner_with(pool, &histories).await;
    let mut conn = pool.get().await.expect("connection");
    diesel::sql_query("UPDATE review_logs SET undone = true WHERE client_review_id = 'r1'")
        .execute(&mut conn)
        .await
        .expect("undo");
    let mut loaded = store.card_histories(user).await.expect("histories");
    let mut expected = histories;
    expected[0].remove(0);
    let key = |h: &Vec<HistoryReview>| h.iter().next().map(|r| r.reviewed_at);
    loaded.sort_by_key(key);
    expected.sort_by_key(key);
    assert_eq!(loaded, expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_nightly_fan_out_optimises_each_recent_learner_once() {
    let test = TestStores::new(&[]).await;
    let pool = &test.stores.postgres;
    let now = Utc::now();
    let recent: DateTime<Utc> = now - Duration::hours(1);
    let active = learner_with(
        pool,
        &[vec![HistoryReview {
            reviewed_at: recent,
            rating: 3,
        }]],
    )
    .await;
    let idle = learner_with(pool, &simulate::histories(2, 3, 5)).await;
    let store = PgFsrsParameters::new(pool.clone());
    let learners = store
        .active_learners(now - Duration::hours(24))
        .await
        .expect("learners");
    assert_eq!(learners, [active]);
    assert!(!learners.contains(&idle));

    let deps = lingo_worker::jobs::JobDeps::new(&test.stores, std::time::Duration::from_secs(60));
    let registry = lingo_worker::jobs::registry(deps);
    let worker = lingo_worker::Worker::new(
        Arc::new(test.stores.queue.clone()),
        registry,
        lingo_worker::WorkerSettings {
            name: "optimise-test".into(),
            concurrency: 2,
            retry: lingo_kernel::jobs::RetryPolicy::default(),
            retry_window: std::time::Duration::ZERO,
            poll_block: std::time::Duration::from_millis(200),
            heartbeat_every: std::time::Duration::from_millis(200),
            shutdown_grace: std::time::Duration::from_secs(2),
        },
    );
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(worker.run(async move {
        let _ = stopped.await;
    }));
    let queue = &test.stores.queue;
    for _ in 0..2 {
        let fan_out = NewJob::of(&OptimiseAllFsrs {}).expect("job");
        let id = fan_out.id;
        queue.enqueue(fan_out).await.expect("enqueue");
        let done = wait_for(queue, id).await;
        assert_eq!(done.status, JobStatus::Succeeded, "{done:?}");
    }
    let optimised = wait_for(queue, optimise_job_id(active, now.date_naive())).await;
    assert_eq!(optimised.status, JobStatus::Succeeded, "{optimised:?}");
    assert_eq!(
        optimised.result,
        Some(serde_json::json!({"outcome": "not_enough_reviews", "reviews": 1}))
    );
    let _ = stop.send(());
    task.await.expect("worker");
}

async fn wait_for(
    queue: &lingo_redis::RedisJobQueue,
    id: lingo_kernel::jobs::JobId,
) -> lingo_kernel::jobs::JobRecord {
    eventually(&format!("job {id} finished"), || async {
        let record = queue.status(id).await.expect("status");
        record.filter(|r| r.status.is_final())
    })
    .await
}
