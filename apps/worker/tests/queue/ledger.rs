//! The durable queue: every accepted job has a PostgreSQL ledger row, so nothing is lost when
//! Redis is down or loses its data, nothing is dispatched twice, poison rows are capped.

use crate::support::{settings, spawn_on, wait_for};
use diesel_async::AsyncConnection;
use fred::prelude::{ClientLike, KeysInterface};
use lingo_kernel::jobs::{
    DeadLetters, DispatchSettings, DurableJobs, Job, JobError, JobLedger, JobQueue, JobStatus,
    NewJob, RetryPolicy,
};
use lingo_postgres::stage_job;
use lingo_redis::{QueueSettings, RedisJobQueue, RedisSettings};
use lingo_test_support::TestStores;
use lingo_worker::Registry;
use lingo_worker::jobs::SystemEcho;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn unreachable_queue() -> RedisJobQueue {
    let port = TcpListener::bind("127.0.0.1:0")
        .expect("port")
        .local_addr()
        .expect("addr")
        .port();
    let settings = RedisSettings {
        url: format!("redis://127.0.0.1:{port}/0"),
        key_prefix: "nowhere:".into(),
        command_timeout: Duration::from_millis(300),
        pool_size: 1,
    };
    RedisJobQueue::connect(
        &settings,
        QueueSettings::default(),
        Arc::new(lingo_kernel::SystemClock),
    )
    .expect("queue")
}

/// The test's ledger in front of `broker`, with fast dispatcher settings.
fn durable(test: &TestStores, broker: RedisJobQueue, settings: DispatchSettings) -> DurableJobs {
    DurableJobs::new(
        Arc::new(test.stores.ledger.clone()),
        Arc::new(broker),
        Arc::new(lingo_kernel::SystemClock),
        settings,
    )
}

fn fast() -> DispatchSettings {
    DispatchSettings {
        check_every: Duration::from_millis(100),
        lease: Duration::from_millis(100),
        give_up_after: 2,
        max_backoff: Duration::ZERO,
        lost_grace: Duration::from_millis(100),
    }
}

fn echo() -> NewJob {
    NewJob::of(&SystemEcho {
        message: "from the ledger".into(),
        delay_ms: 0,
    })
    .expect("job")
}

/// Deletes every Redis key of this test: the broker's data is gone, as after FLUSHALL on a
/// Redis of its own (the Redis here is shared by concurrent tests).
async fn lose_redis_data(test: &TestStores) {
    let client = test.stores.queue.client();
    if client.is_clustered() {
        // Every primary's keys; one `DEL` each, since they fall in different slots.
        use futures_util::TryStreamExt;
        let keys: Vec<fred::types::Key> = client
            .scan_cluster_buffered(format!("{}*", test.prefix()), Some(1000), None)
            .try_collect()
            .await
            .expect("scan");
        for key in keys {
            let _: i64 = client.del(key).await.expect("del");
        }
        return;
    }
    let mut cursor = "0".to_owned();
    loop {
        let (next, keys): (String, Vec<String>) = client
            .custom(
                fred::cmd!("SCAN"),
                vec![
                    cursor.clone(),
                    "MATCH".into(),
                    format!("{}*", test.prefix()),
                    "COUNT".into(),
                    "1000".into(),
                ],
            )
            .await
            .expect("scan");
        if !keys.is_empty() {
            let _: i64 = client.del(keys).await.expect("del");
        }
        if next == "0" {
            break;
        }
        cursor = next;
    }
}

#[tokio::test]
async fn a_job_staged_in_a_rolled_back_transaction_is_never_dispatched() {
    let test = TestStores::new(&[]).await;
    let job = echo();
    let mut conn = test.stores.postgres.get().await.expect("connection");
    let rolled_back = conn
        .transaction::<(), lingo_postgres::OutboxError, _>(async |conn| {
            stage_job(conn, &job).await?;
            Err(diesel::result::Error::RollbackTransaction.into())
        })
        .await;
    assert!(rolled_back.is_err());
    drop(conn);
    assert_eq!(test.stores.ledger.backlog().await.expect("backlog"), 0);
    let report = test.stores.jobs.dispatch_pass(100).await.expect("dispatch");
    assert_eq!(report.claimed, 0);
    assert!(
        test.stores
            .jobs
            .status(job.id)
            .await
            .expect("status")
            .is_none()
    );
}

