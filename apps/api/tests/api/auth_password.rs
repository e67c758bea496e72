use lingo_test_support::TestApp;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

pub async fn spawn() -> TestApp {
    TestApp::spawn_with(&[("LINGO_RATE_LIMIT_AUTH_PER_MINUTE", "1000")]).await
}

#[tokio::test]
async fn registering_sends_a_link_that_signs_in_and_the_profile_is_stored() {
    let app = spawn().await;
    let response = app
        .register("Sara@Example.COM", "correct horse battery")
        .await;
    assert_eq!(response.status(), 202);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let body: Value = response.json().await.expect("json");
    assert!(
        body.get("access_token").is_none(),
        "no session before the link: {body}"
    );
    let (status, session) = app
        .verify_email(&app.emailed_token("sara@example.com"))
        .await;
    assert_eq!(status, 200, "{session}");
    assert_eq!(session["token_type"], "Bearer");
    assert!(session["expires_in"].as_i64().expect("seconds") > 800);
    assert_eq!(session["user"]["email"], "sara@example.com");
    let me: Value = app
        .get_as(
            "/api/v1/me",
            session["access_token"].as_str().expect("token"),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(me["profile"]["native_language"], "fa");
    assert_eq!(me["profile"]["target_language"], "en");
    assert_eq!(me["profile"]["timezone"], "Asia/Tehran");
    assert_eq!(me["profile"]["daily_new_limit"], 20);
}

#[tokio::test]
async fn the_same_email_in_another_case_is_the_same_address_and_no_409() {
    let app = spawn().await;
    let first = app
        .register("sara@example.com", "correct horse battery")
        .await;
    assert_eq!(first.status(), 202);
    let again = app.register("SARA@example.com", "another password").await;
    assert_eq!(
        again.status(),
        202,
        "a taken address answers like a new one"
    );
    let sara = lingo_users::Email::parse("sara@example.com").expect("valid");
    assert_eq!(
        app.emails.last_to(&sara).map(|m| m.subject).as_deref(),
        Some("You already have a Lingo account")
    );
}

#[tokio::test]
async fn login_works_with_the_right_password_and_says_nothing_about_which_part_is_wrong() {
    let app = spawn().await;
    app.register_learner("sara@example.com").await;
    let ok = app.login("SARA@example.com", "correct horse battery").await;
    assert_eq!(ok.status(), 200);
    let wrong_password: Value = app
        .login("sara@example.com", "wrong horse battery")
        .await
        .json()
        .await
        .expect("json");
    let unknown_user: Value = app
        .login("nobody@example.com", "wrong horse battery")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(wrong_password["status"], 401);
    assert_eq!(wrong_password, unknown_user);
}

#[tokio::test]
async fn every_invalid_field_is_listed_in_one_422() {
    let app = spawn().await;
    let response = app
        .post_json(
            "/api/v1/auth/register",
            &json!({"email": "not-an-email", "password": "short", "display_name": " ",
                    "profile": {"native_language": "persian", "timezone": "Mars/Olympus",
                                "daily_new_limit": 5000, "desired_retention": 0.5}}),
        )
        .await;
    assert_eq!(response.status(), 422);
    let body: Value = response.json().await.expect("json");
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert_eq!(
        fields,
        [
            "display_name",
            "email",
            "password",
            "profile.daily_new_limit",
            "profile.desired_retention",
            "profile.native_language",
            "profile.timezone"
        ]
    );
}

#[tokio::test]
async fn a_weak_password_is_refused_with_the_reason() {
    let app = spawn().await;
    let response = app.register("sara@example.com", "aaaaaaaaaaaa").await;
    assert_eq!(response.status(), 422);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["errors"][0]["field"], "password");
}

#[tokio::test]
async fn password_guessing_is_throttled_per_account_and_address() {
    let app = spawn().await;
    app.register("sara@example.com", "correct horse battery")
        .await;
    // Five free guesses from this address, then a progressive delay (tests/api/rate_limits.rs).
    for _ in 0..5 {
        assert_eq!(
            app.login("sara@example.com", "guess guess").await.status(),
            401
        );
    }
    let throttled = app.login("sara@example.com", "correct horse battery").await;
    assert_eq!(throttled.status(), 429);
    let retry_after: u64 = throttled.headers()["retry-after"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!(retry_after >= 1);
}

#[tokio::test]
async fn an_unknown_account_costs_as_much_time_as_a_wrong_password() {
    let app = spawn().await;
    app.register("sara@example.com", "correct horse battery")
        .await;
    let median = |mut samples: Vec<Duration>| {
        samples.sort();
        samples[samples.len() / 2]
    };
    let mut wrong = Vec::new();
    let mut unknown = Vec::new();
    for i in 0..5 {
        let started = Instant::now();
        app.login("sara@example.com", "wrong horse battery").await;
        wrong.push(started.elapsed());
        let started = Instant::now();
        app.login(&format!("nobody{i}@example.com"), "wrong horse battery")
            .await;
        unknown.push(started.elapsed());
    }
    let (wrong, unknown) = (median(wrong), median(unknown));
    // Without the dummy hash an unknown account answers in well under a tenth of the time.
    assert!(
        unknown.as_secs_f64() > wrong.as_secs_f64() * 0.3,
        "unknown {unknown:?} vs wrong password {wrong:?}"
    );
}
