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

/// A store failure is a 503 whose body names no table, constraint, host or driver message, and
/// carries the request id (given or made up) so a report can be matched to the logs.
#[tokio::test]
async fn a_store_failure_is_a_generic_503_with_the_request_id() {
    use diesel_async::RunQueryDsl;
    let app = TestApp::spawn().await;
    let sara = app.register_learner("sara@example.com").await;
    {
        let mut conn = app.stores.stores.postgres.get().await.expect("connection");
        diesel::sql_query("ALTER TABLE decks RENAME TO decks_moved_away")
            .execute(&mut conn)
            .await
            .expect("table moved");
    }
    for given in [Some("report-1234"), None] {
        let mut request = app
            .client
            .post(app.url("/api/v1/decks"))
            .bearer_auth(&sara.token)
            .json(&serde_json::json!({"name": "Travel"}));
        if let Some(id) = given {
            request = request.header("x-request-id", id);
        }
        let response = request.send().await.expect("sent");
        let header = response.headers()["x-request-id"]
            .to_str()
            .expect("ascii")
            .to_owned();
        let text = response.text().await.expect("body");
        let body: serde_json::Value = serde_json::from_str(&text).expect("json");
        assert_eq!(body["status"], 503, "{text}");
        assert_eq!(body["type"], "urn:lingo:problem:service-unavailable");
        assert_eq!(body["request_id"], header.as_str());
        if let Some(id) = given {
            assert_eq!(header, id);
        }
        for internal in ["decks", "relation", "database", "exist", "postgres"] {
            assert!(
                !text.to_lowercase().contains(internal),
                "{internal} in {text}"
            );
        }
    }
}

/// Every problem has a stable type from the catalogue and its `code`; its title and detail come
/// in the language `Accept-Language` prefers (en, fa, ar), which `Content-Language` names.
#[tokio::test]
async fn problems_are_typed_coded_and_localised() {
    let app = TestApp::spawn().await;
    let sara = app.register_learner("sara@example.com").await;
    let missing = format!("/api/v1/decks/{}", uuid::Uuid::new_v4());
    let mut titles = Vec::new();
    for (accept, language) in [
        (None, "en"),
        (Some("fa-IR,fa;q=0.9,en;q=0.5"), "fa"),
        (Some("ar-EG"), "ar"),
        (Some("de-DE, fr;q=0.8"), "en"),
    ] {
        let mut request = app.client.get(app.url(&missing)).bearer_auth(&sara.token);
        if let Some(accept) = accept {
            request = request.header("accept-language", accept);
        }
        let response = request.send().await.expect("sent");
        assert_eq!(response.headers()["content-language"], language);
        let body = problem(response, 404).await;
        assert_eq!(body["type"], "urn:lingo:problem:not-found");
        assert_eq!(body["code"], "not_found");
        titles.push((
            language,
            body["title"].as_str().expect("title").to_owned(),
            body["detail"].clone(),
        ));
    }
    assert_eq!(titles[0].1, "Not found");
    assert_eq!(titles[1].1, "پیدا نشد");
    assert_eq!(titles[2].1, "غير موجود");
    // English keeps the specific detail; the others the catalogue's sentence.
    assert_ne!(titles[0].2, titles[1].2);
    assert!(
        titles[1]
            .2
            .as_str()
            .expect("detail")
            .chars()
            .any(|c| ('\u{0600}'..='\u{06FF}').contains(&c))
    );

    // Field errors carry the rule broken and are localised by it.
    let response = app
        .client
        .post(app.url("/api/v1/decks"))
        .bearer_auth(&sara.token)
        .header("accept-language", "fa")
        .json(&serde_json::json!({"name": "Travel", "description": "x".repeat(2001)}))
        .send()
        .await
        .expect("sent");
    let body = problem(response, 422).await;
    assert_eq!(body["code"], "validation_failed");
    assert_eq!(body["errors"][0]["field"], "description");
    assert_eq!(body["errors"][0]["code"], "length");
    assert_eq!(
        body["errors"][0]["message"],
        "طول این مقدار خارج از حد مجاز است."
    );

    // A token problem the app acts on: expired vs. missing.
    let response = app.get("/api/v1/me").await;
    let body = problem(response, 401).await;
    assert_eq!(body["code"], "unauthorized");
}
