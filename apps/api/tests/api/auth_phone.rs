use crate::auth_password::spawn;
use lingo_test_support::TestApp;
use serde_json::{Value, json};

const PHONE: &str = "+989121234567";

async fn request_code(app: &TestApp, phone: &str) -> reqwest::Response {
    app.post_json("/api/v1/auth/phone/request", &json!({"phone": phone}))
        .await
}

async fn verify(app: &TestApp, phone: &str, code: &str) -> reqwest::Response {
    app.post_json(
        "/api/v1/auth/phone/verify",
        &json!({"phone": phone, "code": code}),
    )
    .await
}

/// The code in the last SMS the api sent to `PHONE`.
fn last_code(app: &TestApp) -> String {
    let phone = lingo_users::PhoneNumber::parse(PHONE).expect("valid");
    let text = app.sms.last_text_to(&phone).expect("an SMS was sent");
    text.split(|c: char| !c.is_ascii_digit())
        .find(|part| part.len() == 6)
        .expect("a six-digit code")
        .to_owned()
}

#[tokio::test]
async fn a_new_number_gets_an_account_and_a_known_one_signs_in() {
    let app = spawn().await;
    // Persian digits, as many learners type them.
    let response = request_code(&app, "+۹۸ ۹۱۲ ۱۲۳ ۴۵۶۷").await;
    assert_eq!(response.status(), 202);
    let session: Value = verify(&app, PHONE, &last_code(&app))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(session["created"], true);
    assert_eq!(session["user"]["phone"], PHONE);
    let first_id = session["user"]["id"].clone();

    request_code(&app, PHONE).await;
    let session: Value = verify(&app, PHONE, &last_code(&app))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(session["created"], false);
    assert_eq!(session["user"]["id"], first_id);
}

#[tokio::test]
async fn a_code_works_once() {
    let app = spawn().await;
    request_code(&app, PHONE).await;
    let code = last_code(&app);
    assert_eq!(verify(&app, PHONE, &code).await.status(), 200);
    assert_eq!(verify(&app, PHONE, &code).await.status(), 401);
}

#[tokio::test]
async fn five_wrong_codes_burn_the_code() {
    let app = spawn().await;
    request_code(&app, PHONE).await;
    let code = last_code(&app);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..5 {
        let response = verify(&app, PHONE, wrong).await;
        assert_eq!(response.status(), 401);
        let body: Value = response.json().await.expect("json");
        // No attempts-left count: it would tell a stranger that a code is pending.
        assert_eq!(body["detail"], "the code is wrong or has expired");
    }
    // Past the progressive delay of this address.
    app.advance_time(chrono::Duration::seconds(2));
    let burned = verify(&app, PHONE, &code).await;
    assert_eq!(burned.status(), 401, "the right code after five wrong ones");
}

#[tokio::test]
async fn code_requests_are_throttled_per_number() {
    let app = spawn().await;
    for _ in 0..3 {
        assert_eq!(request_code(&app, PHONE).await.status(), 202);
    }
    let throttled = request_code(&app, PHONE).await;
    assert_eq!(throttled.status(), 429);
    assert!(throttled.headers().contains_key("retry-after"));
    assert_eq!(app.sms.sent().len(), 3);
    // Another number is not affected.
    assert_eq!(request_code(&app, "+447700900123").await.status(), 202);
}

#[tokio::test]
async fn malformed_numbers_and_codes_are_422() {
    let app = spawn().await;
    assert_eq!(request_code(&app, "09121234567").await.status(), 422);
    let response = verify(&app, "+98 912", "12ab").await;
    assert_eq!(response.status(), 422);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["errors"].as_array().expect("errors").len(), 2);
    assert!(app.sms.sent().is_empty());
}