#[tokio::test]
async fn staged_jobs_survive_a_redis_outage_and_are_dispatched_once() {
    let test = TestStores::new(&[]).await;
    let ledger = &test.stores.ledger;
    let job = echo();
    let mut conn = test.stores.postgres.get().await.expect("connection");
    conn.transaction::<(), lingo_postgres::OutboxError, _>(async |conn| {
        stage_job(conn, &job).await
    })
    .await
    .expect("committed");
    drop(conn);

    // Redis down: the hand-over fails, the row waits and its status is the ledger's.
    let down = durable(&test, unreachable_queue(), fast());
    assert!(down.dispatch_pass(100).await.is_err());
    assert_eq!(ledger.backlog().await.expect("backlog"), 1);
    let record = down
        .status(job.id)
        .await
        .expect("status")
        .expect("recorded");
    assert_eq!(record.status, JobStatus::Queued);

    // Redis back: dispatched once; a second pass finds nothing due.
    let jobs = &test.stores.jobs;
    assert_eq!(
        jobs.dispatch_pass(100).await.expect("dispatch").dispatched,
        1
    );
    assert_eq!(jobs.dispatch_pass(100).await.expect("dispatch").claimed, 0);
    assert_eq!(ledger.backlog().await.expect("backlog"), 0);
    let queue = &test.stores.queue;
    assert_eq!(
        queue
            .status(job.id)
            .await
            .expect("status")
            .expect("enqueued")
            .status,
        JobStatus::Queued
    );
    assert_eq!(queue.stats().await.expect("stats").ready, 1);

    // Only finished rows are purged.
    assert_eq!(
        ledger.purge_finished(Duration::ZERO).await.expect("purge"),
        0
    );
}

#[derive(Serialize, Deserialize)]
struct FailsOnce {
    n: u32,
}

impl Job for FailsOnce {
    const NAME: &'static str = "test.fails_once";
    const MAX_ATTEMPTS: u32 = 3;
}

