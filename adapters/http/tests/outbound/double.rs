use lingo_http::testing::{HttpDouble, Reply, Route, json};
use std::time::Duration;

#[tokio::test]
async fn routes_match_on_method_path_query_and_body_and_requests_are_recorded() {
    let double = HttpDouble::routes(vec![
        Route::get("/words")
            .when_query(|q| q.contains("lang=fa"))
            .reply(json(200, "\"fa\"")),
        Route::get("/words").reply(json(200, "\"any\"")),
        Route::post("/words")
            .when_body(|body| body.starts_with(b"name="))
            .replies(vec![json(201, "{}"), json(409, "{}")]),
    ])
    .await;
    let client = reqwest::Client::new();

    let fa = client
        .get(double.url("/words?lang=fa"))
        .send()
        .await
        .expect("sent");
    assert_eq!(fa.text().await.expect("body"), "\"fa\"");
    let any = client.get(double.url("/words")).send().await.expect("sent");
    assert_eq!(any.text().await.expect("body"), "\"any\"");
    for expected in [201, 409, 409] {
        let created = client
            .post(double.url("/words"))
            .form(&[("name", "ice cream")])
            .send()
            .await
            .expect("sent");
        assert_eq!(created.status(), expected);
    }
    let unrouted = client
        .delete(double.url("/words"))
        .send()
        .await
        .expect("sent");
    assert_eq!(unrouted.status(), 404);

    assert_eq!(double.request_count(), 6);
    assert_eq!(double.hits("POST", "/words"), 3);
    let first_post = &double.requests()[2];
    assert_eq!(first_post.form()["name"], "ice cream");
    assert_eq!(
        first_post.header("Content-Type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(double.requests()[0].query.as_deref(), Some("lang=fa"));
}

#[tokio::test]
async fn replies_can_be_delayed_and_swapped() {
    let double = HttpDouble::start(json(200, "1").with_delay(Duration::from_millis(100))).await;
    let client = reqwest::Client::new();
    let started = std::time::Instant::now();
    client.get(double.url("/")).send().await.expect("sent");
    assert!(started.elapsed() >= Duration::from_millis(100));

    double.serve(Reply::text(503, "down"));
    let down = client.get(double.url("/")).send().await.expect("sent");
    assert_eq!(down.status(), 503);
}
