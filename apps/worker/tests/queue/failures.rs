use crate::support::{settings, spawn, wait_for};
use fred::prelude::StreamsInterface;
use lingo_kernel::jobs::{DeadLetters, Job, JobError, JobQueue, JobStatus, NewJob};
use lingo_test_support::TestStores;
use lingo_worker::Registry;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::{Duration, Instant};

#[derive(Serialize, Deserialize)]
struct Flaky {}

impl Job for Flaky {
    const NAME: &'static str = "test.flaky";
    const MAX_ATTEMPTS: u32 = 3;
}

#[tokio::test]
async fn a_failing_job_is_retried_with_backoff_then_dead_lettered_and_can_be_requeued() {
    let test = TestStores::new(&[]).await;
    let queue = &test.stores.queue;
    let runs = Arc::new(AtomicU32::new(0));
    let healed = Arc::new(AtomicBool::new(false));
    let mut registry = Registry::new();
    {
        let (runs, healed) = (Arc::clone(&runs), Arc::clone(&healed));
        registry.register(move |_, _: Flaky| {
            let (runs, healed) = (Arc::clone(&runs), Arc::clone(&healed));
            async move {
                runs.fetch_add(1, Ordering::SeqCst);
                if healed.load(Ordering::SeqCst) {
                    Ok("fine now")
                } else {
                    Err(JobError::Retryable(
                        "the dictionary API answered 503".into(),
                    ))
                }
            }
        });
    }
    let worker = spawn(queue, registry, settings("w"));
    let job = NewJob::of(&Flaky {}).expect("job");
    let started = Instant::now();
    queue.enqueue(job.clone()).await.expect("enqueued");
    let dead = wait_for(queue, job.id, JobStatus::Dead, Duration::from_secs(20)).await;
    // Two backoffs of at least base/2 and 2·base/2 (50 ms base).
    assert!(started.elapsed() >= Duration::from_millis(75));
    assert_eq!(runs.load(Ordering::SeqCst), 3);
    assert_eq!(dead.attempts, 3);
    assert_eq!(
        dead.last_error.as_deref(),
        Some("the dictionary API answered 503")
    );
    let letters = queue.list(10).await.expect("dead letters");
    assert_eq!(letters.len(), 1);
    assert_eq!(letters[0].job_id, Some(job.id));
    assert_eq!(letters[0].reason, "the dictionary API answered 503");

    healed.store(true, Ordering::SeqCst);
    assert!(queue.requeue(job.id).await.expect("requeue"));
    assert!(
        !queue
            .requeue(job.id)
            .await
            .expect("second requeue finds nothing")
    );
    let done = wait_for(queue, job.id, JobStatus::Succeeded, Duration::from_secs(10)).await;
    assert_eq!(done.result, Some(serde_json::json!("fine now")));
    assert!(queue.list(10).await.expect("dead letters").is_empty());
    worker.shutdown().await;
}

#[derive(Serialize, Deserialize)]
struct Hopeless {}

impl Job for Hopeless {
    const NAME: &'static str = "test.hopeless";
}

#[tokio::test]
async fn a_permanent_failure_is_not_retried() {
    let test = TestStores::new(&[]).await;
    let queue = &test.stores.queue;
    let runs = Arc::new(AtomicU32::new(0));
    let mut registry = Registry::new();
    {
        let runs = Arc::clone(&runs);
        registry.register(move |_, _: Hopeless| {
            runs.fetch_add(1, Ordering::SeqCst);
            async { Err::<(), _>(JobError::Permanent("word 42 no longer exists".into())) }
        });
    }
    let worker = spawn(queue, registry, settings("w"));
    let job = NewJob::of(&Hopeless {}).expect("job");
    queue.enqueue(job.clone()).await.expect("enqueued");
    let failed = wait_for(queue, job.id, JobStatus::Failed, Duration::from_secs(10)).await;
    assert_eq!(
        failed.last_error.as_deref(),
        Some("word 42 no longer exists")
    );
    assert_eq!(runs.load(Ordering::SeqCst), 1);
    worker.shutdown().await;
}

#[tokio::test]
async fn malformed_messages_are_dead_lettered_without_blocking_the_jobs_behind_them() {
    let test = TestStores::new(&[]).await;
    let queue = &test.stores.queue;
    let stream = format!("{}{{jobs}}:stream", test.prefix());
    let redis = &test.stores.redis;
    let _: String = redis
        .xadd(&stream, false, None, "*", vec![("job", "{not json")])
        .await
        .expect("xadd");
    let _: String = redis
        .xadd(&stream, false, None, "*", vec![("something", "else")])
        .await
        .expect("xadd");
    let unknown = NewJob {
        kind: "no.such.type".into(),
        ..NewJob::of(&Flaky {}).expect("job")
    };
    queue.enqueue(unknown.clone()).await.expect("enqueued");
    let bad_payload = NewJob {
        payload: serde_json::json!({"n": "not a number"}),
        kind: "test.numbers".into(),
        ..NewJob::of(&Flaky {}).expect("job")
    };
    queue.enqueue(bad_payload.clone()).await.expect("enqueued");
    let good = NewJob::of(&Flaky {}).expect("job");
    queue.enqueue(good.clone()).await.expect("enqueued");

    #[derive(Serialize, Deserialize)]
    struct Numbers {
        n: u32,
    }
    impl Job for Numbers {
        const NAME: &'static str = "test.numbers";
    }
    let mut registry = Registry::new();
    registry.register(|_, _: Flaky| async { Ok::<_, JobError>("ok") });
    registry.register(|_, job: Numbers| async move { Ok::<_, JobError>(job.n) });
    let worker = spawn(queue, registry, settings("w"));

    wait_for(
        queue,
        good.id,
        JobStatus::Succeeded,
        Duration::from_secs(10),
    )
    .await;
    // A type no worker here knows waits (a rolling deploy), spending no attempt.
    let deadline = Instant::now() + Duration::from_secs(10);
    let unknown = loop {
        let record = queue
            .status(unknown.id)
            .await
            .expect("status")
            .expect("record");
        if record.last_error.is_some() || Instant::now() > deadline {
            break record;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(unknown.status, JobStatus::Queued);
    assert_eq!(unknown.attempts, 0);
    assert_eq!(
        unknown.last_error.as_deref(),
        Some("unknown job type 'no.such.type'")
    );
    let invalid = wait_for(
        queue,
        bad_payload.id,
        JobStatus::Failed,
        Duration::from_secs(10),
    )
    .await;
    assert!(
        invalid
            .last_error
            .expect("error")
            .contains("invalid payload for 'test.numbers'")
    );

    let letters = queue.list(10).await.expect("dead letters");
    let reasons: Vec<&str> = letters.iter().map(|l| l.reason.as_str()).collect();
    assert_eq!(letters.len(), 3, "{reasons:?}");
    assert!(
        reasons
            .iter()
            .any(|r| r.starts_with("message is not a job envelope")),
        "{reasons:?}"
    );
    assert!(
        reasons.contains(&"message has no 'job' field"),
        "{reasons:?}"
    );
    assert!(
        letters
            .iter()
            .any(|l| l.raw.as_deref() == Some("{not json"))
    );
    let stats = queue.stats().await.expect("stats");
    assert_eq!(
        (stats.ready, stats.in_flight, stats.delayed, stats.dead),
        (0, 0, 1, 3)
    );
    worker.shutdown().await;
}