#[tokio::test]
async fn delayed_jobs_survive_the_loss_of_every_redis_key() {
    // A short visibility: a job the ledger still sees running is dispatched again once it has
    // been missing for the visibility timeout (+5 s).
    let test = TestStores::new(&[("LINGO_QUEUE_VISIBILITY_TIMEOUT_MS", "1000")]).await;
    let jobs = durable(&test, test.stores.queue.clone(), fast());
    let failed_once: Arc<Mutex<HashSet<u32>>> = Arc::default();
    let mut registry = Registry::new();
    {
        let failed_once = Arc::clone(&failed_once);
        registry.register(move |_, job: FailsOnce| {
            let failed_once = Arc::clone(&failed_once);
            async move {
                if failed_once.lock().expect("lock").insert(job.n) {
                    Err(JobError::Retryable("first attempt fails".into()))
                } else {
                    Ok(job.n)
                }
            }
        });
    }
    // Retries wait a minute: the 20 jobs sit in the delayed set when Redis loses its data.
    let mut slow_retry = settings("w");
    slow_retry.retry = RetryPolicy {
        base: Duration::from_secs(120),
        max: Duration::from_secs(120),
    };
    let worker = spawn_on(Arc::new(jobs.clone()), registry.clone(), slow_retry);
    let mut ids = Vec::new();
    for n in 0..20 {
        let job = NewJob::of(&FailsOnce { n }).expect("job");
        ids.push(job.id);
        jobs.enqueue(job).await.expect("enqueued");
    }
    for id in &ids {
        let record = wait_for(&jobs, *id, JobStatus::Queued, Duration::from_secs(20)).await;
        if record.attempts == 0 {
            wait_for_attempt(&jobs, *id).await;
        }
    }
    assert_eq!(test.stores.queue.stats().await.expect("stats").delayed, 20);
    worker.shutdown().await;
    // Every retry reached the ledger before the worker stopped.
    for id in &ids {
        let entry = jobs.ledger().get(*id).await.expect("get").expect("row");
        assert_eq!((entry.status, entry.attempts), (JobStatus::Queued, 1));
    }

    lose_redis_data(&test).await;
    assert!(
        test.stores
            .queue
            .status(ids[0])
            .await
            .expect("status")
            .is_none()
    );
    // The status falls back to the ledger.
    let record = jobs
        .status(ids[0])
        .await
        .expect("status")
        .expect("in the ledger");
    assert_eq!((record.status, record.attempts), (JobStatus::Queued, 1));

    test.stores.queue.ensure_group().await.expect("group");
    let worker = spawn_on(Arc::new(jobs.clone()), registry, settings("w2"));
    let mut redispatched = 0;
    for _ in 0..200 {
        redispatched += jobs
            .dispatch_pass(100)
            .await
            .expect("dispatch")
            .redispatched;
        if redispatched >= 20 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(redispatched, 20);
    for id in &ids {
        wait_for(&jobs, *id, JobStatus::Succeeded, Duration::from_secs(20)).await;
    }
    worker.shutdown().await;
    // The ledger saw every outcome: nothing is left to dispatch or check.
    for id in &ids {
        let entry = jobs.ledger().get(*id).await.expect("get").expect("row");
        assert_eq!(entry.status, JobStatus::Succeeded);
    }
    assert_eq!(jobs.dispatch_pass(100).await.expect("dispatch").claimed, 0);
}

async fn wait_for_attempt(jobs: &DurableJobs, id: lingo_kernel::jobs::JobId) {
    for _ in 0..200 {
        let record = jobs.status(id).await.expect("status").expect("record");
        if record.attempts >= 1 && record.status == JobStatus::Queued {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("job {id} never failed its first attempt");
}

#[tokio::test]
async fn a_row_the_broker_never_takes_is_dead_after_capped_attempts_and_can_be_requeued() {
    let test = TestStores::new(&[]).await;
    let job = echo();
    test.stores.ledger.stage(&job).await.expect("staged");
    let down = durable(&test, unreachable_queue(), fast());
    for _ in 0..2 {
        assert!(down.dispatch_pass(100).await.is_err());
    }
    // Dead after two failed hand-overs: no longer due, listed for admins.
    assert_eq!(down.dispatch_pass(100).await.expect("pass").claimed, 0);
    let jobs = durable(&test, test.stores.queue.clone(), fast());
    let dead = jobs.list(10).await.expect("dead letters");
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0].job_id, Some(job.id));
    assert!(
        dead[0]
            .reason
            .contains("not handed to the queue after 2 attempts")
    );

    assert!(jobs.requeue(job.id).await.expect("requeue"));
    assert_eq!(
        jobs.dispatch_pass(100).await.expect("dispatch").dispatched,
        1
    );
    assert_eq!(
        test.stores
            .queue
            .status(job.id)
            .await
            .expect("status")
            .expect("enqueued")
            .status,
        JobStatus::Queued
    );
}

#[derive(Serialize, Deserialize)]
struct FromTheFuture {}

impl Job for FromTheFuture {
    const NAME: &'static str = "test.from_the_future";
}

#[tokio::test]
async fn a_job_of_an_unknown_type_waits_for_a_worker_that_knows_it() {
    let test = TestStores::new(&[]).await;
    let jobs = test.stores.jobs.clone();
    let job = NewJob::of(&FromTheFuture {}).expect("job");
    jobs.enqueue(job.clone()).await.expect("enqueued");
    let old = spawn_on(Arc::new(jobs.clone()), Registry::new(), settings("old"));
    let waiting = wait_for(&jobs, job.id, JobStatus::Queued, Duration::from_secs(10)).await;
    for _ in 0..100 {
        if jobs
            .status(job.id)
            .await
            .expect("status")
            .expect("record")
            .last_error
            .is_some()
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let postponed = jobs.status(job.id).await.expect("status").expect("record");
    assert_eq!(postponed.status, JobStatus::Queued);
    assert_eq!(postponed.attempts, 0, "no attempt spent: {waiting:?}");
    assert!(
        postponed
            .last_error
            .expect("reason")
            .contains("unknown job type")
    );
    assert!(postponed.next_attempt_at.is_some());
    old.shutdown().await;
    assert_eq!(test.stores.queue.stats().await.expect("stats").dead, 0);
}

#[tokio::test]
async fn a_running_job_the_broker_lost_is_dispatched_again_only_after_the_visibility_grace() {
    use lingo_kernel::jobs::JobConsumer;
    let test = TestStores::new(&[("LINGO_QUEUE_VISIBILITY_TIMEOUT_MS", "1000")]).await;
    let jobs = durable(&test, test.stores.queue.clone(), fast());
    let job = echo();
    jobs.enqueue(job.clone()).await.expect("enqueued");
    let delivered = jobs
        .fetch("w", 1, Duration::from_millis(100))
        .await
        .expect("fetch");
    assert_eq!(delivered.len(), 1);
    lose_redis_data(&test).await;
    test.stores.queue.ensure_group().await.expect("group");
    tokio::time::sleep(Duration::from_millis(150)).await;
    // Its worker may still be running it: wait out the visibility timeout (+5 s) first.
    let first = jobs.dispatch_pass(100).await.expect("dispatch");
    assert_eq!((first.claimed, first.redispatched), (1, 0));
    tokio::time::sleep(Duration::from_millis(6_200)).await;
    let later = jobs.dispatch_pass(100).await.expect("dispatch");
    assert_eq!(later.redispatched, 1);
    assert_eq!(
        test.stores
            .queue
            .status(job.id)
            .await
            .expect("status")
            .expect("back")
            .status,
        JobStatus::Queued
    );
}

#[tokio::test]
async fn an_outcome_the_ledger_missed_is_copied_from_the_broker() {
    use lingo_kernel::jobs::JobConsumer;
    let test = TestStores::new(&[]).await;
    let jobs = durable(&test, test.stores.queue.clone(), fast());
    let job = echo();
    jobs.enqueue(job.clone()).await.expect("enqueued");
    let delivery = jobs
        .fetch("w", 1, Duration::from_millis(100))
        .await
        .expect("fetch")
        .pop()
        .expect("delivered");
    // The broker records the success; the ledger write is lost (as if PostgreSQL blinked).
    test.stores
        .queue
        .succeed(&delivery, serde_json::json!({"echo": "done"}))
        .await
        .expect("succeeded");
    let before = jobs.ledger().get(job.id).await.expect("get").expect("row");
    assert_eq!(before.status, JobStatus::Running);
    tokio::time::sleep(Duration::from_millis(150)).await;
    assert_eq!(jobs.dispatch_pass(100).await.expect("dispatch").synced, 1);
    let after = jobs.ledger().get(job.id).await.expect("get").expect("row");
    assert_eq!(after.status, JobStatus::Succeeded);
    assert_eq!(after.result, Some(serde_json::json!({"echo": "done"})));
    assert_eq!(jobs.dispatch_pass(100).await.expect("dispatch").claimed, 0);
}
