//! Learner content through the api and the worker: the extractive generator on imported
//! dictionary data, sharing per language pair and band, one generation for concurrent requests,
//! the daily quota, admin regeneration, and the OpenAI-compatible generator against a local
//! double (an invalid answer repaired, usage accounted).

use crate::admin_jobs::{RunningWorker, start_worker, start_worker_with};
use lingo_http::testing::{HttpDouble, Reply, Route};
use lingo_kernel::UserId;
use lingo_test_support::{TestApp, dictfiles, eventually, json_of};
use lingo_users::Role;
use serde_json::json;
use std::time::Duration;

async fn spawn(extra: &[(&str, &str)]) -> TestApp {
    let roots = dictfiles("");
    let mut vars = vec![("LINGO_IMPORT_ROOTS", roots.as_str())];
    vars.extend_from_slice(extra);
    TestApp::spawn_with(&vars).await
}

/// Imports the WordNet and dictd fixtures and returns the id of the noun "bank".
async fn import_bank(app: &TestApp) -> String {
    let worker = start_worker(app);
    let admin = app.token(UserId::new(), Role::Admin).await;
    for body in [
        json!({"format": "wordnet", "path": dictfiles("wordnet"), "source": "wordnet-3.0", "licence": "WordNet-3.0", "language": "en"}),
        json!({"format": "dictd", "path": dictfiles("dictd/tiny-eng-ara.index"), "source": "tiny-eng-ara", "licence": "CC0", "language": "en", "translation_language": "ar"}),
    ] {
        app.import_dictionary(&admin, body).await;
    }
    worker.stop().await;
    let (_, bank) = json_of(app.get("/api/v1/dictionary/en/words/bank").await).await;
    bank["words"]
        .as_array()
        .expect("words")
        .iter()
        .find(|w| w["part_of_speech"] == "noun")
        .expect("noun")["id"]
        .as_str()
        .expect("id")
        .to_owned()
}

async fn learner(app: &TestApp, email: &str) -> String {
    app.register_learner(email).await.token
}

#[tokio::test]
async fn extractive_content_is_generated_once_and_shared_per_language_pair_and_band() {
    let app = spawn(&[]).await;
    let bank = import_bank(&app).await;
    let sara = learner(&app, "sara@example.org").await;
    let omar = learner(&app, "omar@example.org").await;
    // Concurrent first requests: all pending on one generation.
    let requests = (0..5).map(|_| app.word_content(&sara, &bank, "?native=ar&level=B1"));
    let answers = futures_util::future::join_all(requests).await;
    let jobs: std::collections::BTreeSet<String> = answers
        .iter()
        .map(|(status, body)| {
            assert_eq!(*status, 202, "{body}");
            body["job_id"].as_str().expect("job").to_owned()
        })
        .collect();
    assert_eq!(jobs.len(), 1, "one generation for concurrent requests");
    let worker = start_worker(&app);
    let ready = app
        .wait_for_content(&sara, &bank, "?native=ar&level=B1")
        .await;
    assert_eq!(ready["version"], 1);
    assert_eq!(ready["provenance"]["generator"], "extractive");
    assert_eq!(ready["provenance"]["prompt_version"], "extractive/v1");
    let sense = &ready["content"]["senses"][0];
    assert!(
        sense["definition"].as_str().expect("definition").len() > 5,
        "{ready}"
    );
    assert!(
        sense["translation"]
            .as_str()
            .expect("translation")
            .contains("بنك"),
        "{ready}"
    );
    assert!(
        ready["content"]["examples"]
            .as_array()
            .expect("examples")
            .len()
            >= 2
    );
    // Another learner, same pair, another level of the same band: served at once.
    let (status, shared) = app.word_content(&omar, &bank, "?native=ar&level=B2").await;
    assert_eq!(status, 200);
    assert_eq!(
        shared["provenance"]["created_at"],
        ready["provenance"]["created_at"]
    );
    // Another band is another generation.
    let (status, _) = app.word_content(&omar, &bank, "?native=ar&level=C1").await;
    assert_eq!(status, 202);
    // The profile's native language (fa) is the default.
    let (status, _) = app.word_content(&sara, &bank, "").await;
    assert_eq!(status, 202);
    worker.stop().await;

    let (status, _) = app
        .word_content(&sara, &uuid::Uuid::now_v7().to_string(), "?native=ar")
        .await;
    assert_eq!(status, 404);
    let (status, _) = app.word_content(&sara, &bank, "?native=ar&level=Z9").await;
    assert_eq!(status, 422);
}

