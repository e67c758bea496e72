//! Email ownership: verification links, sign-up and address changes that never tell whether an
//! address is taken, password reset and change.

use lingo_test_support::{PASSWORD, TestApp, json_of};
use lingo_users::Email;
use serde_json::{Value, json};

async fn spawn() -> TestApp {
    TestApp::spawn_with(&[("LINGO_RATE_LIMIT_AUTH_PER_MINUTE", "1000")]).await
}

fn email(raw: &str) -> Email {
    Email::parse(raw).expect("valid email")
}

/// Subjects of every email to `to`, oldest first.
fn subjects_to(app: &TestApp, to: &str) -> Vec<String> {
    app.emails
        .sent_to(&email(to))
        .into_iter()
        .map(|m| m.subject)
        .collect()
}

async fn forgot(app: &TestApp, address: &str) -> (u16, Value) {
    json_of(
        app.post_json("/api/v1/auth/password/forgot", &json!({"email": address}))
            .await,
    )
    .await
}

async fn reset(app: &TestApp, token: &str, password: &str) -> (u16, Value) {
    json_of(
        app.post_json(
            "/api/v1/auth/password/reset",
            &json!({"token": token, "password": password}),
        )
        .await,
    )
    .await
}

async fn refresh(app: &TestApp, session: &Value) -> u16 {
    app.post_json(
        "/api/v1/auth/refresh",
        &json!({"refresh_token": session["refresh_token"]}),
    )
    .await
    .status()
    .as_u16()
}

fn access(session: &Value) -> &str {
    session["access_token"].as_str().expect("access token")
}

#[tokio::test]
async fn signing_up_answers_the_same_for_a_new_and_a_taken_address() {
    let app = spawn().await;
    let (new_status, new_body) = json_of(app.register("sara@example.com", PASSWORD).await).await;
    let (taken_status, taken_body) = json_of(
        app.register("SARA@example.com", "the attacker's password")
            .await,
    )
    .await;

    assert_eq!((new_status, taken_status), (202, 202));
    assert_eq!(new_body, taken_body);
    assert_eq!(
        subjects_to(&app, "sara@example.com"),
        [
            "Confirm your email address for Lingo",
            "You already have a Lingo account"
        ]
    );
    let notice = app
        .emails
        .last_to(&email("sara@example.com"))
        .expect("notice");
    assert!(
        lingo_email::token_in(&notice.text).is_none(),
        "{}",
        notice.text
    );
    // The first sign-up's link still opens the first account, with the first password.
    let token = lingo_email::token_in(&app.emails.sent_to(&email("sara@example.com"))[0].text)
        .expect("link")
        .to_owned();
    assert_eq!(app.verify_email(&token).await.0, 200);
    assert_eq!(app.login("sara@example.com", PASSWORD).await.status(), 200);
    assert_eq!(
        app.login("sara@example.com", "the attacker's password")
            .await
            .status(),
        401
    );
}

#[tokio::test]
async fn an_unverified_account_signs_in_only_through_its_link() {
    let app = spawn().await;
    app.register("sara@example.com", PASSWORD).await;

    let (unverified, unverified_body) =
        json_of(app.login("sara@example.com", PASSWORD).await).await;
    let (_, wrong_body) = json_of(app.login("sara@example.com", "wrong horse battery").await).await;
    assert_eq!(unverified, 401);
    assert_eq!(
        unverified_body, wrong_body,
        "unverified must look like a wrong password"
    );

    let (status, session) = app
        .verify_email(&app.emailed_token("sara@example.com"))
        .await;
    assert_eq!(status, 200, "{session}");
    assert_eq!(session["user"]["email"], "sara@example.com");
    assert!(
        session["user"]["email_verified_at"].is_string(),
        "{session}"
    );
    let (status, me) = app.get_with(access(&session), "/api/v1/me").await;
    assert_eq!(status, 200);
    assert!(me["email_verified_at"].is_string());
    assert_eq!(app.login("sara@example.com", PASSWORD).await.status(), 200);
}

