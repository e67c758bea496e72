//! Reclaiming against a real Redis: a delivery nobody acknowledges or heartbeats within the
//! visibility timeout goes to the next consumer that fetches.

use lingo_kernel::jobs::{JobConsumer, JobQueue, NewJob};
use lingo_redis::{QueueSettings, RedisJobQueue, RedisSettings};
use std::time::Duration;

fn queue(prefix: &str) -> RedisJobQueue {
    let settings = RedisSettings {
        url: std::env::var("LINGO_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379/0".into()),
        key_prefix: prefix.to_owned(),
        command_timeout: Duration::from_secs(2),
        pool_size: 1,
    };
    RedisJobQueue::connect(
        &settings,
        QueueSettings {
            visibility_timeout: Duration::from_millis(300),
            ..QueueSettings::default()
        },
        std::sync::Arc::new(lingo_kernel::SystemClock),
    )
    .expect("queue")
}

fn job() -> NewJob {
    NewJob {
        id: lingo_kernel::jobs::JobId::new(),
        kind: "test.reclaim".into(),
        payload: serde_json::json!({"n": 1}),
        owner: None,
        max_attempts: 3,
        trace: Default::default(),
    }
}

#[tokio::test]
async fn an_abandoned_delivery_is_reclaimed_by_another_consumer() {
    let prefix = format!("test:{}:", uuid::Uuid::new_v4().simple());
    let queue = queue(&prefix);
    queue.ensure_group().await.expect("group");
    let job = job();
    queue.enqueue(job.clone()).await.expect("enqueued");
    let first = queue
        .fetch("a", 1, Duration::from_millis(100))
        .await
        .expect("fetch");
    assert_eq!(first.len(), 1);
    assert!(
        queue
            .fetch("b", 1, Duration::from_millis(50))
            .await
            .expect("fetch")
            .is_empty()
    );
    tokio::time::sleep(Duration::from_millis(400)).await;
    let reclaimed = queue
        .fetch("b", 1, Duration::from_millis(50))
        .await
        .expect("fetch");
    assert_eq!(reclaimed.len(), 1);
    assert_eq!(reclaimed[0].envelope.id, job.id);
    queue
        .succeed(&reclaimed[0], serde_json::json!(1))
        .await
        .expect("ack");
    assert_eq!(queue.stats().await.expect("stats").in_flight, 0);
}

#[tokio::test]
async fn heartbeats_keep_a_delivery_from_being_reclaimed() {
    let prefix = format!("test:{}:", uuid::Uuid::new_v4().simple());
    let queue = queue(&prefix);
    queue.ensure_group().await.expect("group");
    queue.enqueue(job()).await.expect("enqueued");
    let first = queue
        .fetch("a", 1, Duration::from_millis(100))
        .await
        .expect("fetch");
    let receipts = vec![first[0].receipt.clone()];
    for _ in 0..4 {
        tokio::time::sleep(Duration::from_millis(150)).await;
        queue.heartbeat("a", &receipts).await.expect("heartbeat");
    }
    assert!(
        queue
            .fetch("b", 1, Duration::from_millis(50))
            .await
            .expect("fetch")
            .is_empty()
    );
}

#[tokio::test]
async fn a_stale_workers_late_outcomes_are_refused_and_its_heartbeat_reports_the_loss() {
    use lingo_kernel::jobs::{JobProgress, JobStatus, QueueError, Terminal};
    let prefix = format!("test:{}:", uuid::Uuid::new_v4().simple());
    let queue = queue(&prefix);
    queue.ensure_group().await.expect("group");
    let job = job();
    queue.enqueue(job.clone()).await.expect("enqueued");
    let stale = queue
        .fetch("a", 1, Duration::from_millis(100))
        .await
        .expect("fetch")
        .pop()
        .expect("delivered to a");
    // `a` pauses past the visibility timeout; `b` reclaims the job.
    tokio::time::sleep(Duration::from_millis(400)).await;
    let current = queue
        .fetch("b", 1, Duration::from_millis(50))
        .await
        .expect("fetch")
        .pop()
        .expect("reclaimed by b");
    assert_ne!(stale.token, current.token);

    // Every late write of `a` is refused and changes nothing.
    let refused =
        |r: Result<(), QueueError>| matches!(r, Err(QueueError::NotOwner(id)) if id == job.id);
    assert!(refused(
        queue.succeed(&stale, serde_json::json!("late")).await
    ));
    assert!(refused(
        queue
            .retry_later(&stale, "late", Duration::from_secs(1))
            .await
    ));
    assert!(refused(queue.bury(&stale, Terminal::Dead, "late").await));
    assert!(refused(queue.release(&stale).await));
    assert!(refused(
        queue.report_progress(&stale, &JobProgress::default()).await
    ));
    let lost = queue
        .heartbeat("a", std::slice::from_ref(&stale.receipt))
        .await
        .expect("heartbeat");
    assert_eq!(lost, vec![stale.receipt.clone()]);
    let record = queue.status(job.id).await.expect("status").expect("record");
    assert_eq!(record.status, JobStatus::Running);
    assert!(record.result.is_none());

    // The owner finishes; a repeated outcome from it cannot reopen the job either.
    queue
        .succeed(&current, serde_json::json!("done"))
        .await
        .expect("owner's outcome");
    assert!(refused(
        queue
            .retry_later(&current, "again", Duration::from_secs(1))
            .await
    ));
    let record = queue.status(job.id).await.expect("status").expect("record");
    assert_eq!(record.status, JobStatus::Succeeded);
    assert_eq!(record.result, Some(serde_json::json!("done")));
}

#[tokio::test]
async fn the_first_visibility_timeout_stored_is_the_queues_for_every_worker() {
    let prefix = format!("test:{}:", uuid::Uuid::new_v4().simple());
    let first = queue(&prefix);
    first.ensure_group().await.expect("group");
    let settings = RedisSettings {
        url: std::env::var("LINGO_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379/0".into()),
        key_prefix: prefix.clone(),
        command_timeout: Duration::from_secs(2),
        pool_size: 1,
    };
    let other = RedisJobQueue::connect(
        &settings,
        QueueSettings {
            visibility_timeout: Duration::from_secs(3600),
            ..QueueSettings::default()
        },
        std::sync::Arc::new(lingo_kernel::SystemClock),
    )
    .expect("queue");
    other.ensure_group().await.expect("group");
    assert_eq!(
        other.visibility_timeout().await.expect("visibility"),
        Duration::from_millis(300)
    );
    // The worker configured with an hour still reclaims after the queue's 300 ms.
    let job = job();
    other.enqueue(job.clone()).await.expect("enqueued");
    assert_eq!(
        first
            .fetch("a", 1, Duration::from_millis(100))
            .await
            .expect("fetch")
            .len(),
        1
    );
    tokio::time::sleep(Duration::from_millis(400)).await;
    let reclaimed = other
        .fetch("b", 1, Duration::from_millis(50))
        .await
        .expect("fetch");
    assert_eq!(reclaimed.len(), 1);
}
