//! Several scheduler replicas against one Redis: every tick enqueues exactly once, and a
//! replica takes over when the leader dies.

use lingo_kernel::jobs::JobQueue;
use lingo_redis::RedisLease;
use lingo_scheduler::{Scheduler, parse_schedule};
use lingo_test_support::TestStores;
use std::sync::Arc;
use std::time::Duration;

const EVERY_SECOND: &str = "queue.stats=* * * * * *";

fn replica(test: &TestStores, holder: &str, lease_ttl: Duration) -> Scheduler {
    let lease = RedisLease::new(
        test.stores.redis.clone(),
        test.prefix(),
        "scheduler",
        holder,
        lease_ttl,
    );
    let entries = parse_schedule(EVERY_SECOND, &["queue.stats"]).expect("schedule");
    let mut scheduler = Scheduler::new(
        lease,
        Arc::new(test.stores.queue.clone()),
        entries,
        Duration::from_millis(100),
        Arc::new(lingo_kernel::SystemClock),
    );
    scheduler.lookback = lease_ttl * 2;
    scheduler
}

#[tokio::test]
async fn two_replicas_enqueue_each_tick_exactly_once() {
    let test = TestStores::new(&[]).await;
    let run_for = || tokio::time::sleep(Duration::from_millis(3_500));
    let a = replica(&test, "a", Duration::from_secs(2));
    let b = replica(&test, "b", Duration::from_secs(2));
    let (fired_a, fired_b) = tokio::join!(a.run(run_for()), b.run(run_for()));
    let jobs = test.stores.queue.stats().await.expect("stats").ready;
    // One replica leads; together they fired once per tick, and each firing is one job.
    assert!(
        fired_a == 0 || fired_b == 0,
        "a fired {fired_a}, b fired {fired_b}"
    );
    assert_eq!(fired_a + fired_b, jobs);
    assert!((3..=8).contains(&jobs), "{jobs} jobs in 3.5 s");
}

#[tokio::test]
async fn a_replica_takes_over_when_the_leader_dies() {
    let test = TestStores::new(&[]).await;
    let ttl = Duration::from_millis(600);
    let leader = replica(&test, "leader", ttl);
    // The leader runs alone, then dies without releasing its lease.
    let dead = tokio::spawn(leader.run(std::future::pending()));
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    dead.abort();
    let before = test.stores.queue.stats().await.expect("stats").ready;
    assert!(before >= 1);

    let standby = replica(&test, "standby", ttl);
    let fired = standby
        .run(tokio::time::sleep(Duration::from_millis(3_000)))
        .await;
    assert!(fired >= 2, "standby fired {fired}");
    let after = test.stores.queue.stats().await.expect("stats").ready;
    assert_eq!(after, before + fired, "no tick fired twice");
}

#[tokio::test]
async fn a_tick_whose_enqueue_failed_fires_on_a_later_pass() {
    use lingo_kernel::jobs::{DispatchSettings, DurableJobs};
    let test = TestStores::new(&[]).await;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("port")
        .local_addr()
        .expect("addr")
        .port();
    // PostgreSQL unreachable: the job ledger refuses the job, so nothing is accepted.
    let down = lingo_postgres::connect(&lingo_postgres::PoolSettings {
        url: format!("postgres://postgres@127.0.0.1:{port}/nowhere"),
        max_size: 1,
        acquire_timeout: Duration::from_millis(200),
        statement_timeout: Duration::from_secs(5),
        lock_timeout: Duration::from_secs(2),
    })
    .expect("pool");
    let unrecorded = DurableJobs::new(
        Arc::new(lingo_postgres::PgJobLedger::new(
            down,
            Arc::new(lingo_kernel::SystemClock),
        )),
        Arc::new(test.stores.queue.clone()),
        Arc::new(lingo_kernel::SystemClock),
        DispatchSettings::default(),
    );
    let entries = || parse_schedule(EVERY_SECOND, &["queue.stats"]).expect("schedule");
    let lease = || {
        RedisLease::new(
            test.stores.redis.clone(),
            test.prefix(),
            "scheduler",
            "only",
            Duration::from_secs(5),
        )
    };
    let clock: Arc<dyn lingo_kernel::Clock> = Arc::new(lingo_kernel::SystemClock);
    let now = chrono::Utc::now();
    let mut failing = Scheduler::new(
        lease(),
        Arc::new(unrecorded),
        entries(),
        Duration::from_millis(100),
        clock.clone(),
    );
    failing.lookback = Duration::from_secs(2);
    assert_eq!(failing.pass(now).await, 0);
    // The store is back: the same ticks fire, once.
    let mut healthy = Scheduler::new(
        lease(),
        Arc::new(test.stores.jobs.clone()),
        entries(),
        Duration::from_millis(100),
        clock,
    );
    healthy.lookback = Duration::from_secs(2);
    let fired = healthy.pass(now).await;
    assert!(fired >= 2, "fired {fired}");
    assert_eq!(healthy.pass(now).await, 0, "no tick fires twice");
    assert_eq!(test.stores.queue.stats().await.expect("stats").ready, fired);
}
