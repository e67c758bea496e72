use lingo_test_support::TestApp;

async fn problem(response: reqwest::Response, status: u16) -> serde_json::Value {
    assert_eq!(response.status(), status);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(body["status"], status);
    assert!(body["title"].is_string());
    body
}

#[tokio::test]
async fn unknown_routes_are_404_problems() {
    let app = TestApp::spawn().await;
    problem(app.get("/api/v1/nothing-here").await, 404).await;
    problem(app.get("/").await, 404).await;
}

#[tokio::test]
async fn wrong_methods_are_405_problems() {
    let app = TestApp::spawn().await;
    let response = app
        .client
        .delete(app.url("/api/v1/health"))
        .send()
        .await
        .expect("sent");
    let body = problem(response, 405).await;
    assert!(body["detail"].as_str().expect("detail").contains("DELETE"));
}

#[tokio::test]
async fn problems_carry_the_request_id() {
    let app = TestApp::spawn().await;
    let response = app.get("/api/v1/nothing-here").await;
    assert!(response.headers().contains_key("x-request-id"));
}
