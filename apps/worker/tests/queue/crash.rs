//! A worker process killed with SIGKILL in the middle of a job: another worker reclaims the job
//! after the visibility timeout and finishes it.

use crate::support::{settings, spawn, wait_for};
use lingo_kernel::jobs::{JobQueue, JobStatus, NewJob};
use lingo_test_support::TestStores;
use lingo_worker::jobs::{JobDeps, SystemEcho, registry};
use std::process::{Command, Stdio};
use std::time::Duration;

#[tokio::test]
async fn a_job_of_a_killed_worker_is_reclaimed_and_finished_by_another() {
    let visibility = [("LINGO_QUEUE_VISIBILITY_TIMEOUT_MS", "1500")];
    let test = TestStores::new(&visibility).await;
    let queue = &test.stores.queue;
    let mut child = Command::new(env!("CARGO_BIN_EXE_lingo-worker"))
        .args(["--name", "doomed"])
        .envs(test.child_env())
        .envs(visibility)
        .env("LINGO_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .expect("worker binary starts");
    let job = NewJob::of(&SystemEcho {
        message: "survives".into(),
        delay_ms: 3_000,
    })
    .expect("job");
    queue.enqueue(job.clone()).await.expect("enqueued");
    wait_for(queue, job.id, JobStatus::Running, Duration::from_secs(30)).await;
    child.kill().expect("SIGKILL");
    child.wait().expect("reaped");

    let deps = JobDeps::new(&test.stores, Duration::from_secs(3600));
    let rescuer = spawn(queue, registry(deps), settings("rescuer"));
    let done = wait_for(queue, job.id, JobStatus::Succeeded, Duration::from_secs(20)).await;
    assert_eq!(done.result.expect("result")["echo"], "survives");
    rescuer.shutdown().await;
    let stats = queue.stats().await.expect("stats");
    assert_eq!((stats.ready, stats.in_flight, stats.dead), (0, 0, 0));
}

/// Sets its flag when dropped: the handler's future was cancelled (or finished).
struct DropFlag(std::sync::Arc<std::sync::atomic::AtomicBool>);

impl Drop for DropFlag {
    fn drop(&mut self) {
        self.0.store(true, std::sync::atomic::Ordering::SeqCst);
    }
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Endless {}

impl lingo_kernel::jobs::Job for Endless {
    const NAME: &'static str = "test.endless";
}

#[tokio::test]
async fn a_worker_whose_delivery_was_reclaimed_cancels_the_job_instead_of_running_on() {
    use fred::prelude::StreamsInterface;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    let test = TestStores::new(&[]).await;
    let jobs = test.stores.jobs.clone();
    let stopped = Arc::new(AtomicBool::new(false));
    let mut registry = lingo_worker::Registry::new();
    {
        let stopped = Arc::clone(&stopped);
        registry.register(move |_, _: Endless| {
            let flag = DropFlag(Arc::clone(&stopped));
            async move {
                let _flag = flag;
                tokio::time::sleep(Duration::from_secs(3600)).await;
                Ok::<_, lingo_kernel::jobs::JobError>(())
            }
        });
    }
    let worker = crate::support::spawn_on(Arc::new(jobs.clone()), registry, settings("paused"));
    let job = NewJob::of(&Endless {}).expect("job");
    jobs.enqueue(job.clone()).await.expect("enqueued");
    wait_for(&jobs, job.id, JobStatus::Running, Duration::from_secs(10)).await;
    assert!(!stopped.load(Ordering::SeqCst));

    // As if the worker had paused past its visibility timeout: another consumer owns the
    // delivery now.
    let stream = format!("{}{{jobs}}:stream", test.prefix());
    let pending: Vec<(String, String, u64, u64)> = test
        .stores
        .redis
        .xpending(&stream, "workers", ("-", "+", 10))
        .await
        .expect("pending");
    assert_eq!(pending.len(), 1);
    let _: fred::types::Value = test
        .stores
        .redis
        .xclaim(
            &stream,
            "workers",
            "rescuer",
            0,
            pending[0].0.clone(),
            None,
            None,
            None,
            false,
            true,
        )
        .await
        .expect("claimed by another");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while !stopped.load(Ordering::SeqCst) && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(stopped.load(Ordering::SeqCst), "the job was cancelled");
    // No outcome was written: the job is still the new owner's to run.
    let record = jobs.status(job.id).await.expect("status").expect("record");
    assert_eq!(record.status, JobStatus::Running);
    worker.shutdown().await;
}
