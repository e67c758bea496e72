//! Login and refresh throughput through the whole api (HTTP, Argon2id, PostgreSQL, Redis), with
//! the stores at LINGO_* URLs. Prints figures; `just bench` runs it.

use lingo_test_support::TestApp;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

const CONCURRENCY: usize = 16;
const LOGINS: usize = 400;
const REFRESHES: usize = 4_000;

async fn run<F, Fut>(total: usize, call: F) -> (f64, Duration)
where
    F: Fn(usize) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = Duration> + Send,
{
    let started = Instant::now();
    let mut tasks = Vec::new();
    for worker in 0..CONCURRENCY {
        let call = call.clone();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut i = worker;
            while i < total {
                latencies.push(call(i).await);
                i += CONCURRENCY;
            }
            latencies
        }));
    }
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await.expect("task"));
    }
    latencies.sort();
    let p99 = latencies[latencies.len() * 99 / 100];
    (total as f64 / started.elapsed().as_secs_f64(), p99)
}

#[tokio::main]
async fn main() {
    let app = TestApp::spawn_with(&[
        ("LINGO_RATE_LIMIT_AUTH_PER_MINUTE", "1000000"),
        ("LINGO_RATE_LIMIT_LOGIN_PER_15_MINUTES", "1000000"),
        ("LINGO_RATE_LIMIT_REFRESH_PER_MINUTE", "1000000"),
        ("LINGO_RATE_LIMIT_LOGIN_FREE_ATTEMPTS", "1000000"),
        ("LINGO_HTTP_WORKERS", "2"),
        ("LINGO_LOG", "warn"),
    ])
    .await;
    let config = &app.stores.config.auth;
    println!(
        "auth throughput ({CONCURRENCY} concurrent clients; Argon2id m={} KiB, t={}, p={})",
        config.argon2_memory_kib, config.argon2_iterations, config.argon2_parallelism
    );
    // Sign-up answers 202; the emailed link signs the account in.
    let session = app.register_learner("bench@example.com").await.session;
    assert!(session["access_token"].is_string(), "{session}");

    let (client, url) = (app.client.clone(), app.url("/api/v1/auth/login"));
    let (rate, p99) = run(LOGINS, move |_| {
        let (client, url) = (client.clone(), url.clone());
        async move {
            let started = Instant::now();
            let response = client
                .post(&url)
                .json(&json!({"email": "bench@example.com", "password": "correct horse battery"}))
                .send()
                .await
                .expect("sent");
            assert_eq!(response.status(), 200);
            started.elapsed()
        }
    })
    .await;
    println!(
        "  login    {rate:>8.0} /s   p99 {:>7.1} ms   ({LOGINS} logins)",
        p99.as_secs_f64() * 1e3
    );

    // Each client refreshes its own chain of tokens (a token works once).
    let mut chains = Vec::new();
    for _ in 0..CONCURRENCY {
        let s: Value = app
            .post_json(
                "/api/v1/auth/login",
                &json!({"email": "bench@example.com", "password": "correct horse battery"}),
            )
            .await
            .json()
            .await
            .expect("session");
        chains.push(std::sync::Arc::new(tokio::sync::Mutex::new(
            s["refresh_token"].as_str().expect("token").to_owned(),
        )));
    }
    let (client, url) = (app.client.clone(), app.url("/api/v1/auth/refresh"));
    let (rate, p99) = run(REFRESHES, move |i| {
        let (client, url, chain) = (client.clone(), url.clone(), chains[i % CONCURRENCY].clone());
        async move {
            let mut token = chain.lock().await;
            let started = Instant::now();
            let s: Value = client
                .post(&url)
                .json(&json!({"refresh_token": *token}))
                .send()
                .await
                .expect("sent")
                .json()
                .await
                .expect("json");
            *token = s["refresh_token"].as_str().expect("rotated").to_owned();
            started.elapsed()
        }
    })
    .await;
    println!(
        "  refresh  {rate:>8.0} /s   p99 {:>7.1} ms   ({REFRESHES} refreshes)",
        p99.as_secs_f64() * 1e3
    );
}
