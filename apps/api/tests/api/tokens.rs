use crate::auth_password::spawn;
use lingo_test_support::{PASSWORD, TestApp};
use serde_json::{Value, json};

async fn session(app: &TestApp) -> Value {
    app.register_learner("sara@example.com").await.session
}

async fn refresh(app: &TestApp, token: &Value) -> reqwest::Response {
    app.post_json("/api/v1/auth/refresh", &json!({"refresh_token": token}))
        .await
}

#[tokio::test]
async fn refreshing_rotates_the_refresh_token() {
    let app = spawn().await;
    let first = session(&app).await;
    let response = refresh(&app, &first["refresh_token"]).await;
    assert_eq!(response.status(), 200);
    let second: Value = response.json().await.expect("json");
    assert_ne!(second["refresh_token"], first["refresh_token"]);
    assert_eq!(second["user"]["id"], first["user"]["id"]);
    let me = app
        .get_as(
            "/api/v1/me",
            second["access_token"].as_str().expect("token"),
        )
        .await;
    assert_eq!(me.status(), 200);
}

#[tokio::test]
async fn replaying_a_used_refresh_token_revokes_the_whole_family() {
    let app = spawn().await;
    let first = session(&app).await;
    let second: Value = refresh(&app, &first["refresh_token"])
        .await
        .json()
        .await
        .expect("json");
    // An attacker replays the stolen first token …
    assert_eq!(refresh(&app, &first["refresh_token"]).await.status(), 401);
    // … and the legitimate holder's newer token is dead too.
    assert_eq!(refresh(&app, &second["refresh_token"]).await.status(), 401);
}

#[tokio::test]
async fn logout_ends_this_device_only_and_logout_all_ends_every_device() {
    let app = spawn().await;
    let phone = session(&app).await;
    let tablet: Value = app
        .login("sara@example.com", PASSWORD)
        .await
        .json()
        .await
        .expect("json");
    let response = app
        .post_json(
            "/api/v1/auth/logout",
            &json!({"refresh_token": phone["refresh_token"]}),
        )
        .await;
    assert_eq!(response.status(), 204);
    assert_eq!(refresh(&app, &phone["refresh_token"]).await.status(), 401);
    let tablet: Value = refresh(&app, &tablet["refresh_token"])
        .await
        .json()
        .await
        .expect("json");

    let (everywhere, _) = app
        .post_with(
            tablet["access_token"].as_str().expect("token"),
            "/api/v1/auth/logout-all",
            json!({}),
        )
        .await;
    assert_eq!(everywhere, 204);
    assert_eq!(refresh(&app, &tablet["refresh_token"]).await.status(), 401);
}

#[tokio::test]
async fn garbage_refresh_tokens_are_401() {
    let app = spawn().await;
    assert_eq!(refresh(&app, &json!("no-such-token")).await.status(), 401);
    assert_eq!(refresh(&app, &json!("")).await.status(), 422);
}

/// Tokens signed with the right key but the wrong claims, or not signed at all.
#[tokio::test]
async fn tampered_expired_foreign_and_unsigned_access_tokens_are_401() {
    use lingo_users::{AccessTokens, Role};
    let app = spawn().await;
    let user = lingo_kernel::UserId::new();
    app.token(user, Role::Admin).await; // creates the account
    let config = &app.stores.config.auth;
    let tokens = |audience: &str, ttl: chrono::Duration| {
        lingo_jwt::JwtAccessTokens::new(
            config.jwt_secret.as_bytes(),
            &config.jwt_issuer,
            audience,
            ttl,
        )
    };
    let now = lingo_kernel::Clock::now(app.clock.as_ref());
    let valid = tokens(&config.jwt_audience, chrono::Duration::minutes(15))
        .issue(user, Role::Admin, 0, now)
        .expect("token");
    let expired = tokens(&config.jwt_audience, chrono::Duration::minutes(15))
        .issue(user, Role::Admin, 0, now - chrono::Duration::minutes(20))
        .expect("token");
    let foreign = tokens("another-app", chrono::Duration::minutes(15))
        .issue(user, Role::Admin, 0, now)
        .expect("token");
    let parts: Vec<&str> = valid.split('.').collect();
    let tampered = format!("{}.{}x.{}", parts[0], parts[1], parts[2]);
    let unsigned = format!("eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.{}.", parts[1]);
    let path = "/api/v1/admin/jobs/dead";
    assert_eq!(app.get_as(path, &valid).await.status(), 200);
    for (name, token) in [
        ("expired", expired),
        ("foreign", foreign),
        ("tampered", tampered),
        ("alg none", unsigned),
    ] {
        let response = app.get_as(path, &token).await;
        assert_eq!(response.status(), 401, "{name}");
    }
}
