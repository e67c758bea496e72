//! Google sign-in against a local JWKS server and tokens signed by a test key.

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use lingo_http::testing::{HttpDouble, Reply, Route};
use lingo_test_support::TestApp;
use serde_json::{Value, json};

const JWKS: &str = include_str!("../../../../adapters/google/tests/fixtures/jwks.json");
const KEY_A: &str = include_str!("../../../../adapters/google/tests/fixtures/signing_key_a.pem");
const CLIENT_ID: &str = "lingo-test.apps.googleusercontent.com";

/// Serves the test JWKS to every request.
async fn jwks_server() -> String {
    let double =
        HttpDouble::routes(vec![Route::get("/certs").reply(
            Reply::json(200, JWKS).with_header("cache-control", "max-age=3600"),
        )])
        .await;
    // The double serves until the test's runtime ends; the app only needs its URL.
    double.url("/certs")
}

async fn spawn() -> TestApp {
    let jwks = jwks_server().await;
    TestApp::spawn_with(&[
        ("LINGO_GOOGLE_CLIENT_IDS", CLIENT_ID),
        ("LINGO_GOOGLE_JWKS_URL", &jwks),
        ("LINGO_RATE_LIMIT_AUTH_PER_MINUTE", "1000"),
    ])
    .await
}

fn id_token(subject: &str, email: &str, audience: &str) -> String {
    let now = chrono::Utc::now().timestamp();
    let claims = json!({
        "iss": "https://accounts.google.com", "aud": audience, "sub": subject,
        "email": email, "email_verified": true, "name": "Sara Ahmadi",
        "iat": now, "exp": now + 3600,
    });
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some("test-key-a".into());
    jsonwebtoken::encode(
        &header,
        &claims,
        &EncodingKey::from_rsa_pem(KEY_A.as_bytes()).expect("key"),
    )
    .expect("signed")
}

async fn google(app: &TestApp, token: &str) -> reqwest::Response {
    app.post_json("/api/v1/auth/google", &json!({"id_token": token}))
        .await
}

#[tokio::test]
async fn a_new_google_user_gets_an_account_and_comes_back_to_it() {
    let app = spawn().await;
    let token = id_token("g-123", "sara@gmail.com", CLIENT_ID);
    let first: Value = google(&app, &token).await.json().await.expect("json");
    assert_eq!(first["created"], true);
    assert_eq!(first["user"]["email"], "sara@gmail.com");
    assert_eq!(first["user"]["display_name"], "Sara Ahmadi");
    let again: Value = google(&app, &token).await.json().await.expect("json");
    assert_eq!(again["created"], false);
    assert_eq!(again["user"]["id"], first["user"]["id"]);
}

#[tokio::test]
async fn a_verified_google_email_links_to_the_existing_account() {
    let app = spawn().await;
    let existing = app.register_learner("sara@gmail.com").await.session;
    let session: Value = google(&app, &id_token("g-456", "Sara@Gmail.com", CLIENT_ID))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(session["created"], false);
    assert_eq!(session["user"]["id"], existing["user"]["id"]);
}

#[tokio::test]
async fn a_token_for_another_app_or_garbage_is_401() {
    let app = spawn().await;
    let foreign = google(&app, &id_token("g-789", "x@gmail.com", "someone-else")).await;
    assert_eq!(foreign.status(), 401);
    assert_eq!(google(&app, "not.a.token").await.status(), 401);
}