#[tokio::test]
async fn the_daily_generation_quota_answers_429() {
    let app = spawn(&[("LINGO_CONTENT_DAILY_QUOTA", "1")]).await;
    let bank = import_bank(&app).await;
    let sara = learner(&app, "sara@example.org").await;
    assert_eq!(
        app.word_content(&sara, &bank, "?native=ar&level=A1")
            .await
            .0,
        202
    );
    // Following the same generation is free.
    assert_eq!(
        app.word_content(&sara, &bank, "?native=ar&level=A2")
            .await
            .0,
        202
    );
    let response = app
        .get_as(
            &format!("/api/v1/words/{bank}/content?native=ar&level=C2"),
            &sara,
        )
        .await;
    assert_eq!(response.status(), 429);
    assert!(response.headers().contains_key("retry-after"));
}

/// A local OpenAI-compatible server: the first answer breaks the schema, the next ones are
/// valid; or every answer a refusal.
async fn chat_double(refuse: bool) -> HttpDouble {
    let script = if refuse {
        vec![json_reply(include_str!(
            "fixtures/chat_completion_refusal.json"
        ))]
    } else {
        vec![
            json_reply(include_str!("fixtures/chat_completion_bank_invalid.json")),
            json_reply(include_str!("fixtures/chat_completion_bank.json")),
        ]
    };
    HttpDouble::routes(vec![Route::post("/v1/chat/completions").replies(script)]).await
}

/// A worker whose content jobs use the OpenAI-compatible generator at `url`.
fn start_llm_worker(app: &TestApp, url: String, api_key: Option<&str>) -> RunningWorker {
    let mut config = app.stores.config.content.clone();
    config.llm_base_url = Some(url);
    if let Some(key) = api_key {
        config.llm_api_key = Some(key.to_owned());
    }
    let service =
        lingo_bootstrap::services::content_service(&config, &app.stores.stores).expect("service");
    let mut deps = lingo_worker::jobs::JobDeps::new(&app.stores.stores, Duration::from_secs(3600))
        .with_content(service);
    deps.import = app.services.job_deps.import.clone();
    start_worker_with(app, deps)
}

fn json_reply(body: &str) -> Reply {
    Reply::json(200, body)
}

#[tokio::test]
async fn the_openai_compatible_generator_is_repaired_once_and_its_usage_accounted() {
    let double = chat_double(false).await;
    let url = double.url("/v1");
    let app = spawn(&[
        ("LINGO_LLM_PRICE_PROMPT_PER_MTOK", "0.15"),
        ("LINGO_LLM_PRICE_COMPLETION_PER_MTOK", "0.60"),
    ])
    .await;
    let bank = import_bank(&app).await;
    let worker = start_llm_worker(&app, url, Some("sk-test"));
    let sara = learner(&app, "sara@example.org").await;
    assert_eq!(
        app.word_content(&sara, &bank, "?native=fa&level=B1")
            .await
            .0,
        202
    );
    let ready = app
        .wait_for_content(&sara, &bank, "?native=fa&level=B1")
        .await;
    assert_eq!(ready["provenance"]["generator"], "openai-compatible");
    assert_eq!(ready["provenance"]["prompt_version"], "learner_content/v1");
    assert_eq!(ready["provenance"]["repaired"], true);
    assert_eq!(ready["provenance"]["usage"]["prompt_tokens"], 800);
    assert_eq!(ready["content"]["senses"][0]["translation"], "بانک");
    assert_eq!(double.request_count(), 2);

    // Admins regenerate (a new version) and read the costs; learners may not.
    let admin = app.token(UserId::new(), Role::Admin).await;
    let regenerate = format!("/api/v1/admin/words/{bank}/content/regenerate?native=fa&level=B1");
    let (forbidden, _) = app.post_with(&sara, &regenerate, json!({})).await;
    assert_eq!(forbidden, 403);
    let (status, accepted) = app.post_with(&admin, &regenerate, json!({})).await;
    assert_eq!(status, 202, "{accepted}");
    let version = eventually("the regenerated version", || async {
        let (_, ready) = app.word_content(&sara, &bank, "?native=fa&level=B1").await;
        ready["version"].as_u64().filter(|version| *version == 2)
    })
    .await;
    assert_eq!(version, 2);
    worker.stop().await;
    let (status, usage) = json_of(app.get_as("/api/v1/admin/content/usage", &admin).await).await;
    assert_eq!(status, 200, "{usage}");
    let row = usage["items"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["generator"] == "openai-compatible")
        .expect("row")
        .clone();
    assert_eq!(row["model"], "gpt-4o-mini-2024-07-18");
    assert_eq!(row["requests"], 3);
    assert_eq!(row["prompt_tokens"], 1200);
    let cost = row["cost"].as_f64().expect("cost");
    assert!(
        (cost - (1200.0 * 0.15 + 600.0 * 0.60) / 1e6).abs() < 1e-12,
        "{cost}"
    );
}