#[tokio::test]
async fn a_verification_link_works_once_and_not_after_a_day() {
    let app = spawn().await;
    app.register("sara@example.com", PASSWORD).await;
    let token = app.emailed_token("sara@example.com");
    assert_eq!(app.verify_email(&token).await.0, 200);
    let (status, problem) = app.verify_email(&token).await;
    assert_eq!(status, 403);
    assert_eq!(problem["type"], "urn:lingo:problem:invalid-email-link");

    app.register("ali@example.com", PASSWORD).await;
    let late = app.emailed_token("ali@example.com");
    app.advance_time(chrono::Duration::hours(25));
    let (status, problem) = app.verify_email(&late).await;
    assert_eq!(status, 403);
    assert_eq!(problem["type"], "urn:lingo:problem:invalid-email-link");
    let (status, _) = app.verify_email("made-up-token").await;
    assert_eq!(status, 403);
    let (status, _) = app.verify_email("").await;
    assert_eq!(status, 422);
}

#[tokio::test]
async fn a_signed_in_learner_with_an_unverified_address_asks_for_new_links_a_few_times() {
    let app = spawn().await;
    app.register("sara@example.com", PASSWORD).await;
    // A session from before verification existed: the account's own token.
    let users = lingo_postgres::PgUserRepository::new(app.stores.stores.postgres.clone());
    let user = lingo_users::ports::UserRepository::by_email(&users, &email("sara@example.com"))
        .await
        .expect("looked up")
        .expect("registered");
    let token = app.token(user.id, lingo_users::Role::Learner).await;

    for _ in 0..3 {
        let (status, _) = app
            .post_with(&token, "/api/v1/me/email/verification", json!({}))
            .await;
        assert_eq!(status, 202);
    }
    assert_eq!(subjects_to(&app, "sara@example.com").len(), 4);
    let (status, _) = app
        .post_with(&token, "/api/v1/me/email/verification", json!({}))
        .await;
    assert_eq!(status, 429);

    assert_eq!(
        app.verify_email(&app.emailed_token("sara@example.com"))
            .await
            .0,
        200
    );
    let verified = app.register_learner("ali@example.com").await;
    let (status, _) = app
        .post_with(&verified.token, "/api/v1/me/email/verification", json!({}))
        .await;
    assert_eq!(status, 409);
}

#[tokio::test]
async fn forgetting_a_password_answers_the_same_for_known_and_unknown_addresses() {
    let app = spawn().await;
    app.register_learner("sara@example.com").await;
    let known = forgot(&app, "sara@example.com").await;
    let unknown = forgot(&app, "nobody@example.com").await;

    assert_eq!(known.0, 202);
    assert_eq!(known, unknown);
    assert_eq!(
        subjects_to(&app, "sara@example.com")
            .last()
            .map(String::as_str),
        Some("Reset your Lingo password")
    );
    assert!(subjects_to(&app, "nobody@example.com").is_empty());
}

#[tokio::test]
async fn a_password_reset_sets_the_new_password_and_ends_every_session() {
    let app = spawn().await;
    let learner = app.register_learner("sara@example.com").await;
    let (_, other_device) = json_of(app.login("sara@example.com", PASSWORD).await).await;
    forgot(&app, "sara@example.com").await;
    let token = app.emailed_token("sara@example.com");

    let (status, _) = reset(&app, &token, "aaaaaaaaaaaa").await;
    assert_eq!(status, 422, "a weak password is refused");
    let (status, body) = reset(&app, &token, "a brand new horse").await;
    assert_eq!(status, 204, "{body}");

    for session in [&learner.session, &other_device] {
        assert_eq!(app.get_with(access(session), "/api/v1/me").await.0, 401);
        assert_eq!(refresh(&app, session).await, 401);
    }
    assert_eq!(app.login("sara@example.com", PASSWORD).await.status(), 401);
    assert_eq!(
        app.login("sara@example.com", "a brand new horse")
            .await
            .status(),
        200
    );
    let (status, problem) = reset(&app, &token, "another new horse").await;
    assert_eq!(status, 403);
    assert_eq!(problem["type"], "urn:lingo:problem:invalid-email-link");
}

