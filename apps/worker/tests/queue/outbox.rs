//! Jobs that follow a PostgreSQL change go through the outbox: nothing is lost when Redis is
//! down, nothing is duplicated when the relay runs again.

use diesel_async::AsyncConnection;
use lingo_kernel::jobs::{JobQueue, JobStatus, NewJob};
use lingo_postgres::stage_job;
use lingo_redis::{QueueSettings, RedisJobQueue, RedisSettings};
use lingo_test_support::TestStores;
use lingo_worker::jobs::SystemEcho;
use std::net::TcpListener;
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
        std::sync::Arc::new(lingo_kernel::SystemClock),
    )
    .expect("queue")
}

fn echo() -> NewJob {
    NewJob::of(&SystemEcho {
        message: "from the outbox".into(),
        delay_ms: 0,
    })
    .expect("job")
}

#[tokio::test]
async fn a_job_staged_in_a_rolled_back_transaction_is_never_relayed() {
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
    assert_eq!(test.stores.outbox.backlog().await.expect("backlog"), 0);
    assert_eq!(
        test.stores
            .outbox
            .relay(&test.stores.queue, 100)
            .await
            .expect("relay"),
        0
    );
    assert!(
        test.stores
            .queue
            .status(job.id)
            .await
            .expect("status")
            .is_none()
    );
}

#[tokio::test]
async fn staged_jobs_survive_a_redis_outage_and_are_relayed_once() {
    let test = TestStores::new(&[]).await;
    let outbox = &test.stores.outbox;
    let job = echo();
    let mut conn = test.stores.postgres.get().await.expect("connection");
    conn.transaction::<(), lingo_postgres::OutboxError, _>(async |conn| {
        stage_job(conn, &job).await
    })
    .await
    .expect("committed");
    drop(conn);

    // Redis down: the relay fails and the row waits.
    assert!(outbox.relay(&unreachable_queue(), 100).await.is_err());
    assert_eq!(outbox.backlog().await.expect("backlog"), 1);

    // Redis back: relayed once; a second pass finds nothing.
    let queue = &test.stores.queue;
    assert_eq!(outbox.relay(queue, 100).await.expect("relay"), 1);
    assert_eq!(outbox.relay(queue, 100).await.expect("relay"), 0);
    assert_eq!(outbox.backlog().await.expect("backlog"), 0);
    let record = queue
        .status(job.id)
        .await
        .expect("status")
        .expect("enqueued");
    assert_eq!(record.status, JobStatus::Queued);
    assert_eq!(queue.stats().await.expect("stats").ready, 1);

    // Relayed rows are purged by age.
    assert_eq!(
        outbox
            .purge_relayed(Duration::from_secs(3600))
            .await
            .expect("purge"),
        0
    );
    assert_eq!(
        outbox.purge_relayed(Duration::ZERO).await.expect("purge"),
        1
    );
}
