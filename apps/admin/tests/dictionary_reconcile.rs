//! `lingo-admin dictionary reconcile` as an operator runs it, against this test's stores, with a
//! worker running the job it enqueues.

use chrono::{TimeZone, Utc};
use lingo_dictionary::normalise::fold_key;
use lingo_dictionary::ports::{EntryStore, WordRepository};
use lingo_dictionary::{Entry, PartOfSpeech, Provenance, Sense, SourceId};
use lingo_kernel::LanguageCode;
use lingo_mongo::MongoEntryStore;
use lingo_postgres::PgWordRepository;
use lingo_test_support::TestStores;
use lingo_worker::jobs::{JobDeps, registry};
use lingo_worker::{Worker, WorkerSettings};
use std::process::{Command, Output};
use std::sync::Arc;
use std::time::Duration;

const LEMMAS: [&str; 3] = ["apple", "pear", "plum"];

fn entry(lemma: &str) -> Entry {
    Entry {
        language: LanguageCode::english(),
        lemma: lemma.into(),
        headword: lemma.into(),
        part_of_speech: PartOfSpeech::parse("noun"),
        discriminator: "noun".into(),
        senses: vec![Sense {
            gloss: "a fruit".into(),
            examples: vec![],
            tags: vec![],
            synonyms: vec![],
        }],
        pronunciations: vec![],
        translations: vec![],
        forms: vec![],
        provenance: Provenance {
            source: SourceId::parse("cli-fruit").expect("valid"),
            licence: "CC0".into(),
            retrieved_at: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
            origin: None,
        },
    }
}

async fn reconcile(t: &TestStores, wait: bool) -> (String, String) {
    let mut args = vec![
        "dictionary",
        "reconcile",
        "--language",
        "en",
        "--source",
        "cli-fruit",
    ];
    if wait {
        args.push("--wait");
    }
    let args: Vec<String> = args.into_iter().map(str::to_owned).collect();
    let env = t.child_env();
    let output: Output = tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_lingo-admin"))
            .args(args)
            .envs(env)
            .env("LINGO_LOG", "warn")
            .output()
            .expect("lingo-admin runs")
    })
    .await
    .expect("joined");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "{stdout}\n{stderr}");
    let id = stdout
        .split_whitespace()
        .next()
        .expect("a job id first")
        .to_owned();
    (id, stdout)
}

#[tokio::test]
async fn reconcile_enqueues_one_job_a_day_and_waits_for_its_report() {
    let t = TestStores::new(&[]).await;
    let entries: Vec<Entry> = LEMMAS.iter().map(|l| entry(l)).collect();
    MongoEntryStore::new(&t.stores.mongo)
        .put_entries(&entries)
        .await
        .expect("entries without their rows");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let settings = WorkerSettings {
        name: "admin-test".into(),
        concurrency: 1,
        retry: Default::default(),
        retry_window: Duration::ZERO,
        poll_block: Duration::from_millis(200),
        heartbeat_every: Duration::from_secs(5),
        shutdown_grace: Duration::from_secs(1),
    };
    let deps = JobDeps::new(&t.stores, Duration::from_secs(3600));
    let worker = tokio::spawn(
        Worker::new(Arc::new(t.stores.jobs.clone()), registry(deps), settings).run(async move {
            let _ = stopped.await;
        }),
    );

    let (id, out) = reconcile(&t, true).await;
    assert!(out.contains("Created"), "{out}");
    assert!(out.contains("\"words_upserted\": 3"), "{out}");
    assert!(out.contains("\"entries_seen\": 3"), "{out}");
    let keys: Vec<String> = LEMMAS.iter().map(|l| fold_key(l)).collect();
    let rows = PgWordRepository::new(t.stores.postgres.clone())
        .find(&LanguageCode::english(), &keys)
        .await
        .expect("rows");
    assert_eq!(rows.len(), 3);

    let (again, out) = reconcile(&t, false).await;
    assert_eq!(again, id, "the same source the same day is the same job");
    assert!(out.contains("AlreadyExists"), "{out}");
    let _ = stop.send(());
    worker.await.expect("worker stopped");
}
