use crate::fakes::*;
use async_trait::async_trait;
use lingo_dictionary::lookup::cache_key;
use lingo_dictionary::ports::WordRepository;
use lingo_dictionary::reconcile::{
    ReconcileDeps, ReconcileReport, ReconcileService, ReconcileSettings, ReconcileWords,
};
use lingo_dictionary::{PartOfSpeech, SourceId, WordUpsert};
use lingo_kernel::CefrLevel;
use lingo_kernel::cache::Cache;
use lingo_kernel::jobs::{JobContext, JobId, JobProgress, ProgressSink};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Default)]
struct Progress(Mutex<Vec<JobProgress>>);

#[async_trait]
impl ProgressSink for Progress {
    async fn report(&self, _job: JobId, progress: &JobProgress) {
        self.0.lock().unwrap().push(progress.clone());
    }
}

fn source(raw: &str) -> SourceId {
    SourceId::parse(raw).unwrap()
}

fn job(raw: &str) -> ReconcileWords {
    ReconcileWords {
        language: en(),
        source: source(raw),
    }
}

/// A world whose entry store holds `entries` and whose service pages two entries at a time.
fn service(world: &World) -> ReconcileService {
    ReconcileService::new(
        ReconcileDeps {
            entries: world.entries.clone(),
            words: world.words.clone(),
            frequencies: world.frequencies.clone(),
            cache: world.cache.clone(),
        },
        ReconcileSettings {
            page_size: 2,
            ..ReconcileSettings::default()
        },
    )
}

async fn reconcile(world: &World, raw: &str) -> (ReconcileReport, Vec<JobProgress>) {
    let progress = Arc::new(Progress::default());
    let ctx = JobContext::new(JobId::new(), 1, 10, progress.clone());
    let report = service(world)
        .run(&ctx, &job(raw))
        .await
        .expect("reconciled");
    let reported = progress.0.lock().unwrap().clone();
    (report, reported)
}

/// A row as the tests compare it: lemma, part of speech, Zipf, CEFR, sources.
type Row = (String, String, Option<f64>, Option<CefrLevel>, Vec<String>);

fn rows(world: &World) -> Vec<Row> {
    let mut rows: Vec<_> = world
        .words
        .0
        .lock()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r.lemma.clone(),
                r.part_of_speech.as_str().to_owned(),
                r.zipf.map(|z| z.get()),
                r.cefr,
                r.sources.iter().map(|s| s.to_string()).collect(),
            )
        })
        .collect();
    rows.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    rows
}

fn wordnet_world() -> World {
    let world = World::new();
    let stored = MemEntries::with(vec![
        entry("wordnet-3.0", "house", "noun", "a dwelling"),
        entry("wordnet-3.0", "go", "verb", "move"),
        entry("wordnet-3.0", "book", "noun", "pages bound together"),
        entry("wordnet-3.0", "book", "verb", "reserve"),
        entry("wordnet-3.0", "child", "noun", "a young person"),
        entry("kaikki-en", "zebra", "noun", "a striped animal"),
    ]);
    World {
        entries: Arc::new(stored),
        ..world
    }
}

#[tokio::test]
async fn missing_rows_come_back_as_the_import_writes_them_and_a_second_run_changes_nothing() {
    let world = wordnet_world();
    // The import got as far as "house" before it died.
    world
        .words
        .upsert(&[WordUpsert {
            language: en(),
            lemma: "house".into(),
            part_of_speech: PartOfSpeech::parse("noun"),
            source: source("wordnet-3.0"),
            zipf: None,
            cefr: None,
        }])
        .await
        .unwrap();
    let house = world.words.0.lock().unwrap()[0].clone();

    let (report, progress) = reconcile(&world, "wordnet-3.0").await;
    assert_eq!(
        (
            report.entries_seen,
            report.words_upserted,
            report.entries_corrupt
        ),
        (5, 4, 0)
    );
    let after = rows(&world);
    let wordnet = || vec!["wordnet-3.0".to_owned()];
    assert_eq!(after.len(), 5, "{after:?}");
    assert_eq!(
        after[0],
        (
            "book".into(),
            "noun".into(),
            Some(5.43),
            Some(CefrLevel::A1),
            wordnet()
        )
    );
    assert_eq!(after[1].1, "verb");
    assert_eq!(after[3].0, "go");
    assert_eq!(after[3].2, Some(6.0));
    // The row that was there is left as it was (no frequency written into it).
    assert_eq!(world.words.0.lock().unwrap()[0], house);
    // The other source's entries are not this job's business.
    assert!(after.iter().all(|r| r.0 != "zebra"));
    // Three pages of two (the last one short), each reported.
    assert_eq!(progress.len(), 3);
    let last = progress.last().unwrap();
    assert_eq!((last.processed, last.total), (5, Some(5)));
    assert_eq!(last.counters["entries_seen"], 5);
    assert_eq!(last.counters["words_upserted"], 4);

    let (again, _) = reconcile(&world, "wordnet-3.0").await;
    assert_eq!((again.entries_seen, again.words_upserted), (5, 0));
    assert_eq!(rows(&world), after);
}

#[tokio::test]
async fn a_row_of_another_source_gains_this_source_and_keeps_its_id() {
    let world = wordnet_world();
    world
        .words
        .upsert(&[WordUpsert {
            language: en(),
            lemma: "child".into(),
            part_of_speech: PartOfSpeech::parse("noun"),
            source: source("kaikki-en"),
            zipf: None,
            cefr: None,
        }])
        .await
        .unwrap();
    let id = world.words.0.lock().unwrap()[0].id;
    reconcile(&world, "wordnet-3.0").await;
    let rows = world.words.0.lock().unwrap().clone();
    let child = rows.iter().find(|r| r.lemma == "child").unwrap();
    assert_eq!(child.id, id);
    assert_eq!(
        child.sources,
        vec![source("kaikki-en"), source("wordnet-3.0")]
    );
}

#[tokio::test]
async fn cached_lookups_of_repaired_words_are_dropped() {
    let world = wordnet_world();
    let (go, zebra) = (cache_key(&en(), "go"), cache_key(&en(), "zebra"));
    for key in [&go, &zebra] {
        world
            .cache
            .set(key, b"stale", Duration::from_secs(60))
            .await
            .unwrap();
    }
    reconcile(&world, "wordnet-3.0").await;
    assert_eq!(world.cache.get(&go).await.unwrap(), None);
    assert!(world.cache.get(&zebra).await.unwrap().is_some());
}

#[tokio::test]
async fn a_source_without_entries_is_reconciled_at_once() {
    let world = wordnet_world();
    let (report, progress) = reconcile(&world, "freedict-eng-ara").await;
    assert_eq!((report.entries_seen, report.words_upserted), (0, 0));
    assert_eq!(progress.len(), 1);
    assert_eq!(progress[0].percent(), Some(100.0));
    assert!(world.words.0.lock().unwrap().is_empty());
}