#[tokio::test]
async fn a_reset_link_expires_after_30_minutes_and_opens_nothing_else() {
    let app = spawn().await;
    app.register_learner("sara@example.com").await;
    forgot(&app, "sara@example.com").await;
    let token = app.emailed_token("sara@example.com");
    let (status, _) = app.verify_email(&token).await;
    assert_eq!(status, 403, "a reset link is not a verification link");

    forgot(&app, "sara@example.com").await;
    let late = app.emailed_token("sara@example.com");
    app.advance_time(chrono::Duration::minutes(31));
    assert_eq!(reset(&app, &late, "a brand new horse").await.0, 403);
    assert_eq!(app.login("sara@example.com", PASSWORD).await.status(), 200);
}

#[tokio::test]
async fn reset_requests_are_limited_per_address_and_per_client() {
    let app = spawn().await;
    for _ in 0..3 {
        assert_eq!(forgot(&app, "sara@example.com").await.0, 202);
    }
    let (status, _) = forgot(&app, "sara@example.com").await;
    assert_eq!(
        status, 429,
        "the fourth request for one address in 15 minutes"
    );
    for i in 0..6 {
        assert_eq!(forgot(&app, &format!("other{i}@example.com")).await.0, 202);
    }
    let (status, _) = forgot(&app, "one-more@example.com").await;
    assert_eq!(
        status, 429,
        "the eleventh request from one client in 15 minutes"
    );
}

#[tokio::test]
async fn a_reset_proves_an_unverified_address_and_locks_out_whoever_registered_it() {
    let app = spawn().await;
    app.register("victim@example.com", "the attacker's password")
        .await;
    forgot(&app, "victim@example.com").await;
    let token = app.emailed_token("victim@example.com");
    assert_eq!(reset(&app, &token, "the victim's password").await.0, 204);

    let (status, session) = json_of(
        app.login("victim@example.com", "the victim's password")
            .await,
    )
    .await;
    assert_eq!(status, 200);
    assert!(session["user"]["email_verified_at"].is_string());
    assert_eq!(
        app.login("victim@example.com", "the attacker's password")
            .await
            .status(),
        401
    );
}

