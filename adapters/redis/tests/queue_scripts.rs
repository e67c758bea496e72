//! Every queue script against the configured Redis (with `just test-redis-cluster`, a Redis
//! Cluster, where a script whose keys span two slots fails with CROSSSLOT): enqueue, deliver,
//! progress, heartbeat, retry through the delayed set, bury, requeue from the dead letters,
//! release, succeed, stats, and a malformed message.

mod support;

use fred::prelude::StreamsInterface;
use lingo_kernel::jobs::{
    DeadLetters, Enqueued, JobConsumer, JobId, JobProgress, JobQueue, JobStatus, NewJob, Terminal,
};
use lingo_redis::{QueueSettings, RedisJobQueue};
use std::sync::Arc;
use std::time::Duration;

fn queue(prefix: &str) -> RedisJobQueue {
    RedisJobQueue::connect(
        &support::settings(prefix),
        QueueSettings::default(),
        Arc::new(lingo_kernel::SystemClock),
    )
    .expect("queue")
}

fn job() -> NewJob {
    NewJob {
        id: JobId::new(),
        kind: "test.scripts".into(),
        payload: serde_json::json!({"n": 1}),
        owner: None,
        max_attempts: 5,
        trace: Default::default(),
    }
}

const BLOCK: Duration = Duration::from_millis(100);

#[tokio::test]
async fn a_job_goes_through_every_queue_script() {
    let prefix = support::prefix();
    let queue = queue(&prefix);
    queue.ensure_group().await.expect("group");
    let job = job();
    assert_eq!(
        queue.enqueue(job.clone()).await.expect("enqueue"),
        Enqueued::Created
    );
    assert_eq!(
        queue.enqueue(job.clone()).await.expect("enqueue"),
        Enqueued::AlreadyExists
    );
    assert_eq!(queue.stats().await.expect("stats").ready, 1);

    let first = queue
        .fetch("a", 1, BLOCK)
        .await
        .expect("fetch")
        .pop()
        .expect("delivered");
    assert_eq!(first.envelope.id, job.id);
    queue
        .report_progress(&first, &JobProgress::default())
        .await
        .expect("progress");
    assert!(
        queue
            .heartbeat("a", std::slice::from_ref(&first.receipt))
            .await
            .expect("heartbeat")
            .is_empty()
    );

    // A retry due at once goes through the delayed set and is promoted by the next fetch.
    queue
        .retry_later(&first, "try again", Duration::ZERO)
        .await
        .expect("retry");
    let record = queue.status(job.id).await.expect("status").expect("record");
    assert_eq!(record.status, JobStatus::Queued);
    assert_eq!(record.last_error.as_deref(), Some("try again"));
    let second = queue
        .fetch("a", 1, BLOCK)
        .await
        .expect("fetch")
        .pop()
        .expect("retried");
    assert_eq!(second.envelope.attempts, 1);

    queue
        .bury(&second, Terminal::Dead, "given up")
        .await
        .expect("bury");
    let dead = queue.list(10).await.expect("dead letters");
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0].job_id, Some(job.id));
    assert_eq!(queue.stats().await.expect("stats").dead, 1);

    assert!(queue.requeue(job.id).await.expect("requeue"));
    assert!(queue.list(10).await.expect("dead letters").is_empty());
    let third = queue
        .fetch("b", 1, BLOCK)
        .await
        .expect("fetch")
        .pop()
        .expect("requeued");
    queue.release(&third).await.expect("release");
    let fourth = queue
        .fetch("b", 1, BLOCK)
        .await
        .expect("fetch")
        .pop()
        .expect("released");
    queue
        .succeed(&fourth, serde_json::json!({"ok": true}))
        .await
        .expect("succeed");

    let record = queue.status(job.id).await.expect("status").expect("record");
    assert_eq!(record.status, JobStatus::Succeeded);
    assert_eq!(record.result, Some(serde_json::json!({"ok": true})));
    let stats = queue.stats().await.expect("stats");
    assert_eq!(
        (stats.ready, stats.in_flight, stats.delayed, stats.dead),
        (0, 0, 0, 0)
    );
}

#[tokio::test]
async fn a_malformed_message_is_buried_in_the_queues_slot() {
    let prefix = support::prefix();
    let queue = queue(&prefix);
    queue.ensure_group().await.expect("group");
    let redis = support::client().await;
    let _: String = redis
        .xadd(
            format!("{prefix}{{jobs}}:stream"),
            false,
            None,
            "*",
            vec![("job", "{not json")],
        )
        .await
        .expect("xadd");
    assert!(queue.fetch("a", 1, BLOCK).await.expect("fetch").is_empty());
    let dead = queue.list(10).await.expect("dead letters");
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0].raw.as_deref(), Some("{not json"));
}