#[tokio::test]
async fn a_refused_generation_fails_and_is_tried_again_after_a_cool_down() {
    let double = chat_double(true).await;
    let url = double.url("/v1");
    let app = spawn(&[]).await;
    let bank = import_bank(&app).await;
    let worker = start_llm_worker(&app, url, None);
    let sara = learner(&app, "sara@example.org").await;
    assert_eq!(
        app.word_content(&sara, &bank, "?native=fa&level=B1")
            .await
            .0,
        202
    );
    let last = eventually("the generation ended", || async {
        let answer = app.word_content(&sara, &bank, "?native=fa&level=B1").await;
        (answer.0 != 202).then_some(answer)
    })
    .await;
    assert_eq!(last.0, 503, "{}", last.1);
    let detail = last.1["detail"].as_str().expect("detail");
    assert!(detail.contains("tried again"), "{}", last.1);
    assert!(
        !detail.contains("refus"),
        "the generator's answer stays in the logs"
    );
    assert_eq!(
        double.request_count(),
        1,
        "a refusal is not retried at once"
    );

    // The word is not poisoned: after the cool-down the next request tries again.
    app.advance_time(chrono::Duration::minutes(11));
    assert_eq!(
        app.word_content(&sara, &bank, "?native=fa&level=B1")
            .await
            .0,
        202
    );
    eventually("the generator was asked again", || async {
        (double.request_count() == 2).then_some(())
    })
    .await;
    worker.stop().await;
}

#[tokio::test]
async fn past_the_global_daily_budget_no_model_is_called_and_extractive_content_is_served() {
    let double = chat_double(false).await;
    let url = double.url("/v1");
    // Room for exactly one call at the estimated cost, across every learner.
    let app = spawn(&[
        ("LINGO_CONTENT_DAILY_BUDGET_USD", "0.002"),
        ("LINGO_CONTENT_GENERATION_ESTIMATE_USD", "0.002"),
    ])
    .await;
    let bank = import_bank(&app).await;
    let worker = start_llm_worker(&app, url, Some("sk-test"));
    let sara = learner(&app, "sara@example.org").await;
    let omar = learner(&app, "omar@example.org").await;
    app.word_content(&sara, &bank, "?native=ar&level=B1").await;
    let first = app
        .wait_for_content(&sara, &bank, "?native=ar&level=B1")
        .await;
    // The model's first answer needed a repair; the repair found the budget spent.
    assert_eq!(double.request_count(), 1);
    assert_eq!(first["provenance"]["generator"], "extractive");
    // Another learner, another band: no model call at all, still content.
    app.word_content(&omar, &bank, "?native=ar&level=C1").await;
    let second = app
        .wait_for_content(&omar, &bank, "?native=ar&level=C1")
        .await;
    assert_eq!(second["provenance"]["generator"], "extractive");
    assert_eq!(double.request_count(), 1);
    worker.stop().await;
}
