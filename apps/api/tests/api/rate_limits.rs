use lingo_test_support::TestApp;
use serde_json::json;

#[tokio::test]
async fn auth_routes_are_limited_per_client_with_retry_after() {
    let app = TestApp::spawn_with(&[("LINGO_RATE_LIMIT_AUTH_PER_MINUTE", "3")]).await;
    let body = json!({"email": "x@example.com", "password": "whatever-1"});
    let login = || app.post_json("/api/v1/auth/login", &body);
    for _ in 0..3 {
        assert_eq!(login().await.status(), 401);
    }
    let limited = login().await;
    assert_eq!(limited.status(), 429);
    assert_eq!(
        limited.headers()["content-type"],
        "application/problem+json"
    );
    let retry_after: u64 = limited.headers()["retry-after"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    // Other routes are not limited by the auth class.
    assert_eq!(app.get("/api/v1/health").await.status(), 200);
}