#[tokio::test]
async fn changing_the_password_needs_the_current_one_and_ends_the_other_sessions() {
    let app = spawn().await;
    let learner = app.register_learner("sara@example.com").await;
    let (_, other_device) = json_of(app.login("sara@example.com", PASSWORD).await).await;

    let (status, problem) = app
        .post_with(
            &learner.token,
            "/api/v1/me/password",
            json!({"current_password": "wrong horse battery", "new_password": "a brand new horse"}),
        )
        .await;
    assert_eq!(status, 403);
    assert_eq!(problem["type"], "urn:lingo:problem:wrong-password");
    let (status, _) = app
        .post_with(
            &learner.token,
            "/api/v1/me/password",
            json!({"current_password": PASSWORD, "new_password": "short"}),
        )
        .await;
    assert_eq!(status, 422);

    let (status, fresh) = app
        .post_with(
            &learner.token,
            "/api/v1/me/password",
            json!({"current_password": PASSWORD, "new_password": "a brand new horse"}),
        )
        .await;
    assert_eq!(status, 200, "{fresh}");

    assert_eq!(
        app.get_with(access(&other_device), "/api/v1/me").await.0,
        401
    );
    assert_eq!(refresh(&app, &other_device).await, 401);
    assert_eq!(refresh(&app, &learner.session).await, 401);
    assert_eq!(app.get_with(access(&fresh), "/api/v1/me").await.0, 200);
    assert_eq!(refresh(&app, &fresh).await, 200);
    assert_eq!(app.login("sara@example.com", PASSWORD).await.status(), 401);
    assert_eq!(
        app.login("sara@example.com", "a brand new horse")
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn an_email_change_takes_effect_only_once_the_new_address_is_verified() {
    let app = spawn().await;
    let learner = app.register_learner("sara@example.com").await;
    let (status, _) = app
        .post_with(
            &learner.token,
            "/api/v1/me/email",
            json!({"email": "Sara@New.example", "password": PASSWORD}),
        )
        .await;
    assert_eq!(status, 202);
    let (_, me) = app.get_with(&learner.token, "/api/v1/me").await;
    assert_eq!(
        me["email"], "sara@example.com",
        "nothing changes before the link"
    );

    let (status, session) = app
        .verify_email(&app.emailed_token("sara@new.example"))
        .await;
    assert_eq!(status, 200, "{session}");
    let (_, me) = app.get_with(access(&session), "/api/v1/me").await;
    assert_eq!(me["email"], "sara@new.example");
    assert!(me["email_verified_at"].is_string());
    assert_eq!(
        subjects_to(&app, "sara@example.com")
            .last()
            .map(String::as_str),
        Some("The email address of your Lingo account changed")
    );
    assert_eq!(app.login("sara@new.example", PASSWORD).await.status(), 200);
    assert_eq!(app.login("sara@example.com", PASSWORD).await.status(), 401);
}

#[tokio::test]
async fn an_email_change_answers_the_same_whether_the_address_is_taken() {
    let app = spawn().await;
    let sara = app.register_learner("sara@example.com").await;
    app.register_learner("ali@example.com").await;
    let change = |to: &'static str| {
        app.post_with(
            &sara.token,
            "/api/v1/me/email",
            json!({"email": to, "password": PASSWORD}),
        )
    };

    let free = change("free@example.com").await;
    let taken = change("ali@example.com").await;

    assert_eq!(free.0, 202);
    assert_eq!(free, taken);
    let notice = app
        .emails
        .last_to(&email("ali@example.com"))
        .expect("notice");
    assert_eq!(
        notice.subject,
        "Your email address was offered to another Lingo account"
    );
    assert!(lingo_email::token_in(&notice.text).is_none());
    let (_, me) = app.get_with(&sara.token, "/api/v1/me").await;
    assert_eq!(me["email"], "sara@example.com");
    assert_eq!(app.login("ali@example.com", PASSWORD).await.status(), 200);
}

#[tokio::test]
async fn an_email_change_needs_the_password_and_patch_me_no_longer_changes_it() {
    let app = spawn().await;
    let learner = app.register_learner("sara@example.com").await;
    for body in [
        json!({"email": "new@example.com"}),
        json!({"email": "new@example.com", "password": "wrong horse battery"}),
    ] {
        let (status, problem) = app
            .post_with(&learner.token, "/api/v1/me/email", body)
            .await;
        assert_eq!(status, 403);
        assert_eq!(problem["type"], "urn:lingo:problem:wrong-password");
    }
    let (status, problem) = app
        .post_with(
            &learner.token,
            "/api/v1/me/email",
            json!({"email": "not an email"}),
        )
        .await;
    assert_eq!(status, 422, "{problem}");
    let (status, problem) = app
        .patch_with(
            &learner.token,
            "/api/v1/me",
            json!({"email": "new@example.com"}),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(problem["errors"][0]["field"], "email");
    assert!(subjects_to(&app, "new@example.com").is_empty());
}

#[tokio::test]
async fn a_reset_link_sent_before_an_email_change_no_longer_works() {
    let app = spawn().await;
    let learner = app.register_learner("sara@example.com").await;
    forgot(&app, "sara@example.com").await;
    let reset_token = app.emailed_token("sara@example.com");
    app.post_with(
        &learner.token,
        "/api/v1/me/email",
        json!({"email": "sara@new.example", "password": PASSWORD}),
    )
    .await;
    assert_eq!(
        app.verify_email(&app.emailed_token("sara@new.example"))
            .await
            .0,
        200
    );

    assert_eq!(reset(&app, &reset_token, "a brand new horse").await.0, 403);
    assert_eq!(app.login("sara@new.example", PASSWORD).await.status(), 200);
}

#[tokio::test]
async fn the_export_lists_the_verification_and_the_links_but_never_a_token() {
    let app = spawn().await;
    let learner = app.register_learner("sara@example.com").await;
    forgot(&app, "sara@example.com").await;
    let token = app.emailed_token("sara@example.com");

    let (status, export) = app.get_with(&learner.token, "/api/v1/me/export").await;

    assert_eq!(status, 200);
    assert!(
        export["account"]["email_verified_at"].is_string(),
        "{export}"
    );
    let purposes: Vec<&str> = export["email_links"]
        .as_array()
        .expect("links")
        .iter()
        .filter_map(|l| l["purpose"].as_str())
        .collect();
    assert_eq!(purposes, ["verify_email", "reset_password"]);
    assert!(!export.to_string().contains(&token));
}
