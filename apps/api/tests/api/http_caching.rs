//! HTTP that saves a phone's data: negotiated compression, ETags with 304s, cache rules.

use crate::admin_jobs::start_worker;
use lingo_kernel::UserId;
use lingo_test_support::{TestApp, dictfiles};
use lingo_users::Role;
use serde_json::json;

/// An app with the WordNet and kaikki fixtures imported.
async fn with_dictionary() -> TestApp {
    let roots = dictfiles("");
    let app = TestApp::spawn_with(&[("LINGO_IMPORT_ROOTS", roots.as_str())]).await;
    let worker = start_worker(&app);
    let admin = app.token(UserId::new(), Role::Admin).await;
    app.import_dictionary(
        &admin,
        json!({"format": "wordnet", "path": dictfiles("wordnet"),
            "source": "wordnet-3.0", "licence": "WordNet-3.0", "language": "en"}),
    )
    .await;
    app.import_dictionary(
        &admin,
        json!({"format": "kaikki", "path": dictfiles("kaikki/tiny-en.jsonl"),
            "source": "kaikki-en", "licence": "CC-BY-SA-4.0", "language": "en"}),
    )
    .await;
    worker.stop().await;
    app
}

async fn raw_get(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut request = app.client.get(app.url(path));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.expect("sent")
}

#[tokio::test]
async fn a_lookup_is_gzipped_or_brotli_compressed_as_negotiated() {
    let app = with_dictionary().await;
    let path = "/api/v1/dictionary/en/words/bank";
    let plain = raw_get(&app, path, &[("accept-encoding", "identity")]).await;
    assert_eq!(plain.status(), 200);
    assert!(plain.headers().get("content-encoding").is_none());
    let plain = plain.bytes().await.expect("body");
    assert!(
        plain.len() > 1024,
        "the fixture word is too small to test: {}",
        plain.len()
    );

    let gzipped = raw_get(&app, path, &[("accept-encoding", "gzip")]).await;
    assert_eq!(gzipped.headers()["content-encoding"], "gzip");
    assert!(
        gzipped.headers()["vary"]
            .to_str()
            .expect("ascii")
            .to_ascii_lowercase()
            .contains("accept-encoding")
    );
    let body = gzipped.bytes().await.expect("body");
    assert_eq!(&body[..2], &[0x1f, 0x8b], "not a gzip stream");
    assert!(body.len() < plain.len(), "{} ≥ {}", body.len(), plain.len());

    let brotli = raw_get(&app, path, &[("accept-encoding", "gzip;q=0.5, br")]).await;
    assert_eq!(brotli.headers()["content-encoding"], "br");
    assert!(brotli.bytes().await.expect("body").len() < plain.len());
}

#[tokio::test]
async fn small_bodies_go_uncompressed() {
    let app = TestApp::spawn().await;
    let response = raw_get(&app, "/api/v1/health", &[("accept-encoding", "gzip, br")]).await;
    assert_eq!(response.status(), 200);
    assert!(response.headers().get("content-encoding").is_none());
    assert_eq!(
        response.json::<serde_json::Value>().await.expect("json")["status"],
        "ok"
    );
}

#[tokio::test]
async fn an_unchanged_lookup_is_a_304_without_a_body_and_public_for_an_hour() {
    let app = with_dictionary().await;
    let path = "/api/v1/dictionary/en/words/bank";
    let first = raw_get(&app, path, &[]).await;
    assert_eq!(first.status(), 200);
    assert_eq!(first.headers()["cache-control"], "public, max-age=3600");
    let etag = first.headers()["etag"].to_str().expect("ascii").to_owned();
    assert!(etag.starts_with("W/\""), "{etag}");

    let again = raw_get(&app, path, &[("if-none-match", &etag)]).await;
    assert_eq!(again.status(), 304);
    assert_eq!(again.headers()["etag"], etag.as_str());
    assert!(again.bytes().await.expect("body").is_empty());

    let stale = raw_get(&app, path, &[("if-none-match", "W/\"0000\"")]).await;
    assert_eq!(stale.status(), 200);
    let other = raw_get(
        &app,
        "/api/v1/dictionary/en/words/run",
        &[("if-none-match", &etag)],
    )
    .await;
    assert_eq!(other.status(), 200, "another word's body has another tag");
}

#[tokio::test]
async fn system_decks_revalidate_and_learner_data_is_not_stored() {
    let app = TestApp::spawn().await;
    let learner = app.token(UserId::new(), Role::Learner).await;
    let auth = format!("Bearer {learner}");
    let decks = raw_get(&app, "/api/v1/system-decks", &[("authorization", &auth)]).await;
    assert_eq!(decks.status(), 200);
    assert_eq!(decks.headers()["cache-control"], "private, no-cache");
    let etag = decks.headers()["etag"].to_str().expect("ascii").to_owned();
    let again = raw_get(
        &app,
        "/api/v1/system-decks",
        &[("authorization", &auth), ("if-none-match", &etag)],
    )
    .await;
    assert_eq!(again.status(), 304);

    let me = raw_get(&app, "/api/v1/me", &[("authorization", &auth)]).await;
    assert_eq!(me.status(), 200);
    assert_eq!(me.headers()["cache-control"], "private, no-store");
    assert!(me.headers().get("etag").is_none());
}
