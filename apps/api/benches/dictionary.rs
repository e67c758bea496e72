//! The dictionary under load: FreeDict eng-ara through `ImportService::run` next to the raw
//! MongoDB `insert_many` rate for the same documents, the import's peak memory, and
//! `GET /api/v1/dictionary/en/words/{w}` (first pass over distinct words, then cached) with
//! concurrent clients against the api on real stores (private database, Mongo database and
//! Redis prefix, dropped at the end).
//!
//! By default only the first 20,000 index lines are imported (a truncated copy of the index
//! beside a link to the original `.dict.dz`), to keep the run under a few minutes;
//! `LINGO_BENCH_IMPORT_LIMIT=N` changes that, `=all` imports the whole file (87k lines);
//! `LINGO_BENCH_DICTD_INDEX` picks another file.

use async_trait::async_trait;
use lingo_dictfiles::FileFormats;
use lingo_dictionary::Entry;
use lingo_dictionary::SourceId;
use lingo_dictionary::import::{ImportFormat, ImportSpec};
use lingo_dictionary::ports::RecordFormats;
use lingo_kernel::LanguageCode;
use lingo_kernel::jobs::{JobContext, JobId, JobProgress, ProgressSink};
use lingo_test_support::TestApp;
use mongodb::bson::Document;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

const FREEDICT: &str = "/usr/share/dictd/freedict-eng-ara.index";
const FIXTURE: &str = "adapters/dictfiles/tests/fixtures/dictd/tiny-eng-ara.index";
const CLIENTS: usize = 50;
const SECONDS: u64 = 10;
const LOOKUP_WORDS: usize = 500;
const INSERT_BATCH: usize = 1_000;
/// Index lines imported unless `LINGO_BENCH_IMPORT_LIMIT` says otherwise (`all` or `0`: the file).
const DEFAULT_IMPORT_LIMIT: usize = 20_000;

struct NoProgress;

#[async_trait]
impl ProgressSink for NoProgress {
    async fn report(&self, _job: JobId, _progress: &JobProgress) {}
}

