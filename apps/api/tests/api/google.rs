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

async fn link(app: &TestApp, access_token: &str, token: &str) -> (u16, Value) {
    app.post_with(
        access_token,
        "/api/v1/me/identities/google",
        json!({"id_token": token}),
    )
    .await
}

#[tokio::test]
async fn a_preregistered_unverified_address_never_hands_the_google_user_to_the_attacker() {
    let app = spawn().await;
    // The attacker signs up with the victim's address and a password of their own.
    app.register("victim@gmail.com", "the attacker's password")
        .await;
    let victim = id_token("g-victim", "victim@gmail.com", CLIENT_ID);

    let (status, problem) = lingo_test_support::json_of(google(&app, &victim).await).await;
    assert_eq!(status, 409, "{problem}");
    assert_eq!(problem["type"], "urn:lingo:problem:account-link-required");
    assert!(problem.get("access_token").is_none());
    // Not linked: asking again is refused the same way, and the attacker still cannot sign in.
    assert_eq!(google(&app, &victim).await.status(), 409);
    assert_eq!(
        app.login("victim@gmail.com", "the attacker's password")
            .await
            .status(),
        401
    );

    // The victim proves the address with a reset, which ends the attacker's hold on it; Google
    // then links to the now verified account.
    app.post_json(
        "/api/v1/auth/password/forgot",
        &json!({"email": "victim@gmail.com"}),
    )
    .await;
    let token = app.emailed_token("victim@gmail.com");
    let reset = app
        .post_json(
            "/api/v1/auth/password/reset",
            &json!({"token": token, "password": "the victim's password"}),
        )
        .await;
    assert_eq!(reset.status(), 204);
    let (status, session) = lingo_test_support::json_of(google(&app, &victim).await).await;
    assert_eq!(status, 200, "{session}");
    assert_eq!(session["user"]["email"], "victim@gmail.com");
    assert_eq!(
        app.login("victim@gmail.com", "the attacker's password")
            .await
            .status(),
        401
    );
}

#[tokio::test]
async fn a_signed_in_learner_links_google_explicitly_and_signs_in_with_it_afterwards() {
    let app = spawn().await;
    let learner = app.register_learner("sara@example.com").await;
    let token = id_token("g-sara", "sara.other@gmail.com", CLIENT_ID);

    assert_eq!(link(&app, &learner.token, &token).await.0, 204);
    assert_eq!(
        link(&app, &learner.token, &token).await.0,
        204,
        "again: a no-op"
    );

    let session: Value = google(&app, &token).await.json().await.expect("json");
    assert_eq!(session["created"], false);
    assert_eq!(session["user"]["id"], learner.session["user"]["id"]);
    assert_eq!(link(&app, &learner.token, "not.a.token").await.0, 401);
}

#[tokio::test]
async fn a_google_identity_linked_to_another_account_is_not_linked_again() {
    let app = spawn().await;
    let token = id_token("g-owner", "owner@gmail.com", CLIENT_ID);
    let owner: Value = google(&app, &token).await.json().await.expect("json");
    let other = app.register_learner("other@example.com").await;

    let (status, problem) = link(&app, &other.token, &token).await;

    assert_eq!(status, 409);
    assert_eq!(
        problem["type"],
        "urn:lingo:problem:identity-linked-elsewhere"
    );
    let again: Value = google(&app, &token).await.json().await.expect("json");
    assert_eq!(again["user"]["id"], owner["user"]["id"]);
}

#[tokio::test]
async fn a_google_account_has_its_address_verified() {
    let app = spawn().await;
    let session: Value = google(&app, &id_token("g-new", "new@gmail.com", CLIENT_ID))
        .await
        .json()
        .await
        .expect("json");
    assert!(
        session["user"]["email_verified_at"].is_string(),
        "{session}"
    );
}
