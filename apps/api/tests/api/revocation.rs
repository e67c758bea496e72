//! Access tokens stop working within seconds of the account being deleted, disabled, demoted or
//! signed out everywhere; refresh families end at their absolute lifetime; every administrative
//! change is in the audit log.

use lingo_kernel::UserId;
use lingo_test_support::{Learner, PASSWORD, TestApp, json_of};
use lingo_users::Role;
use serde_json::{Value, json};

/// A short revocation cache, as another node would have it.
async fn spawn() -> TestApp {
    TestApp::spawn_with(&[
        ("LINGO_RATE_LIMIT_AUTH_PER_MINUTE", "1000"),
        ("LINGO_REVOCATION_CACHE_TTL_MS", "1000"),
    ])
    .await
}

fn assert_refused(status: u16, body: &Value, what: &str) {
    assert_eq!(status, 401, "{what}: {body}");
    assert_eq!(body["status"], 401, "{what}: a problem");
}

async fn decks_refused(app: &TestApp, token: &str) {
    let (status, body) = app.get_with(token, "/api/v1/decks").await;
    assert_refused(status, &body, "GET /decks");
    let (status, body) = app
        .post_with(token, "/api/v1/decks", json!({"name": "after"}))
        .await;
    assert_refused(status, &body, "POST /decks");
}

async fn login(app: &TestApp, email: &str) -> (u16, Value) {
    json_of(app.login(email, PASSWORD).await).await
}

async fn admin_action(app: &TestApp, admin: &str, target: UserId, action: &str) -> (u16, Value) {
    app.post_with(
        admin,
        &format!("/api/v1/admin/users/{target}/{action}"),
        json!({}),
    )
    .await
}

#[tokio::test]
async fn a_deleted_accounts_token_is_401_on_reads_and_writes_never_503() {
    let app = spawn().await;
    let sara = app.register_learner("sara@example.com").await;
    app.create_deck(&sara, "before").await;
    let (status, _) = app.delete_with(&sara.token, "/api/v1/me").await;
    assert_eq!(status, 204);
    decks_refused(&app, &sara.token).await;
    // Still refused once the cached answer has expired (the row is gone).
    app.advance_time(chrono::Duration::seconds(2));
    decks_refused(&app, &sara.token).await;
}

#[tokio::test]
async fn a_generation_bumped_by_another_node_is_seen_within_the_cache_ttl() {
    let app = spawn().await;
    let sara = app.register_learner("sara@example.com").await;
    assert_eq!(app.get_with(&sara.token, "/api/v1/decks").await.0, 200);
    // Another api replica signs Sara out everywhere: only the database changes here.
    {
        use diesel_async::RunQueryDsl;
        let mut conn = app.stores.stores.postgres.get().await.expect("connection");
        diesel::sql_query(format!(
            "UPDATE users SET token_generation = token_generation + 1 WHERE id = '{}'",
            sara.id
        ))
        .execute(&mut conn)
        .await
        .expect("bumped");
    }
    app.advance_time(chrono::Duration::milliseconds(1100));
    decks_refused(&app, &sara.token).await;
}

#[tokio::test]
async fn after_logout_all_the_old_access_token_is_refused() {
    let app = spawn().await;
    let sara = app.register_learner("sara@example.com").await;
    let (status, _) = app
        .post_with(&sara.token, "/api/v1/auth/logout-all", json!({}))
        .await;
    assert_eq!(status, 204);
    decks_refused(&app, &sara.token).await;
    let (status, session) = login(&app, "sara@example.com").await;
    assert_eq!(status, 200);
    let fresh = session["access_token"].as_str().expect("token");
    assert_eq!(app.get_with(fresh, "/api/v1/decks").await.0, 200);
}

#[tokio::test]
async fn a_disabled_account_is_refused_and_enabling_restores_access_with_a_new_login() {
    let app = spawn().await;
    let admin_id = UserId::new();
    let admin = app.token(admin_id, Role::Admin).await;
    let sara = app.register_learner("sara@example.com").await;

    let (status, body) = admin_action(&app, &admin, sara.id, "disable").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "disabled");
    decks_refused(&app, &sara.token).await;
    let refresh = app
        .post_json(
            "/api/v1/auth/refresh",
            &json!({"refresh_token": sara.session["refresh_token"]}),
        )
        .await;
    assert_eq!(refresh.status(), 401, "sessions are ended");
    assert_eq!(login(&app, "sara@example.com").await.0, 403);

    let (status, body) = admin_action(&app, &admin, sara.id, "enable").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "active");
    decks_refused(&app, &sara.token).await;
    let (status, session) = login(&app, "sara@example.com").await;
    assert_eq!(status, 200);
    let fresh = session["access_token"].as_str().expect("token");
    assert_eq!(app.get_with(fresh, "/api/v1/decks").await.0, 200);

    let (status, audit) = app
        .get_with(&admin, &format!("/api/v1/admin/users/{}/audit", sara.id))
        .await;
    assert_eq!(status, 200);
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| e["action"].as_str().expect("action"))
        .collect();
    assert_eq!(actions, ["enable", "disable"]);
    assert_eq!(audit["items"][0]["actor_id"], admin_id.to_string());
    assert_eq!(audit["items"][0]["actor"], "api");
}

