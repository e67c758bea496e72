//! Reconciliation of word rows with a source's entries: an import that died between its MongoDB
//! write and its PostgreSQL upsert is repaired through the admin route and the worker.

use crate::admin_jobs::start_worker;
use async_trait::async_trait;
use diesel_async::RunQueryDsl;
use lingo_dictionary::SourceId;
use lingo_dictionary::Zipf;
use lingo_dictionary::ports::{EntryStore, FrequencySource};
use lingo_dictionary::reconcile::ReconcileWords;
use lingo_kernel::jobs::{JobContext, JobId, JobProgress, ProgressSink};
use lingo_kernel::{LanguageCode, UserId};
use lingo_mongo::MongoEntryStore;
use lingo_test_support::{TestApp, dictfiles};
use lingo_users::Role;
use serde_json::json;
use std::sync::Arc;

const SOURCE: &str = "wordnet-3.0";

#[derive(diesel::QueryableByName)]
struct Row {
    #[diesel(sql_type = diesel::sql_types::Text)]
    row: String,
}

/// The words rows of the source, one JSON object each, in a fixed order; `with_times` adds
/// the row's id and timestamps (what a second run must not touch either).
async fn rows(app: &TestApp, with_times: bool) -> Vec<String> {
    let extra = if with_times {
        ", id, created_at, updated_at"
    } else {
        ""
    };
    let sql = format!(
        "SELECT row_to_json(t)::text AS row FROM (SELECT language, lemma, lemma_key, \
         part_of_speech, zipf, cefr, sources{extra} FROM words WHERE '{SOURCE}' = ANY(sources) \
         ORDER BY lemma, part_of_speech) t"
    );
    let mut conn = app.stores.stores.postgres.get().await.expect("connection");
    diesel::sql_query(sql)
        .load::<Row>(&mut conn)
        .await
        .expect("rows")
        .into_iter()
        .map(|r| r.row)
        .collect()
}

/// Deletes every other row of the source (the ones the dead import never wrote); how many.
async fn lose_half_the_rows(app: &TestApp) -> usize {
    let sql = format!(
        "DELETE FROM words WHERE id IN (SELECT id FROM (SELECT id, row_number() OVER \
         (ORDER BY lemma, part_of_speech) AS n FROM words WHERE '{SOURCE}' = ANY(sources)) s \
         WHERE n % 2 = 1)"
    );
    let mut conn = app.stores.stores.postgres.get().await.expect("connection");
    diesel::sql_query(sql)
        .execute(&mut conn)
        .await
        .expect("deleted")
}

struct NoProgress;

#[async_trait]
impl ProgressSink for NoProgress {
    async fn report(&self, _job: JobId, _progress: &JobProgress) {}
}

#[tokio::test]
async fn reconciling_restores_the_rows_a_dead_import_left_out_and_a_second_run_changes_nothing() {
    let app = TestApp::spawn_with(&[("LINGO_IMPORT_ROOTS", &dictfiles(""))]).await;
    let worker = start_worker(&app);
    let admin = app.token(UserId::new(), Role::Admin).await;
    let en = LanguageCode::english();
    let zipf = |z| Zipf::new(z).expect("valid zipf");
    let frequencies = [("bank".into(), zipf(5.1)), ("run".into(), zipf(5.6))];
    FrequencySource::load(app.services.frequencies.as_ref(), &en, &frequencies)
        .await
        .expect("frequencies");
    let imported = app
        .import_dictionary(
            &admin,
            json!({"format": "wordnet", "path": dictfiles("wordnet"),
                "source": SOURCE, "licence": "WordNet-3.0", "language": "en"}),
        )
        .await;
    assert_eq!(imported["status"], "succeeded");
    let source = SourceId::parse(SOURCE).expect("valid");
    let entries = MongoEntryStore::new(&app.stores.stores.mongo)
        .count_of_source(&en, &source)
        .await
        .expect("counted");
    assert!(entries >= 4, "{entries}");
    let whole = rows(&app, false).await;
    assert!(whole.len() >= 4, "{whole:?}");
    assert!(whole.iter().any(|r| r.contains("\"cefr\":\"")), "{whole:?}");

    let lost = lose_half_the_rows(&app).await;
    assert!(lost >= 2);
    assert_eq!(rows(&app, false).await.len(), whole.len() - lost);

    let body = json!({"language": "en", "source": SOURCE});
    let (status, accepted) = app
        .post_with(&admin, "/api/v1/admin/dictionary/reconcile", body.clone())
        .await;
    assert_eq!(status, 202, "{accepted}");
    let job = app
        .wait_for_job(&admin, accepted["status_url"].as_str().expect("url"))
        .await;
    assert_eq!(job["type"], "dictionary.reconcile", "{job}");
    let report = &job["result"];
    assert_eq!(report["entries_seen"], entries, "{job}");
    assert_eq!(report["words_upserted"], lost as u64, "{job}");
    assert_eq!(report["entries_corrupt"], 0, "{job}");
    let counters = &job["progress"]["counters"];
    assert_eq!(counters["entries_seen"], entries, "{job}");
    assert_eq!(counters["words_upserted"], lost as u64, "{job}");
    assert_eq!(job["progress"]["percent"], 100.0, "{job}");
    assert_eq!(
        rows(&app, false).await,
        whole,
        "the rows are back as imported"
    );

    // Asked again the same day: the same job, not a new run.
    let (status, again) = app
        .post_with(&admin, "/api/v1/admin/dictionary/reconcile", body)
        .await;
    assert_eq!((status, &again["id"]), (202, &accepted["id"]), "{again}");

    // Run again (as tomorrow's job would): nothing to write, nothing touched.
    let before = rows(&app, true).await;
    let ctx = JobContext::new(JobId::new(), 1, 10, Arc::new(NoProgress));
    let second = app
        .services
        .job_deps
        .reconcile
        .run(
            &ctx,
            &ReconcileWords {
                language: en,
                source,
            },
        )
        .await
        .expect("reconciled");
    assert_eq!((second.entries_seen, second.words_upserted), (entries, 0));
    assert_eq!(rows(&app, true).await, before);
    worker.stop().await;
}

#[tokio::test]
async fn reconcile_requests_are_for_administrators_and_name_a_valid_source() {
    let app = TestApp::spawn().await;
    let learner = app.token(UserId::new(), Role::Learner).await;
    let admin = app.token(UserId::new(), Role::Admin).await;
    let path = "/api/v1/admin/dictionary/reconcile";
    let (status, _) = app
        .post_with(&learner, path, json!({"language": "en", "source": SOURCE}))
        .await;
    assert_eq!(status, 403);
    let (status, problem) = app
        .post_with(
            &admin,
            path,
            json!({"language": "en", "source": "Not A Source"}),
        )
        .await;
    assert_eq!(status, 422, "{problem}");
    let (status, problem) = app
        .post_with(&admin, path, json!({"language": "?", "source": SOURCE}))
        .await;
    assert_eq!(status, 422, "{problem}");
    let (_, doc) = lingo_test_support::json_of(app.get("/api/v1/openapi.json").await).await;
    let route = &doc["paths"][path]["post"];
    for status in ["202", "401", "403", "422"] {
        assert!(
            route["responses"].get(status).is_some(),
            "{status}: {route}"
        );
    }
    assert!(
        doc["components"]["schemas"]
            .get("ReconcileRequest")
            .is_some()
    );
}
