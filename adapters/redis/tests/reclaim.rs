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
