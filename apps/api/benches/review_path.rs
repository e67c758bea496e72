//! The review path under load, next to what PostgreSQL itself does for the same transaction.
//!
//! A learner with 20,000 cards and 200,000 review rows; 50 concurrent clients post reviews to the
//! api (release build, real stores) for a fixed time; then `pgbench` runs one UPDATE + one INSERT
//! per transaction on tables of the same shape in the same database, with the same concurrency.
//! Also times the study queue. Prints the figures and the ratio.

use lingo_test_support::TestApp;
use serde_json::{Value, json};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

const CARDS: i64 = 20_000;
const LOGS: i64 = 200_000;
const CLIENTS: usize = 50;
const SECONDS: u64 = 10;

async fn sql(app: &TestApp, statement: &str) {
    use diesel_async::RunQueryDsl;
    let mut conn = app.stores.stores.postgres.get().await.expect("connection");
    diesel::sql_query(statement)
        .execute(&mut conn)
        .await
        .expect(statement);
}

fn percentile(mut samples: Vec<Duration>, p: f64) -> Duration {
    samples.sort();
    samples[((samples.len() as f64 * p) as usize).min(samples.len() - 1)]
}

async fn seed(app: &TestApp) -> (String, Vec<String>) {
    // Sign-up answers 202; the emailed link signs the account in.
    let session = app.register_learner("bench@example.com").await.session;
    let token = session["access_token"].as_str().expect("token").to_owned();
    let user = session["user"]["id"].as_str().expect("id").to_owned();
    let deck: Value = app
        .client
        .post(app.url("/api/v1/decks"))
        .bearer_auth(&token)
        .json(&json!({"name": "Bench", "card_types": ["recognition"]}))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("deck");
    let deck = deck["id"].as_str().expect("id");
    sql(app, &format!(
        "INSERT INTO words (id, language, lemma, lemma_key) SELECT gen_random_uuid(), 'en', 'w' || g, 'w' || g FROM generate_series(1, {CARDS}) g"
    )).await;
    sql(app, &format!(
        "INSERT INTO cards (id, user_id, deck_id, word_id, card_type, state, stability, difficulty, due, last_review, reps, created_at) \
         SELECT gen_random_uuid(), '{user}', '{deck}', w.id, 'recognition', 'review', 12.0, 5.0, \
                now() - interval '1 day', now() - interval '10 days', 5, now() - interval '60 days' FROM words w"
    )).await;
    sql(app, &format!(
        "INSERT INTO review_logs (user_id, card_id, client_review_id, rating, reviewed_at, duration_ms, before, after) \
         SELECT '{user}', c.id, 'seed-' || g || '-' || c.id, 3, now() - interval '10 days', 3000, '{{}}', '{{}}' \
         FROM cards c CROSS JOIN generate_series(1, {}) g", LOGS / CARDS
    )).await;
    sql(app, "ANALYZE").await;
    let ids: Vec<String> = {
        use diesel_async::RunQueryDsl;
        let mut conn = app.stores.stores.postgres.get().await.expect("connection");
        diesel::sql_query("SELECT id::text AS id FROM cards")
            .load::<IdRow>(&mut conn)
            .await
            .expect("ids")
            .into_iter()
            .map(|r| r.id)
            .collect()
    };
    (token, ids)
}

#[derive(diesel::QueryableByName)]
struct IdRow {
    #[diesel(sql_type = diesel::sql_types::Text)]
    id: String,
}

async fn reviews(app: &TestApp, token: &str, cards: Arc<Vec<String>>) -> (f64, Duration, u64) {
    let deadline = Instant::now() + Duration::from_secs(SECONDS);
    let counter = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let mut tasks = Vec::new();
    let started = Instant::now();
    for client in 0..CLIENTS {
        let (http, url, token, cards) = (
            app.client.clone(),
            app.url("/api/v1/reviews"),
            token.to_owned(),
            cards.clone(),
        );
        let (counter, errors) = (counter.clone(), errors.clone());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut i = client;
            while Instant::now() < deadline {
                let n = counter.fetch_add(1, Ordering::Relaxed);
                let card = &cards[(n as usize * 7919 + i) % cards.len()];
                let t = Instant::now();
                let response = http
                    .post(&url)
                    .bearer_auth(&token)
                    .json(&json!({"card_id": card, "rating": 3, "reviewed_at": chrono::Utc::now(),
                                  "duration_ms": 2000, "client_review_id": format!("b-{client}-{i}")}))
                    .send()
                    .await;
                if !response.is_ok_and(|r| r.status() == 200) {
                    errors.fetch_add(1, Ordering::Relaxed);
                }
                latencies.push(t.elapsed());
                i += CLIENTS;
            }
            latencies
        }));
    }
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await.expect("client"));
    }
    let rate = latencies.len() as f64 / started.elapsed().as_secs_f64();
    (
        rate,
        percentile(latencies, 0.99),
        errors.load(Ordering::Relaxed),
    )
}

