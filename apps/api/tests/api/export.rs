//! Taking data out: a deck as CSV and as an Anki package that Anki's own library imports, the
//! complete account export at once and as a file written by the worker, and the purge of old
//! sync tombstones.

use crate::admin_jobs::start_worker_with;
use crate::auth_password::spawn;
use flate2::read::GzDecoder;
use lingo_test_support::{Learner, TestApp, english_words};
use reqwest::Method;
use serde_json::{Value, json};
use std::io::Read;
use std::path::{Path, PathBuf};

/// A deck with "harbour" (material on its recognition card, reviewed once) and "lantern".
pub(crate) async fn studied_deck(app: &TestApp, learner: &Learner) -> String {
    let deck = app.create_deck(learner, "Sea words").await;
    let (status, body) = app
        .add_words(learner, &deck, english_words(&["harbour", "lantern"]))
        .await;
    assert_eq!(status, 200, "{body}");
    let cards = app.cards(learner, "lemma=harb").await;
    let card = cards
        .iter()
        .find(|c| c["card_type"] == "recognition")
        .expect("a recognition card");
    let id = card["id"].as_str().expect("id");
    let (status, body) = app
        .patch_with(
            &learner.token,
            &format!("/api/v1/cards/{id}"),
            json!({"note": "boats, \"sleeping\"\nhere", "translation": "bandar",
                   "tags": ["sea", "book:moby"]}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = app
        .post_review(
            learner,
            json!({"card_id": id, "rating": 3, "reviewed_at": chrono::Utc::now(),
                   "client_review_id": "export-1"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    deck
}

pub(crate) async fn download(app: &TestApp, token: &str, path: &str) -> reqwest::Response {
    app.client
        .get(app.url(path))
        .bearer_auth(token)
        .send()
        .await
        .expect("request sent")
}

/// A minimal RFC 4180 reader (quoted fields, doubled quotes, CRLF rows).
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let (mut rows, mut row, mut field) = (Vec::new(), Vec::new(), String::new());
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    rows
}

#[tokio::test]
async fn a_deck_exports_as_csv_with_its_material_and_schedule() {
    let app = spawn().await;
    let sara = app.register_learner("sara-csv@example.org").await;
    let deck = studied_deck(&app, &sara).await;

    let response = download(
        &app,
        &sara.token,
        &format!("/api/v1/decks/{deck}/export?format=csv"),
    )
    .await;
    assert_eq!(response.status(), 200);
    let headers = response.headers().clone();
    assert_eq!(headers["content-type"], "text/csv; charset=utf-8");
    assert_eq!(
        headers["content-disposition"],
        "attachment; filename=\"Sea_words.csv\""
    );
    let rows = csv_rows(&response.text().await.expect("body"));
    assert_eq!(rows.len(), 5, "a header and four cards: {rows:?}");
    let header = &rows[0];
    assert_eq!(&header[..3], ["lemma", "translation", "note"]);
    let column = |name: &str| header.iter().position(|h| h == name).expect(name);
    let harbour = rows
        .iter()
        .find(|r| r[0] == "harbour" && r[column("card_type")] == "recognition")
        .expect("harbour's recognition card");
    assert_eq!(harbour[column("translation")], "bandar");
    assert_eq!(harbour[column("note")], "boats, \"sleeping\"\nhere");
    assert_eq!(harbour[column("tags")], "book:moby sea");
    assert_eq!(harbour[column("reps")], "1");
    assert_eq!(harbour[column("reviews")], "1");
    assert!(!harbour[column("stability")].is_empty(), "{harbour:?}");

    // Not another learner's deck; not an unknown format.
    let omid = app.register_learner("omid-csv@example.org").await;
    let response = download(&app, &omid.token, &format!("/api/v1/decks/{deck}/export")).await;
    assert_eq!(response.status(), 404);
    let response = download(
        &app,
        &sara.token,
        &format!("/api/v1/decks/{deck}/export?format=xlsx"),
    )
    .await;
    assert_eq!(response.status(), 422);
}

fn python() -> PathBuf {
    std::env::var_os("LINGO_TEST_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.dev/venv/bin/python"))
}

#[tokio::test]
async fn a_deck_exported_as_apkg_is_imported_by_anki_with_its_cards_and_review() {
    let app = spawn().await;
    let sara = app.register_learner("sara-apkg@example.org").await;
    let deck = studied_deck(&app, &sara).await;

    let response = download(
        &app,
        &sara.token,
        &format!("/api/v1/decks/{deck}/export?format=apkg"),
    )
    .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/apkg");
    assert_eq!(
        response.headers()["content-disposition"],
        "attachment; filename=\"Sea_words.apkg\""
    );
    let package = response.bytes().await.expect("body");
    assert!(package.starts_with(b"PK"), "a zip");

    let dir = std::env::temp_dir().join(format!("lingo-export-test-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).expect("scratch");
    let path = dir.join("deck.apkg");
    std::fs::write(&path, &package).expect("written");
    let script =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../adapters/apkg/tests/read_apkg.py");
    let output = std::process::Command::new(python())
        .arg(script)
        .arg(&path)
        .output()
        .expect("python runs (deploy/local/stack.sh venv installs anki)");
    std::fs::remove_dir_all(&dir).expect("cleaned");
    assert!(
        output.status.success(),
        "Anki refused the package: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let anki: Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(anki["imported_notes"], 2, "{anki}");
    let cards = anki["cards"].as_array().expect("cards");
    assert_eq!(cards.len(), 4, "{anki}");
    assert!(cards.iter().all(|c| c["deck"] == "Sea words"), "{anki}");
    assert_eq!(cards.iter().filter(|c| c["reps"] == 1).count(), 1, "{anki}");
    assert_eq!(
        anki["revlog"].as_array().expect("revlog").len(),
        1,
        "{anki}"
    );
    let harbour = anki["notes"]
        .as_array()
        .expect("notes")
        .iter()
        .find(|n| n["fields"]["Lemma"] == "harbour")
        .expect("harbour");
    assert_eq!(harbour["fields"]["Translation"], "bandar");
    assert_eq!(harbour["fields"]["Note"], "boats, \"sleeping\"<br>here");
}

fn count(export: &Value, section: &str) -> usize {
    export[section]
        .as_array()
        .unwrap_or_else(|| panic!("{section} in {export}"))
        .len()
}

#[tokio::test]
async fn the_export_at_once_holds_decks_cards_review_logs_and_devices_without_their_tokens() {
    let app = spawn().await;
    let sara = app.register_learner("sara-now@example.org").await;
    studied_deck(&app, &sara).await;
    let push_token = "740f4707bebcf74f9b7c25d48e3358945f6aa01da5ddb387462c7eaf61bb78ad";
    let device = json!({"platform": "ios", "push_token": push_token, "app_version": "2.4.1", "locale": "fa"});
    let (status, body) = app
        .send_with(
            &sara.token,
            Method::PUT,
            "/api/v1/me/devices",
            Some(&device),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, export) = app.get_with(&sara.token, "/api/v1/me/export").await;
    assert_eq!(status, 200, "{export}");
    assert_eq!(export["format_version"], 2);
    assert_eq!(count(&export, "devices"), 1);
    assert_eq!(export["devices"][0]["platform"], "ios");
    assert_eq!(export["devices"][0]["app_version"], "2.4.1");
    assert_eq!(export["devices"][0]["id"], body["id"]);
    assert!(
        !export.to_string().contains(push_token),
        "the push token is a credential and stays out of the export"
    );
    assert_eq!(export["account"]["email"], "sara-now@example.org");
    assert_eq!(count(&export, "decks"), 1);
    assert_eq!(count(&export, "cards"), 4);
    assert_eq!(count(&export, "review_logs"), 1);
    assert_eq!(export["review_logs"][0]["rating"], 3);
    for section in [
        "quizzes",
        "fsrs_parameters",
        "activity_days",
        "content_requests",
        "jobs",
        "notifications",
        "reminders_sent",
    ] {
        assert!(export[section].is_array(), "{section}: {export}");
    }
    let harbour = export["cards"]
        .as_array()
        .expect("cards")
        .iter()
        .find(|c| c["lemma"] == "harbour" && c["card_type"] == "recognition")
        .expect("harbour");
    assert_eq!(harbour["tags"], json!(["book:moby", "sea"]));
}

#[tokio::test]
async fn the_export_file_is_written_by_the_worker_and_downloaded_by_its_owner_until_it_expires() {
    let app = spawn().await;
    let _worker = start_worker_with(&app, app.services.job_deps.clone());
    let sara = app.register_learner("sara-file@example.org").await;
    studied_deck(&app, &sara).await;

    let (status, accepted) = app
        .post_with(&sara.token, "/api/v1/me/export", json!(null))
        .await;
    assert_eq!(status, 202, "{accepted}");
    let (_, again) = app
        .post_with(&sara.token, "/api/v1/me/export", json!(null))
        .await;
    assert_eq!(again["job_id"], accepted["job_id"], "one job a day");
    let job = app
        .wait_for_job(&sara.token, accepted["status_url"].as_str().expect("url"))
        .await;
    let url = job["result"]["download_url"]
        .as_str()
        .expect("download url")
        .to_owned();
    assert_eq!(
        url,
        format!(
            "/api/v1/me/export/{}",
            accepted["job_id"].as_str().expect("id")
        )
    );

    let response = download(&app, &sara.token, &url).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/gzip");
    let gzip = response.bytes().await.expect("body");
    assert_eq!(job["result"]["bytes"], gzip.len());
    let mut json = String::new();
    GzDecoder::new(&gzip[..])
        .read_to_string(&mut json)
        .expect("gzip");
    let export: Value = serde_json::from_str(&json).expect("json");
    assert_eq!(count(&export, "decks"), 1);
    assert_eq!(count(&export, "cards"), 4);
    assert_eq!(count(&export, "review_logs"), 1);
    assert!(
        export["jobs"]
            .as_array()
            .expect("jobs")
            .iter()
            .any(|j| j["kind"] == "account.export"),
        "{export}"
    );

    let omid = app.register_learner("omid-file@example.org").await;
    assert_eq!(download(&app, &omid.token, &url).await.status(), 404);
    assert_eq!(
        download(&app, &sara.token, "/api/v1/me/export/not-an-id")
            .await
            .status(),
        404
    );

    app.clock.advance(chrono::Duration::days(8));
    let sara_later = app.token(sara.id, lingo_users::Role::Learner).await;
    assert_eq!(
        download(&app, &sara_later, &url).await.status(),
        404,
        "expired"
    );
    let purged = app
        .services
        .account_exports
        .purge_expired()
        .await
        .expect("purged");
    assert_eq!(purged.deleted, 1);
}

async fn tombstones(app: &TestApp, learner: &Learner) -> i64 {
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    use diesel_async::RunQueryDsl;
    let mut conn = app.stores.stores.postgres.get().await.expect("connection");
    diesel::sql_query(format!(
        "SELECT count(*) AS n FROM sync_tombstones WHERE user_id = '{}'",
        learner.id
    ))
    .get_result::<Count>(&mut conn)
    .await
    .expect("counted")
    .n
}

#[tokio::test]
async fn tombstones_older_than_the_sync_bound_are_purged_by_the_job_and_newer_ones_kept() {
    use diesel_async::RunQueryDsl;
    let app = spawn().await;
    let sara = app.register_learner("sara-graves@example.org").await;
    let old = app.create_deck(&sara, "Old").await;
    let recent = app.create_deck(&sara, "Recent").await;
    for deck in [&old, &recent] {
        let (status, _) = app
            .delete_with(&sara.token, &format!("/api/v1/decks/{deck}"))
            .await;
        assert_eq!(status, 204);
    }
    assert_eq!(tombstones(&app, &sara).await, 2);
    let mut conn = app.stores.stores.postgres.get().await.expect("connection");
    diesel::sql_query(format!(
        "UPDATE sync_tombstones SET deleted_at = now() - interval '401 days' WHERE entity_id = '{old}'"
    ))
    .execute(&mut conn)
    .await
    .expect("aged");

    let _worker = start_worker_with(&app, app.services.job_deps.clone());
    let admin = app
        .token(lingo_kernel::UserId::new(), lingo_users::Role::Admin)
        .await;
    for round in 0..2 {
        let done = crate::admin_jobs::run_job(
            &app,
            &admin,
            &lingo_learning::purge_tombstones::PurgeTombstones {},
        )
        .await;
        let expected = if round == 0 { 1 } else { 0 };
        assert_eq!(done["result"]["deleted"], expected, "{done}");
        assert_eq!(tombstones(&app, &sara).await, 1, "the recent one stays");
    }
}

#[tokio::test]
async fn the_export_holds_the_learners_notifications_and_reminder_days_and_no_one_elses() {
    use diesel_async::RunQueryDsl;
    let app = spawn().await;
    let sara = app.register_learner("sara-notes@example.org").await;
    let other = app.register_learner("omid-notes@example.org").await;
    let mut conn = app.stores.stores.postgres.get().await.expect("connection");
    for (learner, title) in [(&sara, "وقت مرور است"), (&other, "Omid has cards waiting")]
    {
        diesel::sql_query(format!(
            "INSERT INTO notifications (id, user_id, kind, title, body, created_at, read_at) \
             VALUES ('{}', '{}', 'reminder', '{title}', 'Five cards are waiting', now(), now())",
            uuid::Uuid::now_v7(),
            learner.id
        ))
        .execute(&mut conn)
        .await
        .expect("notification");
        diesel::sql_query(format!(
            "INSERT INTO reminder_sends (user_id, day, sent_at) VALUES ('{}', '2026-12-03', now())",
            learner.id
        ))
        .execute(&mut conn)
        .await
        .expect("record");
    }
    let (status, export) = app.get_with(&sara.token, "/api/v1/me/export").await;
    assert_eq!(status, 200, "{export}");
    assert_eq!(count(&export, "notifications"), 1, "{export}");
    assert_eq!(export["notifications"][0]["title"], "وقت مرور است");
    assert_eq!(export["notifications"][0]["kind"], "reminder");
    assert!(
        export["notifications"][0]["read_at"].is_string(),
        "{export}"
    );
    assert_eq!(count(&export, "reminders_sent"), 1, "{export}");
    assert_eq!(export["reminders_sent"][0]["day"], "2026-12-03");
    assert!(!export.to_string().contains("Omid has cards waiting"));
}
