//! Bounds on every input and the files imports open (issue 12, items 6 and 11; docs/limits.md).

use crate::admin_jobs::start_worker;
use lingo_kernel::UserId;
use lingo_test_support::{TestApp, dictfiles, english_words, json_of};
use lingo_users::Role;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::time::Duration;

fn field_of(problem: &Value) -> String {
    problem.to_string()
}

#[tokio::test]
async fn oversized_texts_are_refused() {
    let app = TestApp::spawn().await;
    let too_many_chars = "a".repeat(50_001);
    let too_many_words = "go ".repeat(10_001);
    for text in [too_many_chars, too_many_words] {
        let (status, problem) = json_of(
            app.post_json(
                "/api/v1/texts/analyse",
                &json!({"language": "en", "text": text}),
            )
            .await,
        )
        .await;
        assert_eq!(status, 422, "{problem}");
        assert!(field_of(&problem).contains("text"), "{problem}");
    }
    // Past the request body limit (1 MiB by default) the body is not even read.
    let huge = "a".repeat(1_100_000);
    let (status, _) = json_of(
        app.post_json(
            "/api/v1/texts/analyse",
            &json!({"language": "en", "text": huge}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 413);
}

#[tokio::test]
async fn oversized_batches_deck_names_and_descriptions_are_refused() {
    let app = TestApp::spawn().await;
    let learner = app.register_learner("bounds@example.org").await;
    let deck = app.create_deck(&learner, "Mine").await;

    let lemmas: Vec<String> = (0..501)
        .map(|i| format!("word{}", "a".repeat(i % 7)))
        .collect();
    let lemmas: Vec<&str> = lemmas.iter().map(String::as_str).collect();
    let (status, problem) = app.add_words(&learner, &deck, english_words(&lemmas)).await;
    assert_eq!(status, 422, "{problem}");
    assert!(field_of(&problem).contains("words"), "{problem}");

    let review = json!({"card_id": uuid::Uuid::new_v4(), "rating": 3,
        "reviewed_at": chrono::Utc::now(), "client_review_id": "r"});
    let (status, problem) = app
        .post_with(
            &learner.token,
            "/api/v1/reviews/batch",
            json!({"reviews": vec![review; 1001]}),
        )
        .await;
    assert_eq!(status, 422, "{problem}");
    assert!(field_of(&problem).contains("reviews"), "{problem}");

    for body in [
        json!({"name": "n".repeat(101)}),
        json!({"name": "exe\u{202E}gpj"}),
        json!({"name": "fine", "description": "d".repeat(2001)}),
    ] {
        let (status, problem) = app.post_with(&learner.token, "/api/v1/decks", body).await;
        assert_eq!(status, 422, "{problem}");
    }
}

#[tokio::test]
async fn the_openapi_document_states_the_limits() {
    let app = TestApp::spawn().await;
    let (status, doc) = json_of(app.get("/api/v1/openapi.json").await).await;
    assert_eq!(status, 200);
    let schemas = &doc["components"]["schemas"];
    assert_eq!(schemas["AddWords"]["properties"]["words"]["maxItems"], 500);
    assert_eq!(
        schemas["BatchInput"]["properties"]["reviews"]["maxItems"],
        1000
    );
    assert_eq!(schemas["DeckInput"]["properties"]["name"]["maxLength"], 100);
    assert_eq!(
        schemas["AnalyseRequest"]["properties"]["text"]["maxLength"],
        50000
    );
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("lingo-{name}-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).expect("dir");
    dir
}

async fn spawn_with_root(root: &Path, uploads: &Path) -> TestApp {
    let roots = format!("{},{}", root.display(), uploads.display());
    let uploads = uploads.to_string_lossy().into_owned();
    TestApp::spawn_with(&[
        ("LINGO_IMPORT_ROOTS", roots.as_str()),
        ("LINGO_IMPORT_UPLOAD_DIR", uploads.as_str()),
    ])
    .await
}

#[tokio::test]
async fn an_import_whose_dict_file_links_outside_the_roots_fails_for_good() {
    let root = temp_dir("import-root");
    let uploads = temp_dir("import-uploads");
    std::fs::copy(
        dictfiles("dictd/tiny-eng-ara.index"),
        root.join("tiny.index"),
    )
    .expect("copied");
    // The index is inside the root; the dict beside it is a link to a file outside.
    let outside = std::fs::canonicalize(dictfiles("dictd/tiny-eng-ara.dict.dz")).expect("fixture");
    std::os::unix::fs::symlink(&outside, root.join("tiny.dict.dz")).expect("link");
    let app = spawn_with_root(&root, &uploads).await;
    let worker = start_worker(&app);
    let admin = app.token(UserId::new(), Role::Admin).await;
    let (status, accepted) = app
        .post_with(
            &admin,
            "/api/v1/admin/dictionary/imports",
            json!({"format": "dictd", "path": root.join("tiny.index"), "source": "tiny-eng-ara",
                   "licence": "CC0", "language": "en", "translation_language": "ar"}),
        )
        .await;
    assert_eq!(status, 202, "{accepted}");
    let url = accepted["status_url"].as_str().expect("url");
    let job = app.wait_for_job_status(&admin, url, "failed").await;
    worker.stop().await;
    assert!(
        job.to_string().contains("outside the import roots"),
        "{job}"
    );
    let (status, _) = json_of(app.get("/api/v1/dictionary/en/words/bank").await).await;
    assert_eq!(status, 404, "nothing was imported");
    std::fs::remove_dir_all(&root).expect("cleaned up");
}

#[tokio::test]
async fn an_upload_that_breaks_off_leaves_no_file() {
    use tokio::io::AsyncWriteExt;
    let root = temp_dir("import-root");
    let uploads = temp_dir("import-uploads");
    let app = spawn_with_root(&root, &uploads).await;
    let admin = app.token(UserId::new(), Role::Admin).await;
    let address = app.address.trim_start_matches("http://").to_owned();
    let mut stream = tokio::net::TcpStream::connect(&address)
        .await
        .expect("connected");
    let head = format!(
        "POST /api/v1/admin/dictionary/imports/upload?format=csv&source=upload&licence=CC0&language=en HTTP/1.1\r\n\
         Host: {address}\r\nAuthorization: Bearer {admin}\r\nContent-Type: text/csv\r\n\
         Content-Length: 100000\r\n\r\nword,translation\nlibrary,biblioteca\n"
    );
    stream.write_all(head.as_bytes()).await.expect("sent");
    stream.flush().await.expect("flushed");
    // The partial file exists while the body is coming…
    lingo_test_support::eventually("the upload started", || async {
        (std::fs::read_dir(&uploads).expect("dir").count() == 1).then_some(())
    })
    .await;
    // …and is gone once the client goes away mid-body.
    drop(stream);
    lingo_test_support::eventually("the partial upload removed", || async {
        (std::fs::read_dir(&uploads).expect("dir").count() == 0).then_some(())
    })
    .await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    std::fs::remove_dir_all(&root).expect("cleaned up");
    std::fs::remove_dir_all(&uploads).expect("cleaned up");
}
