//! The study session: one call gives the next cards with both faces, their previews and what is
//! left today; generated content shows on the back once it exists.

use crate::admin_jobs::start_worker;
use lingo_kernel::UserId;
use lingo_test_support::{TestApp, dictfiles, json_of};
use lingo_users::Role;
use serde_json::json;

async fn import_fixtures(app: &TestApp) {
    let worker = start_worker(app);
    let admin = app.token(UserId::new(), Role::Admin).await;
    for body in [
        json!({"format": "wordnet", "path": dictfiles("wordnet"), "source": "wordnet-3.0", "licence": "WordNet-3.0", "language": "en"}),
        json!({"format": "dictd", "path": dictfiles("dictd/tiny-eng-ara.index"), "source": "tiny-eng-ara", "licence": "CC0", "language": "en", "translation_language": "ar"}),
    ] {
        app.import_dictionary(&admin, body).await;
    }
    worker.stop().await;
}

#[tokio::test]
async fn a_session_gives_both_faces_previews_and_what_is_left_in_one_call() {
    let roots = dictfiles("");
    let app = TestApp::spawn_with(&[("LINGO_IMPORT_ROOTS", roots.as_str())]).await;
    import_fixtures(&app).await;
    let omar = app.register_learner("omar@example.org").await;
    let (status, me) = app
        .patch_with(
            &omar.token,
            "/api/v1/me",
            json!({"profile": {"native_language": "ar", "daily_new_limit": 3}}),
        )
        .await;
    assert_eq!(status, 200, "{me}");
    let deck = app.create_deck(&omar, "Kitchen").await;
    let (status, added) = app
        .add_words(
            &omar,
            &deck,
            json!([
                {"language": "en", "lemma": "bank"},
                {"language": "en", "lemma": "house"},
                {"language": "en", "lemma": "tea"},
                {"language": "en", "lemma": "read"},
            ]),
        )
        .await;
    assert!(status == 200 || status == 201, "{added}");

    let (status, session) = app
        .get_with(&omar.token, "/api/v1/study/session?limit=2")
        .await;
    assert_eq!(status, 200, "{session}");
    let items = session["items"].as_array().expect("items");
    assert_eq!(items.len(), 2);
    for item in items {
        let lemma = item["back"]["lemma"].as_str().expect("lemma");
        assert!(["bank", "house", "tea", "read"].contains(&lemma), "{item}");
        assert!(item["card"]["id"].is_string());
        for answer in ["again", "hard", "good", "easy"] {
            assert!(item["preview"][answer].is_string(), "{item}");
        }
        let front = &item["front"];
        match item["card"]["card_type"].as_str().expect("type") {
            "recall" => assert_eq!(front["kind"], "meaning", "{item}"),
            _ => {
                assert_eq!(front["kind"], "lemma");
                assert_eq!(front["text"], lemma);
            }
        }
        // The back comes from the dictionary: an Arabic translation from FreeDict-style data.
        let translations = item["back"]["translations"]
            .as_array()
            .expect("translations");
        assert!(!translations.is_empty(), "{item}");
        assert_eq!(item["back"]["content"]["status"], "missing");
    }
    // Three new cards a day: two here, at most one left.
    assert!(
        session["remaining"]["new"].as_u64().expect("new") <= 1,
        "{session}"
    );
    assert_eq!(session["remaining"]["review"], 0);

    // Generated content shows on the back once it exists, without another request per card.
    let bank = items
        .iter()
        .find(|i| i["back"]["lemma"] == "bank")
        .or_else(|| items.first())
        .expect("an item");
    let word = bank["card"]["word_id"].as_str().expect("word").to_owned();
    let worker = start_worker(&app);
    let ready = app.wait_for_content(&omar.token, &word, "").await;
    worker.stop().await;
    let (_, again) = app
        .get_with(&omar.token, "/api/v1/study/session?limit=2")
        .await;
    let same = again["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["card"]["word_id"] == word.as_str())
        .expect("the same card")
        .clone();
    assert_eq!(same["back"]["content"]["status"], "ready", "{same}");
    assert_eq!(same["back"]["content"]["version"], ready["version"]);
    assert!(same["back"]["definition"].is_string(), "{same}");
    assert!(
        same.to_string().len() < 3_000,
        "an item stays within its payload budget"
    );
}

#[tokio::test]
async fn a_session_is_for_a_signed_in_learner_and_its_size_is_bounded() {
    let app = TestApp::spawn().await;
    assert_eq!(app.get("/api/v1/study/session").await.status(), 401);
    let sara = app.register_learner("sara@example.org").await;
    let (status, empty) = app.get_with(&sara.token, "/api/v1/study/session").await;
    assert_eq!(status, 200);
    assert_eq!(empty["items"], json!([]));
    let (status, problem) = app
        .get_with(&sara.token, "/api/v1/study/session?limit=500")
        .await;
    assert_eq!(status, 422, "{problem}");
}

#[tokio::test]
async fn content_is_prepared_for_words_added_to_a_deck_without_a_request_per_card() {
    let roots = dictfiles("");
    let app = TestApp::spawn_with(&[
        ("LINGO_IMPORT_ROOTS", roots.as_str()),
        // A quota of one: preparation must not spend it.
        ("LINGO_CONTENT_DAILY_QUOTA", "1"),
    ])
    .await;
    import_fixtures(&app).await;
    let omar = app.register_learner("omar@example.org").await;
    let (status, me) = app
        .patch_with(
            &omar.token,
            "/api/v1/me",
            json!({"profile": {"native_language": "ar"}}),
        )
        .await;
    assert_eq!(status, 200, "{me}");
    let deck = app.create_deck(&omar, "Home").await;
    let (status, added) = app
        .add_words(
            &omar,
            &deck,
            json!([
                {"language": "en", "lemma": "bank"},
                {"language": "en", "lemma": "house"},
                {"language": "en", "lemma": "tea"},
            ]),
        )
        .await;
    assert!(status == 200 || status == 201, "{added}");
    let worker = start_worker(&app);
    let session = lingo_test_support::eventually("prepared content on every card", || async {
        let (_, session) = app
            .get_with(&omar.token, "/api/v1/study/session?limit=10")
            .await;
        let items = session["items"].as_array()?.clone();
        let ready = !items.is_empty()
            && items
                .iter()
                .all(|i| i["back"]["content"]["status"] == "ready");
        ready.then_some(session)
    })
    .await;
    worker.stop().await;
    assert!(session["items"].as_array().expect("items").len() >= 3);
    // The learner's quota is untouched: their first request of another key still starts one.
    let word = session["items"][0]["card"]["word_id"]
        .as_str()
        .expect("word")
        .to_owned();
    let (status, body) = app.word_content(&omar.token, &word, "?level=C1").await;
    assert_eq!(status, 202, "{body}");
}

/// Whether espeak-ng and opusenc run here (`deploy/local/stack.sh stores` installs them).
fn speech_engine_installed() -> bool {
    let runs = |program: &str| {
        std::process::Command::new(program)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    };
    let installed = runs("espeak-ng") && runs("opusenc");
    if !installed {
        eprintln!(
            "SKIPPED: espeak-ng or opusenc missing (deploy/local/stack.sh stores installs them)"
        );
    }
    installed
}

#[tokio::test]
async fn a_session_audio_url_plays_with_ranges_and_revalidation() {
    if !speech_engine_installed() {
        return;
    }
    let roots = dictfiles("");
    let app = TestApp::spawn_with(&[("LINGO_IMPORT_ROOTS", roots.as_str())]).await;
    import_fixtures(&app).await;
    let omar = app.register_learner("omar@example.org").await;
    let deck = app.create_deck(&omar, "Home").await;
    let (status, added) = app
        .add_words(&omar, &deck, json!([{"language": "en", "lemma": "house"}]))
        .await;
    assert!(status == 200 || status == 201, "{added}");
    let (_, first) = app.get_with(&omar.token, "/api/v1/study/session").await;
    let back = &first["items"][0]["back"];
    assert_eq!(back["audio_url"], serde_json::Value::Null, "{first}");
    assert_eq!(back["audio_pending"], true, "{first}");

    let worker = start_worker(&app);
    let url = lingo_test_support::eventually("rendered audio in the session", || async {
        let (_, session) = app.get_with(&omar.token, "/api/v1/study/session").await;
        session["items"][0]["back"]["audio_url"]
            .as_str()
            .map(str::to_owned)
    })
    .await;
    worker.stop().await;
    assert!(url.starts_with("/api/v1/audio/"), "{url}");

    let whole = app.get(&url).await;
    assert_eq!(whole.status(), 200);
    assert_eq!(whole.headers()["content-type"], "audio/ogg");
    assert_eq!(whole.headers()["accept-ranges"], "bytes");
    assert_eq!(
        whole.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    let etag = whole.headers()["etag"].to_str().expect("etag").to_owned();
    assert!(etag.starts_with('"'), "a strong tag: {etag}");
    let bytes = whole.bytes().await.expect("body");
    assert!(bytes.starts_with(b"OggS"));
    let len = bytes.len();

    let client = reqwest::Client::new();
    let at = app.url(&url);
    let not_modified = client
        .get(&at)
        .header("if-none-match", &etag)
        .send()
        .await
        .expect("sent");
    assert_eq!(not_modified.status(), 304);
    assert_eq!(
        not_modified.headers()["etag"].to_str().ok(),
        Some(etag.as_str())
    );

    let part = client
        .get(&at)
        .header("range", "bytes=0-99")
        .send()
        .await
        .expect("sent");
    assert_eq!(part.status(), 206);
    assert_eq!(
        part.headers()["content-range"].to_str().ok(),
        Some(format!("bytes 0-99/{len}").as_str())
    );
    assert_eq!(part.bytes().await.expect("body"), bytes.slice(0..100));

    let past = client
        .get(&at)
        .header("range", format!("bytes={len}-"))
        .send()
        .await
        .expect("sent");
    assert_eq!(past.status(), 416);
    assert_eq!(
        past.headers()["content-range"].to_str().ok(),
        Some(format!("bytes */{len}").as_str())
    );
    // Another tag in If-Range: the whole file, not a part of something else.
    let stale = client
        .get(&at)
        .header("range", "bytes=0-9")
        .header("if-range", "\"0000\"")
        .send()
        .await
        .expect("sent");
    assert_eq!(stale.status(), 200);

    assert_eq!(
        app.get("/api/v1/audio/0123456789abcdef0123456789abcdef")
            .await
            .status(),
        404
    );
    assert_eq!(app.get("/api/v1/audio/..%2F..%2Fetc").await.status(), 404);
}

#[tokio::test]
async fn a_lookup_names_the_rendered_audio_once_the_worker_made_it() {
    if !speech_engine_installed() {
        return;
    }
    let roots = dictfiles("");
    let app = TestApp::spawn_with(&[
        ("LINGO_IMPORT_ROOTS", roots.as_str()),
        ("LINGO_DICTIONARY_PROVIDERS", "none"),
        // A pending lookup is kept for 5 s: polling it every 50 ms passes 60 a minute.
        ("LINGO_RATE_LIMIT_ANONYMOUS_PER_MINUTE", "1000"),
    ])
    .await;
    import_fixtures(&app).await;
    let (status, first) = json_of(app.get("/api/v1/dictionary/en/words/bank").await).await;
    assert_eq!(status, 200, "{first}");
    assert!(first.get("audio_url").is_none(), "{first}");
    assert_eq!(first["audio_pending"], true, "{first}");
    let worker = start_worker(&app);
    let url = lingo_test_support::eventually("rendered audio in the lookup", || async {
        let (_, lookup) = json_of(app.get("/api/v1/dictionary/en/words/bank").await).await;
        lookup["audio_url"].as_str().map(str::to_owned)
    })
    .await;
    worker.stop().await;
    let audio = app.get(&url).await;
    assert_eq!(audio.status(), 200);
    assert_eq!(audio.headers()["content-type"], "audio/ogg");
}
