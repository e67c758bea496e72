//! `Idempotency-Key`: a retried POST replays the first response instead of acting twice.

use lingo_kernel::UserId;
use lingo_test_support::{TestApp, json_of};
use lingo_users::Role;
use serde_json::{Value, json};

async fn create_deck(
    app: &TestApp,
    token: &str,
    key: Option<&str>,
    body: &Value,
) -> reqwest::Response {
    let mut request = app
        .client
        .post(app.url("/api/v1/decks"))
        .bearer_auth(token)
        .json(body);
    if let Some(key) = key {
        request = request.header("idempotency-key", key);
    }
    request.send().await.expect("sent")
}

async fn deck_count(app: &TestApp, token: &str) -> usize {
    let (_, decks) = json_of(app.get_as("/api/v1/decks", token).await).await;
    decks["items"].as_array().expect("a list").len()
}

#[tokio::test]
async fn a_retry_with_the_same_key_replays_the_first_deck() {
    let app = TestApp::spawn().await;
    let token = app.token(UserId::new(), Role::Learner).await;
    let body = json!({"name": "Travel"});
    let first = create_deck(&app, &token, Some("k-1"), &body).await;
    assert_eq!(first.status(), 201);
    assert!(first.headers().get("idempotent-replayed").is_none());
    let (_, first) = json_of(first).await;
    let retry = create_deck(&app, &token, Some("k-1"), &body).await;
    assert_eq!(retry.status(), 201);
    assert_eq!(retry.headers()["idempotent-replayed"], "true");
    assert_eq!(retry.headers()["content-type"], "application/json");
    let (_, retry) = json_of(retry).await;
    assert_eq!(retry, first);
    assert_eq!(deck_count(&app, &token).await, 1);
    // Without a key, or with another, it is a new request.
    assert_eq!(
        create_deck(&app, &token, Some("k-2"), &body).await.status(),
        201
    );
    assert_eq!(create_deck(&app, &token, None, &body).await.status(), 201);
    assert_eq!(deck_count(&app, &token).await, 3);
}

#[tokio::test]
async fn the_same_key_with_another_body_is_a_422_and_creates_nothing() {
    let app = TestApp::spawn().await;
    let token = app.token(UserId::new(), Role::Learner).await;
    create_deck(&app, &token, Some("k"), &json!({"name": "One"})).await;
    let (status, problem) =
        json_of(create_deck(&app, &token, Some("k"), &json!({"name": "Two"})).await).await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(problem["type"], "urn:lingo:problem:idempotency-key-reused");
    assert_eq!(deck_count(&app, &token).await, 1);
}

#[tokio::test]
async fn keys_are_per_caller() {
    let app = TestApp::spawn().await;
    let sara = app.token(UserId::new(), Role::Learner).await;
    let omid = app.token(UserId::new(), Role::Learner).await;
    let body = json!({"name": "Shared key"});
    create_deck(&app, &sara, Some("same"), &body).await;
    let other = create_deck(&app, &omid, Some("same"), &body).await;
    assert_eq!(other.status(), 201);
    assert!(other.headers().get("idempotent-replayed").is_none());
    assert_eq!(deck_count(&app, &omid).await, 1);
}

#[tokio::test]
async fn concurrent_duplicates_create_one_deck() {
    let app = TestApp::spawn().await;
    let token = app.token(UserId::new(), Role::Learner).await;
    let body = json!({"name": "Raced"});
    let attempts = (0..6).map(|_| create_deck(&app, &token, Some("race"), &body));
    let statuses: Vec<u16> = futures_util::future::join_all(attempts)
        .await
        .iter()
        .map(|r| r.status().as_u16())
        .collect();
    assert!(
        statuses.iter().all(|s| *s == 201 || *s == 409),
        "{statuses:?}"
    );
    assert!(statuses.contains(&201), "{statuses:?}");
    assert_eq!(deck_count(&app, &token).await, 1);
}

#[tokio::test]
async fn a_phone_code_request_is_sent_once_for_a_retried_key() {
    let app = TestApp::spawn().await;
    let send = || {
        app.client
            .post(app.url("/api/v1/auth/phone/request"))
            .header("idempotency-key", "sms-1")
            .json(&json!({"phone": "+989121234567"}))
            .send()
    };
    let first = send().await.expect("sent");
    assert_eq!(first.status(), 202);
    let retry = send().await.expect("sent");
    assert_eq!(retry.status(), 202);
    assert_eq!(retry.headers()["idempotent-replayed"], "true");
    assert_eq!(app.sms.sent().len(), 1);
}

#[tokio::test]
async fn an_invalid_key_is_a_400() {
    let app = TestApp::spawn().await;
    let token = app.token(UserId::new(), Role::Learner).await;
    let long = "k".repeat(256);
    let (status, problem) =
        json_of(create_deck(&app, &token, Some(&long), &json!({"name": "X"})).await).await;
    assert_eq!(status, 400, "{problem}");
    assert_eq!(problem["type"], "urn:lingo:problem:idempotency-key-invalid");
    assert_eq!(deck_count(&app, &token).await, 0);
}
