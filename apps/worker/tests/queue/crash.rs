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
