use crate::support::{settings, spawn, wait_for};
use lingo_kernel::jobs::{Enqueued, Job, JobError, JobId, JobQueue, JobStatus, NewJob};
use lingo_test_support::TestStores;
use lingo_worker::Registry;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Serialize, Deserialize)]
struct Count {
    n: u32,
}

impl Job for Count {
    const NAME: &'static str = "test.count";
}

fn counting_registry(runs: Arc<Mutex<HashMap<JobId, u32>>>) -> Registry {
    let mut registry = Registry::new();
    registry.register(move |ctx, job: Count| {
        let runs = Arc::clone(&runs);
        async move {
            *runs.lock().expect("lock").entry(ctx.job_id).or_default() += 1;
            tokio::time::sleep(Duration::from_millis(5)).await;
            Ok::<_, JobError>(job.n * 2)
        }
    });
    registry
}

#[tokio::test]
async fn each_job_is_processed_once_by_one_of_several_workers() {
    let test = TestStores::new(&[]).await;
    let queue = &test.stores.queue;
    let runs = Arc::new(Mutex::new(HashMap::new()));
    let workers: Vec<_> = (0..3)
        .map(|i| {
            spawn(
                queue,
                counting_registry(Arc::clone(&runs)),
                settings(&format!("w{i}")),
            )
        })
        .collect();
    let mut ids = Vec::new();
    for n in 0..40 {
        let job = NewJob::of(&Count { n }).expect("job");
        ids.push((job.id, n));
        assert_eq!(
            queue.enqueue(job).await.expect("enqueued"),
            Enqueued::Created
        );
    }
    for (id, n) in &ids {
        let record = wait_for(queue, *id, JobStatus::Succeeded, Duration::from_secs(20)).await;
        assert_eq!(record.result, Some(serde_json::json!(n * 2)));
        assert_eq!(record.attempts, 1);
    }
    for worker in workers {
        worker.shutdown().await;
    }
    let runs = runs.lock().expect("lock").clone();
    assert_eq!(runs.len(), 40);
    assert!(runs.values().all(|&count| count == 1), "{runs:?}");
    let stats = queue.stats().await.expect("stats");
    assert_eq!((stats.ready, stats.in_flight, stats.dead), (0, 0, 0));
}

#[tokio::test]
async fn enqueueing_the_same_job_id_twice_creates_one_job() {
    let test = TestStores::new(&[]).await;
    let queue = &test.stores.queue;
    let job = NewJob::of(&Count { n: 1 }).expect("job");
    assert_eq!(
        queue.enqueue(job.clone()).await.expect("first"),
        Enqueued::Created
    );
    assert_eq!(
        queue.enqueue(job.clone()).await.expect("second"),
        Enqueued::AlreadyExists
    );
    assert_eq!(queue.stats().await.expect("stats").ready, 1);
    let record = queue.status(job.id).await.expect("status").expect("exists");
    assert_eq!(record.status, JobStatus::Queued);
    assert_eq!(record.kind, "test.count");
}

#[tokio::test]
async fn graceful_shutdown_hands_an_unfinished_job_back() {
    let test = TestStores::new(&[]).await;
    let queue = &test.stores.queue;
    let mut registry = Registry::new();
    registry.register(|_, _: Count| async {
        tokio::time::sleep(Duration::from_secs(30)).await;
        Ok::<_, JobError>(0)
    });
    let mut config = settings("slow");
    config.shutdown_grace = Duration::from_millis(300);
    let worker = spawn(queue, registry, config);
    let job = NewJob::of(&Count { n: 1 }).expect("job");
    queue.enqueue(job.clone()).await.expect("enqueued");
    wait_for(queue, job.id, JobStatus::Running, Duration::from_secs(10)).await;
    worker.shutdown().await;
    let record = queue.status(job.id).await.expect("status").expect("exists");
    assert_eq!(record.status, JobStatus::Queued);
    let stats = queue.stats().await.expect("stats");
    assert_eq!((stats.ready, stats.in_flight), (1, 0));

    // The next worker gets it at once, not after a visibility timeout.
    let mut registry = Registry::new();
    registry.register(|_, job: Count| async move { Ok::<_, JobError>(job.n) });
    let worker = spawn(queue, registry, settings("quick"));
    wait_for(queue, job.id, JobStatus::Succeeded, Duration::from_secs(5)).await;
    worker.shutdown().await;
}

#[tokio::test]
async fn long_jobs_report_progress_through_the_status() {
    let test = TestStores::new(&[]).await;
    let queue = &test.stores.queue;
    let registry = lingo_worker::jobs::registry(lingo_worker::jobs::JobDeps::new(
        &test.stores,
        Duration::from_secs(3600),
    ));
    let worker = spawn(queue, registry, settings("echo"));
    let job = NewJob::of(&lingo_worker::jobs::SystemEcho {
        message: "salaam".into(),
        delay_ms: 2_000,
    })
    .expect("job");
    queue.enqueue(job.clone()).await.expect("enqueued");
    let mut seen_progress = None;
    for _ in 0..100 {
        let record = queue.status(job.id).await.expect("status").expect("exists");
        if let Some(progress) = record
            .progress
            .filter(|_| record.status == JobStatus::Running)
        {
            seen_progress = Some(progress);
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let progress = seen_progress.expect("progress reported while running");
    assert_eq!(progress.total, Some(2));
    let done = wait_for(queue, job.id, JobStatus::Succeeded, Duration::from_secs(10)).await;
    assert_eq!(done.result.expect("result")["echo"], "salaam");
    worker.shutdown().await;
}