fn percentile(mut samples: Vec<Duration>, p: f64) -> Duration {
    if samples.is_empty() {
        return Duration::ZERO;
    }
    samples.sort();
    samples[((samples.len() as f64 * p) as usize).min(samples.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// VmHWM (peak resident set) of this process, in KiB.
fn vm_hwm_kib() -> Option<u64> {
    std::fs::read_to_string("/proc/self/status")
        .ok()?
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

fn mib(kib: Option<u64>) -> String {
    kib.map_or_else(|| "?".into(), |k| format!("{:.1} MiB", k as f64 / 1024.0))
}

/// The index to import: the original, or its first `limit` lines in a scratch directory beside
/// a link to the original `.dict.dz`.
fn index_to_import(original: &Path, limit: Option<usize>, scratch: &Path) -> PathBuf {
    let Some(limit) = limit else {
        return original.to_owned();
    };
    std::fs::create_dir_all(scratch).expect("scratch directory");
    let stem = original
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.strip_suffix(".index"))
        .expect("a .index file");
    let text = std::fs::read_to_string(original).expect("index readable");
    let head: String = text.lines().take(limit).map(|l| format!("{l}\n")).collect();
    let index = scratch.join(format!("{stem}.index"));
    std::fs::write(&index, head).expect("truncated index");
    let dir = original.parent().expect("directory");
    for ext in ["dict.dz", "dict"] {
        let data = dir.join(format!("{stem}.{ext}"));
        if data.exists() {
            let _ = std::os::unix::fs::symlink(&data, scratch.join(format!("{stem}.{ext}")));
            break;
        }
    }
    index
}

fn spec_for(path: &Path, source: &str) -> ImportSpec {
    ImportSpec {
        format: ImportFormat::Dictd,
        path: path.to_string_lossy().into_owned(),
        source: SourceId::parse(source).expect("source id"),
        licence: "GPL-2.0-or-later".into(),
        language: LanguageCode::parse("en").expect("en"),
        translation_language: Some(LanguageCode::parse("ar").expect("ar")),
    }
}

/// Every entry with content the reader yields for `spec` (what the import writes to `entries`),
/// and the number of records read.
fn read_entries(spec: &ImportSpec) -> (Vec<Entry>, u64) {
    let mut reader = FileFormats::unrestricted()
        .open(spec, chrono::Utc::now())
        .expect("reader");
    let (mut entries, mut records) = (Vec::new(), 0u64);
    while let Some(record) = reader.next_record() {
        records += 1;
        if let Ok(record) = record {
            entries.extend(record.entries.into_iter().filter(Entry::has_content));
        }
    }
    (entries, records)
}

async fn import(app: &TestApp, spec: &ImportSpec, capped: Option<usize>) -> Vec<Entry> {
    let service = app.services.import.clone();
    let context = JobContext::new(JobId::new(), 1, 1, Arc::new(NoProgress));
    let hwm_before = vm_hwm_kib();
    let started = Instant::now();
    let report = service.run(&context, spec).await.expect("import");
    let wall = started.elapsed().as_secs_f64();
    let hwm_after = vm_hwm_kib();
    let c = report.counters;
    println!(
        "  ImportService::run      {} records read ({} imported, {} skipped, {} failed), {} entries{}",
        c.read,
        c.imported,
        c.skipped,
        c.failed,
        c.entries,
        capped.map_or_else(String::new, |n| format!(
            " (capped: first {n} index lines; LINGO_BENCH_IMPORT_LIMIT=all for the whole file)"
        ))
    );
    println!(
        "    wall {wall:>7.2} s   {:>8.0} records/s   {:>8.0} entries/s   \
         (writes entries, each with its records, to MongoDB, word metadata to PostgreSQL, a checkpoint per 1,000)",
        c.read as f64 / wall,
        c.entries as f64 / wall
    );
    let delta = match (hwm_before, hwm_after) {
        (Some(b), Some(a)) => format!("{:.1} MiB", a.saturating_sub(b) as f64 / 1024.0),
        _ => "?".into(),
    };
    println!(
        "    peak memory (VmHWM, whole bench process incl. idle api): before {} after {} → +{delta}",
        mib(hwm_before),
        mib(hwm_after)
    );

    let started = Instant::now();
    let (entries, records) = read_entries(spec);
    let read_s = started.elapsed().as_secs_f64();
    println!(
        "  reader alone            {records} records → {} entries in {read_s:.2} s ({:.0} records/s, no stores)",
        entries.len(),
        records as f64 / read_s
    );

    let docs: Vec<Document> = entries
        .iter()
        .map(|e| mongodb::bson::to_document(e).expect("bson"))
        .collect();
    let scratch = app
        .stores
        .stores
        .mongo
        .database()
        .collection::<Document>("bench_insert_many");
    let started = Instant::now();
    for batch in docs.chunks(INSERT_BATCH) {
        scratch.insert_many(batch).await.expect("insert_many");
    }
    let insert_s = started.elapsed().as_secs_f64();
    let _ = scratch.drop().await;
    let import_docs_rate = c.entries as f64 / wall;
    let raw_rate = docs.len() as f64 / insert_s;
    println!(
        "  baseline insert_many    {} entry documents in batches of {INSERT_BATCH}: {insert_s:.2} s, {raw_rate:>8.0} docs/s",
        docs.len()
    );
    println!(
        "    → the import's entry rate is {:.0}% of the raw server insert rate \
         (the import also writes PostgreSQL metadata and a checkpoint per batch)",
        import_docs_rate / raw_rate * 100.0
    );
    entries
}

/// Distinct lookup words: plain ASCII lemmas spread over the imported entries.
fn lookup_words(entries: &[Entry]) -> Vec<String> {
    let mut words: Vec<String> = entries
        .iter()
        .map(|e| e.lemma.clone())
        .filter(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_alphabetic()))
        .collect();
    words.sort_unstable();
    words.dedup();
    let step = (words.len() / LOOKUP_WORDS).max(1);
    words.into_iter().step_by(step).take(LOOKUP_WORDS).collect()
}

fn url(app: &TestApp, word: &str) -> String {
    app.url(&format!("/api/v1/dictionary/en/words/{word}"))
}

/// Each word once, spread over the clients: the store path (nothing cached yet).
async fn first_pass(app: &TestApp, words: Arc<Vec<String>>) -> (f64, Duration, u64) {
    let next = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..CLIENTS {
        let (http, words, next, errors) = (
            app.client.clone(),
            words.clone(),
            next.clone(),
            errors.clone(),
        );
        let urls: Vec<String> = words.iter().map(|w| url(app, w)).collect();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed) as usize;
                let Some(u) = urls.get(i) else { break };
                let t = Instant::now();
                let response = http.get(u).send().await;
                if !response.is_ok_and(|r| r.status() == 200) {
                    errors.fetch_add(1, Ordering::Relaxed);
                }
                latencies.push(t.elapsed());
            }
            latencies
        }));
    }
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await.expect("client"));
    }
    let rate = latencies.len() as f64 / started.elapsed().as_secs_f64();
    (
        rate,
        percentile(latencies, 0.99),
        errors.load(Ordering::Relaxed),
    )
}

