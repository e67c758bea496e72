use lingo_test_support::TestApp;

#[tokio::test]
async fn health_answers_ok_without_touching_stores() {
    let app = TestApp::spawn().await;
    let response = app.get("/api/v1/health").await;
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(body["status"], "ok");
}

#[tokio::test]
async fn ready_is_200_when_every_store_answers() {
    let app = TestApp::spawn().await;
    let response = app.get("/api/v1/ready").await;
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.expect("json");
    let names: Vec<&str> = body["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .filter(|c| c["ok"] == true)
        .filter_map(|c| c["name"].as_str())
        .collect();
    assert_eq!(names, ["postgres", "mongodb", "redis"]);
}

#[tokio::test]
async fn a_request_id_is_echoed_or_made_up() {
    let app = TestApp::spawn().await;
    let response = app
        .client
        .get(app.url("/api/v1/health"))
        .header("x-request-id", "mobile-42")
        .send()
        .await
        .expect("sent");
    assert_eq!(response.headers()["x-request-id"], "mobile-42");
    let response = app.get("/api/v1/health").await;
    let made_up = response.headers()["x-request-id"].to_str().expect("ascii");
    assert!(uuid::Uuid::parse_str(made_up).is_ok(), "{made_up}");
}

#[tokio::test]
async fn metrics_count_requests_per_route_and_show_pools_and_queue() {
    let app = TestApp::spawn().await;
    for _ in 0..3 {
        app.get("/api/v1/health").await;
    }
    app.get("/api/v1/nowhere").await;
    let text = app.get_admin("/metrics").await.text().await.expect("text");
    assert!(
        text.contains(
            r#"lingo_http_requests_total{method="GET",route="/api/v1/health",status="200"} 3"#
        ),
        "{text}"
    );
    assert!(text.contains(r#"route="unmatched",status="404""#), "{text}");
    assert!(text.contains(r#"lingo_pool_connections{pool="postgres",state="open"}"#));
    assert!(
        text.contains(r#"lingo_queue_jobs{state="ready"} 0"#),
        "{text}"
    );
    assert!(text.contains("lingo_http_request_duration_seconds_bucket"));
}

#[tokio::test]
async fn metrics_are_served_on_the_admin_listener_only() {
    let app = TestApp::spawn().await;
    let public = app.get("/metrics").await;
    assert_eq!(public.status(), 404);
    let admin = app.get_admin("/metrics").await;
    assert_eq!(admin.status(), 200);
    assert!(
        admin
            .text()
            .await
            .expect("text")
            .contains("lingo_http_requests_total")
    );
    // The admin listener serves nothing else.
    assert_eq!(app.get_admin("/api/v1/health").await.status(), 404);
}

#[tokio::test]
async fn the_openapi_document_is_3_1_and_lists_the_routes() {
    let app = TestApp::spawn().await;
    let doc: serde_json::Value = app
        .get("/api/v1/openapi.json")
        .await
        .json()
        .await
        .expect("json");
    assert!(doc["openapi"].as_str().expect("version").starts_with("3.1"));
    for path in ["/api/v1/health", "/api/v1/ready", "/api/v1/jobs/{id}"] {
        assert!(doc["paths"].get(path).is_some(), "{path} missing");
    }
    assert!(doc["components"]["schemas"].get("Problem").is_some());
}

#[tokio::test]
async fn the_docs_page_serves_its_own_assets() {
    let app = TestApp::spawn().await;
    let page = app.get("/docs").await.text().await.expect("html");
    assert!(page.contains("/docs/swagger-ui-bundle.js"));
    let bundle = app.get("/docs/swagger-ui-bundle.js").await;
    assert_eq!(bundle.status(), 200);
    assert!(bundle.bytes().await.expect("bytes").len() > 100_000);
    assert_eq!(app.get("/docs/other.js").await.status(), 404);
}

#[tokio::test]
async fn unknown_http_methods_add_no_metrics_series() {
    let app = TestApp::spawn().await;
    for i in 0..20 {
        let method = reqwest::Method::from_bytes(format!("PROBE{i}").as_bytes()).expect("a token");
        let _ = app
            .client
            .request(method, app.url("/api/v1/health"))
            .send()
            .await
            .expect("answered");
    }
    let text = app.get_admin("/metrics").await.text().await.expect("text");
    assert!(
        !text.contains("PROBE"),
        "a series per method token:\n{text}"
    );
    assert!(text.contains(r#"method="OTHER""#), "{text}");
}