async fn queue_p99(app: &TestApp, token: &str) -> Duration {
    let mut samples = Vec::new();
    for _ in 0..100 {
        let t = Instant::now();
        let response = app.get_as("/api/v1/study/queue?limit=20", token).await;
        assert_eq!(response.status(), 200);
        samples.push(t.elapsed());
    }
    percentile(samples, 0.99)
}

async fn pgbench(app: &TestApp) -> Option<f64> {
    sql(app, "CREATE TABLE bench_cards (LIKE cards INCLUDING ALL)").await;
    sql(app, "INSERT INTO bench_cards SELECT * FROM cards").await;
    sql(
        app,
        "CREATE TABLE bench_logs (LIKE review_logs INCLUDING ALL)",
    )
    .await;
    sql(app, "ALTER TABLE bench_cards ADD COLUMN n SERIAL UNIQUE").await;
    sql(app, "ANALYZE").await;
    let script = std::env::temp_dir().join(format!("lingo-review-{}.sql", std::process::id()));
    std::fs::write(
        &script,
        format!(
            "\\set n random(1, {CARDS})\n\
             BEGIN;\n\
             UPDATE bench_cards SET state = 'review', stability = stability * 1.1, difficulty = 5.0, due = now() + interval '9 days', last_review = now(), reps = reps + 1, version = version + 1 WHERE n = :n;\n\
             INSERT INTO bench_logs (user_id, card_id, client_review_id, rating, reviewed_at, duration_ms, before, after) SELECT user_id, id, 'pg-' || :client_id || '-' || random(), 3, now(), 2000, '{{\"state\":\"review\"}}', '{{\"state\":\"review\"}}' FROM bench_cards WHERE n = :n;\n\
             END;\n"
        ),
    )
    .ok()?;
    let output = Command::new("pgbench")
        .args([
            "-n",
            "-c",
            &CLIENTS.to_string(),
            "-j",
            "2",
            "-T",
            &SECONDS.to_string(),
            "-f",
        ])
        .arg(&script)
        .arg(&app.stores.config.database.url)
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    text.lines()
        .find(|l| l.starts_with("tps"))
        .and_then(|l| l.split_whitespace().nth(2))
        .and_then(|v| v.parse().ok())
}

#[tokio::main]
async fn main() {
    let app = TestApp::spawn_with(&[
        ("LINGO_RATE_LIMIT_AUTH_PER_MINUTE", "1000000"),
        ("LINGO_DATABASE_POOL_SIZE", "32"),
        ("LINGO_HTTP_WORKERS", "2"),
        ("LINGO_LOG", "warn"),
    ])
    .await;
    let (token, cards) = seed(&app).await;
    println!("review path ({CARDS} cards, {LOGS} review rows, {CLIENTS} clients, {SECONDS} s)");
    let (rate, p99, errors) = reviews(&app, &token, Arc::new(cards)).await;
    println!(
        "  POST /api/v1/reviews   {rate:>8.0} reviews/s   p99 {:>6.1} ms   errors {errors}",
        p99.as_secs_f64() * 1e3
    );
    let queue = queue_p99(&app, &token).await;
    println!(
        "  GET /api/v1/study/queue p99 {:>6.1} ms (sequential, limit 20)",
        queue.as_secs_f64() * 1e3
    );
    match pgbench(&app).await {
        Some(tps) => println!(
            "  pgbench UPDATE+INSERT  {tps:>8.0} tps        → the api reaches {:.0}% of PostgreSQL's own rate",
            rate / tps * 100.0
        ),
        None => println!("  pgbench not available: install postgresql-client to compare"),
    }
}