async fn cached(app: &TestApp, words: &[String]) -> (f64, Duration, u64, Duration) {
    let urls: Arc<Vec<String>> = Arc::new(words.iter().map(|w| url(app, w)).collect());
    let deadline = Instant::now() + Duration::from_secs(SECONDS);
    let errors = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for client in 0..CLIENTS {
        let (http, urls, errors) = (app.client.clone(), urls.clone(), errors.clone());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut i = client * 7919;
            while Instant::now() < deadline {
                let t = Instant::now();
                let response = http.get(&urls[i % urls.len()]).send().await;
                if !response.is_ok_and(|r| r.status() == 200) {
                    errors.fetch_add(1, Ordering::Relaxed);
                }
                latencies.push(t.elapsed());
                i += 1;
            }
            latencies
        }));
    }
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await.expect("client"));
    }
    let rate = latencies.len() as f64 / started.elapsed().as_secs_f64();
    let p50 = percentile(latencies.clone(), 0.50);
    (
        rate,
        percentile(latencies, 0.99),
        errors.load(Ordering::Relaxed),
        p50,
    )
}

#[tokio::main]
async fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let app = TestApp::spawn_with(&[
        ("LINGO_DATABASE_POOL_SIZE", "32"),
        ("LINGO_REDIS_POOL_SIZE", "32"),
        ("LINGO_LOG", "warn"),
    ])
    .await;

    let freedict = std::env::var("LINGO_BENCH_DICTD_INDEX").unwrap_or_else(|_| FREEDICT.into());
    // About 430 records/s here: the whole file (87k) would take ~3.5 min on its own.
    let limit = match std::env::var("LINGO_BENCH_IMPORT_LIMIT") {
        Ok(v) if v == "0" || v == "all" => None,
        Ok(v) => Some(
            v.parse::<usize>()
                .expect("LINGO_BENCH_IMPORT_LIMIT: a number or 'all'"),
        ),
        Err(_) => Some(DEFAULT_IMPORT_LIMIT),
    };
    let scratch = std::env::temp_dir().join(format!("lingo-bench-dict-{}", std::process::id()));

    let entries = if Path::new(&freedict).exists() {
        println!("dictionary import ({freedict})");
        let index = index_to_import(Path::new(&freedict), limit, &scratch);
        import(&app, &spec_for(&index, "freedict-eng-ara"), limit).await
    } else {
        println!(
            "dictionary import: {freedict} absent (deploy/local/data.sh install) — skipped; \
             lookups use the tiny test fixture"
        );
        let spec = spec_for(&root.join(FIXTURE), "fixture");
        let service = app.services.import.clone();
        let context = JobContext::new(JobId::new(), 1, 1, Arc::new(NoProgress));
        service.run(&context, &spec).await.expect("fixture import");
        read_entries(&spec).0
    };
    let _ = std::fs::remove_dir_all(&scratch);

    let words = lookup_words(&entries);
    drop(entries);
    println!(
        "dictionary lookup (GET /api/v1/dictionary/en/words/{{w}}, {} distinct words, {CLIENTS} clients)",
        words.len()
    );
    let (rate, p99, errors) = first_pass(&app, Arc::new(words.clone())).await;
    println!(
        "  first pass (uncached, store path)  {rate:>8.0} req/s   p99 {:>6.1} ms   non-200 {errors}",
        ms(p99)
    );
    let (rate, p99, errors, p50) = cached(&app, &words).await;
    println!(
        "  cached ({SECONDS} s)                     {rate:>8.0} req/s   p50 {:>6.2} ms   p99 {:>6.1} ms   non-200 {errors}",
        ms(p50),
        ms(p99)
    );
}
