use crate::auth_password::spawn;
use lingo_kernel::jobs::{JobLedger, JobQueue};
use lingo_test_support::{PASSWORD, eventually};
use serde_json::{Value, json};

#[tokio::test]
async fn the_learner_changes_name_and_profile_and_the_rest_stays() {
    let app = spawn().await;
    let sara = app.register_learner("sara@example.com").await;
    let (status, me) = app
        .patch_with(
            &sara.token,
            "/api/v1/me",
            json!({"display_name": "  Zoe\u{0308}  ", "profile": {"daily_new_limit": 5, "learning_steps": [60, 300, 1800]}}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(me["display_name"], "Zoë");
    assert_eq!(me["profile"]["daily_new_limit"], 5);
    assert_eq!(me["profile"]["learning_steps"], json!([60, 300, 1800]));
    assert_eq!(me["profile"]["native_language"], "fa");
    assert_eq!(me["profile"]["timezone"], "Asia/Tehran");
}

#[tokio::test]
async fn patching_the_email_is_refused_whoever_holds_it_and_bad_values_are_422() {
    let app = spawn().await;
    app.register_learner("taken@example.com").await;
    let sara = app.register_learner("sara@example.com").await;
    let me = |body: Value| app.patch_with(&sara.token, "/api/v1/me", body);
    // No 409 that would tell the address is taken: the address changes through
    // `POST /me/email` (apps/api/tests/api/email.rs), and PATCH refuses it alike.
    let taken = me(json!({"email": "Taken@Example.com"})).await;
    let free = me(json!({"email": "free@example.com"})).await;
    assert_eq!(taken.0, 422);
    assert_eq!(taken, free);
    let (status, body) = me(json!({"profile": {"day_rollover_hour": 24, "level": "D9"}})).await;
    assert_eq!(status, 422);
    assert_eq!(body["errors"].as_array().expect("errors").len(), 2);
}

#[tokio::test]
async fn the_export_holds_the_account_and_profile_and_no_secrets() {
    let app = spawn().await;
    let sara = app.register_learner("sara@example.com").await;
    let (token, session) = (sara.token, sara.session);
    let response = app.get_as("/api/v1/me/export", &token).await;
    assert_eq!(response.status(), 200);
    let text = response.text().await.expect("text");
    let export: Value = serde_json::from_str(&text).expect("json");
    assert_eq!(export["account"]["email"], "sara@example.com");
    assert_eq!(export["account"]["has_password"], true);
    assert_eq!(export["profile"]["native_language"], "fa");
    assert_eq!(export["sessions"].as_array().expect("sessions").len(), 1);
    assert!(!text.contains("argon2"));
    assert!(!text.contains(session["refresh_token"].as_str().expect("token")));
}

#[tokio::test]
async fn deleting_the_account_removes_it_everywhere() {
    let app = spawn().await;
    let sara = app.register_learner("sara@example.com").await;
    let (token, session) = (sara.token, sara.session);
    let (delete, _) = app.delete_with(&token, "/api/v1/me").await;
    assert_eq!(delete, 204);
    // The deleted account's token is refused at once (revoked), never 404 or 503.
    assert_eq!(app.get_as("/api/v1/me", &token).await.status(), 401);
    let refresh = app
        .post_json(
            "/api/v1/auth/refresh",
            &json!({"refresh_token": session["refresh_token"]}),
        )
        .await;
    assert_eq!(refresh.status(), 401);
    let login = app.login("sara@example.com", PASSWORD).await;
    assert_eq!(login.status(), 401);
    // The purge of the other stores is staged with the deletion and relayed to the queue.
    let stores = &app.stores.stores;
    assert_eq!(stores.ledger.backlog().await.expect("backlog"), 1);
    assert_eq!(
        stores
            .jobs
            .dispatch_pass(10)
            .await
            .expect("dispatch")
            .dispatched,
        1
    );
    let stats = app.stores.stores.queue.stats().await.expect("stats");
    assert_eq!(stats.ready, 1);
    // The email is free again: a new sign-up gets a verification link, not "you have an
    // account".
    assert_eq!(
        app.register("sara@example.com", PASSWORD).await.status(),
        202
    );
    let sara = lingo_users::Email::parse("sara@example.com").expect("valid");
    assert_eq!(
        app.emails.last_to(&sara).map(|m| m.subject).as_deref(),
        Some("Confirm your email address for Lingo")
    );
}

#[tokio::test]
async fn me_needs_a_token() {
    let app = spawn().await;
    assert_eq!(app.get("/api/v1/me").await.status(), 401);
}

#[tokio::test]
async fn deleting_a_phone_account_purges_its_pending_code_from_redis() {
    use lingo_users::PhoneNumber;
    use lingo_users::ports::{OtpCheck, OtpStore};
    let app = spawn().await;
    let phone = PhoneNumber::parse("+989120000001").expect("valid");
    let body = json!({"phone": phone.as_str()});
    let request = || app.post_json("/api/v1/auth/phone/request", &body);
    request().await;
    let code: String = app
        .sms
        .last_text_to(&phone)
        .expect("sms")
        .chars()
        .filter(char::is_ascii_digit)
        .take(6)
        .collect();
    let session: Value = app
        .post_json(
            "/api/v1/auth/phone/verify",
            &json!({"phone": phone.as_str(), "code": code}),
        )
        .await
        .json()
        .await
        .expect("json");
    request().await; // a code is pending again
    let stores = &app.stores.stores;
    let otps = lingo_redis::RedisOtpStore::new(stores.redis.clone(), &stores.redis_prefix);
    assert!(matches!(
        otps.check(&phone, b"not the code").await.expect("check"),
        OtpCheck::Wrong { .. }
    ));

    let token = session["access_token"].as_str().expect("token");
    let (delete, _) = app.delete_with(token, "/api/v1/me").await;
    assert_eq!(delete, 204);
    assert_eq!(
        stores
            .jobs
            .dispatch_pass(10)
            .await
            .expect("dispatch")
            .dispatched,
        1
    );
    let worker = crate::admin_jobs::start_worker(&app);
    eventually("the purge job ran", || async {
        let stats = stores.queue.stats().await.expect("stats");
        (stats.ready + stats.in_flight == 0).then_some(())
    })
    .await;
    worker.stop().await;
    assert_eq!(
        otps.check(&phone, b"not the code").await.expect("check"),
        OtpCheck::Missing
    );
}
