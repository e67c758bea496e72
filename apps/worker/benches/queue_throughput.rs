//! Queue throughput: enqueue → handled → acknowledged, in jobs per second, with 1 and 4 worker
//! loops (each running up to 16 jobs at once) on the Redis at LINGO_REDIS_URL. Prints figures;
//! `just bench` prints redis-benchmark's raw XADD rate next to them.

use lingo_kernel::jobs::{Job, JobError, JobQueue, NewJob, RetryPolicy};
use lingo_redis::{QueueSettings, RedisJobQueue, RedisSettings};
use lingo_worker::{Registry, Worker, WorkerSettings};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

#[derive(Serialize, Deserialize)]
struct Noop {
    n: u64,
}

impl Job for Noop {
    const NAME: &'static str = "bench.noop";
}

const JOBS: u64 = 5_000;

fn queue(prefix: &str) -> RedisJobQueue {
    let settings = RedisSettings {
        url: std::env::var("LINGO_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379/0".into()),
        key_prefix: prefix.to_owned(),
        command_timeout: Duration::from_secs(5),
        pool_size: 1,
    };
    RedisJobQueue::connect(
        &settings,
        QueueSettings {
            finished_retention: Duration::from_secs(60),
            ..QueueSettings::default()
        },
        std::sync::Arc::new(lingo_kernel::SystemClock),
    )
    .expect("redis queue")
}

async fn run(workers: usize) -> (f64, f64) {
    let prefix = format!("bench:{}:", uuid::Uuid::new_v4().simple());
    let queue = queue(&prefix);
    queue.ensure_group().await.expect("group");
    let started = Instant::now();
    for n in 0..JOBS {
        queue
            .enqueue(NewJob::of(&Noop { n }).expect("job"))
            .await
            .expect("enqueue");
    }
    let enqueue_rate = JOBS as f64 / started.elapsed().as_secs_f64();
    let done = Arc::new(AtomicU64::new(0));
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for i in 0..workers {
        let mut registry = Registry::new();
        let done = Arc::clone(&done);
        registry.register(move |_, job: Noop| {
            done.fetch_add(1, Ordering::Relaxed);
            async move { Ok::<_, JobError>(job.n) }
        });
        let worker = Worker::new(
            Arc::new(queue.clone()),
            registry,
            WorkerSettings {
                name: format!("bench-{i}"),
                concurrency: 16,
                retry: RetryPolicy::default(),
                retry_window: Duration::ZERO,
                poll_block: Duration::from_millis(100),
                heartbeat_every: Duration::from_secs(10),
                shutdown_grace: Duration::from_secs(5),
            },
        );
        let mut stopped = stopped.clone();
        tasks.push(tokio::spawn(worker.run(async move {
            let _ = stopped.wait_for(|s| *s).await;
        })));
    }
    while queue.stats().await.expect("stats").in_flight + queue.stats().await.expect("stats").ready
        > 0
        || done.load(Ordering::Relaxed) < JOBS
    {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let process_rate = JOBS as f64 / started.elapsed().as_secs_f64();
    let _ = stop.send(true);
    for task in tasks {
        let _ = task.await;
    }
    (enqueue_rate, process_rate)
}

#[tokio::main]
async fn main() {
    println!("queue throughput ({JOBS} jobs, Redis at LINGO_REDIS_URL)");
    for workers in [1, 4] {
        let (enqueue, process) = run(workers).await;
        println!(
            "  {workers} worker loop(s) x16: enqueue {enqueue:>8.0} jobs/s   handled+acked {process:>8.0} jobs/s"
        );
    }
}