#[tokio::test]
async fn a_demoted_admins_token_loses_the_admin_routes() {
    let app = spawn().await;
    let root = app.token(UserId::new(), Role::Admin).await;
    let sara = app.register_learner("sara@example.com").await;
    let (status, body) = admin_action(&app, &root, sara.id, "grant-admin").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["role"], "admin");
    let (_, session) = login(&app, "sara@example.com").await;
    let sara_admin = session["access_token"].as_str().expect("token").to_owned();
    assert_eq!(
        app.get_with(&sara_admin, "/api/v1/admin/jobs/dead").await.0,
        200
    );

    let (status, body) = admin_action(&app, &root, sara.id, "revoke-admin").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["role"], "learner");
    let (status, body) = app.get_with(&sara_admin, "/api/v1/admin/jobs/dead").await;
    assert_refused(status, &body, "admin route with the old admin token");
    let (_, session) = login(&app, "sara@example.com").await;
    let learner = session["access_token"].as_str().expect("token");
    assert_eq!(
        app.get_with(learner, "/api/v1/admin/jobs/dead").await.0,
        403
    );

    let (status, audit) = app
        .get_with(&root, &format!("/api/v1/admin/users/{}/audit", sara.id))
        .await;
    assert_eq!(status, 200);
    assert_eq!(audit["items"][0]["action"], "revoke_admin");
    assert_eq!(audit["items"][1]["action"], "grant_admin");
}

#[tokio::test]
async fn account_administration_is_for_admins_and_not_on_ones_own_account() {
    let app = spawn().await;
    let admin_id = UserId::new();
    let admin = app.token(admin_id, Role::Admin).await;
    let sara: Learner = app.register_learner("sara@example.com").await;
    let tom = app.register_learner("tom@example.com").await;
    assert_eq!(
        admin_action(&app, &sara.token, tom.id, "disable").await.0,
        403
    );
    assert_eq!(admin_action(&app, &admin, admin_id, "disable").await.0, 409);
    assert_eq!(
        admin_action(&app, &admin, admin_id, "revoke-admin").await.0,
        409
    );
    assert_eq!(
        admin_action(&app, &admin, UserId::new(), "disable").await.0,
        404
    );
    assert_eq!(app.get_with(&tom.token, "/api/v1/decks").await.0, 200);
}

#[tokio::test]
async fn refresh_beyond_the_absolute_lifetime_is_refused() {
    let app = TestApp::spawn_with(&[
        ("LINGO_RATE_LIMIT_AUTH_PER_MINUTE", "1000"),
        ("LINGO_REFRESH_TOKEN_TTL_MS", &(30 * 60_000).to_string()),
        (
            "LINGO_REFRESH_FAMILY_MAX_AGE_MS",
            &(60 * 60_000).to_string(),
        ),
    ])
    .await;
    let sara = app.register_learner("sara@example.com").await;
    let signed_in: chrono::DateTime<chrono::Utc> = sara.session["refresh_expires_at"]
        .as_str()
        .expect("expiry")
        .parse::<chrono::DateTime<chrono::Utc>>()
        .expect("time")
        - chrono::Duration::minutes(30);
    let mut token = sara.session["refresh_token"].clone();
    // Each refresh slides the expiry, but never past an hour after the sign-in.
    for _ in 0..2 {
        app.advance_time(chrono::Duration::minutes(25));
        let (status, session) = json_of(
            app.post_json("/api/v1/auth/refresh", &json!({"refresh_token": token}))
                .await,
        )
        .await;
        assert_eq!(status, 200, "{session}");
        let expires: chrono::DateTime<chrono::Utc> = session["refresh_expires_at"]
            .as_str()
            .expect("expiry")
            .parse()
            .expect("time");
        assert!(
            expires <= signed_in + chrono::Duration::minutes(60) + chrono::Duration::seconds(1)
        );
        token = session["refresh_token"].clone();
    }
    app.advance_time(chrono::Duration::minutes(11));
    let refused = app
        .post_json("/api/v1/auth/refresh", &json!({"refresh_token": token}))
        .await;
    assert_eq!(refused.status(), 401);
}
