use lingo_kernel::jobs::{JobId, JobQueue, JobRecord, JobStatus, RetryPolicy};
use lingo_worker::{Registry, Worker, WorkerSettings};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub fn settings(name: &str) -> WorkerSettings {
    WorkerSettings {
        name: name.to_owned(),
        concurrency: 4,
        retry: RetryPolicy {
            base: Duration::from_millis(50),
            max: Duration::from_millis(200),
        },
        retry_window: Duration::ZERO,
        poll_block: Duration::from_millis(200),
        heartbeat_every: Duration::from_millis(200),
        shutdown_grace: Duration::from_secs(2),
    }
}

/// A worker running in this process until the returned sender fires (or is dropped).
pub struct Running {
    pub stop: oneshot::Sender<()>,
    pub task: JoinHandle<()>,
}

pub fn spawn(
    queue: &lingo_redis::RedisJobQueue,
    registry: Registry,
    settings: WorkerSettings,
) -> Running {
    let (stop, stopped) = oneshot::channel::<()>();
    let worker = Worker::new(Arc::new(queue.clone()), registry, settings);
    let task = tokio::spawn(worker.run(async move {
        let _ = stopped.await;
    }));
    Running { stop, task }
}

impl Running {
    pub async fn shutdown(self) {
        let _ = self.stop.send(());
        self.task.await.expect("worker task");
    }
}

pub async fn wait_for(
    queue: &impl JobQueue,
    id: JobId,
    status: JobStatus,
    within: Duration,
) -> JobRecord {
    let deadline = tokio::time::Instant::now() + within;
    let mut last = None;
    while tokio::time::Instant::now() < deadline {
        last = queue.status(id).await.expect("status");
        if last.as_ref().is_some_and(|r| r.status == status) {
            return last.expect("checked");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("job {id} never reached {status:?}; last seen {last:?}");
}

/// A worker on any consumer (the durable queue, or the broker alone).
pub fn spawn_on(
    consumer: Arc<dyn lingo_kernel::jobs::JobConsumer>,
    registry: Registry,
    settings: WorkerSettings,
) -> Running {
    let (stop, stopped) = oneshot::channel::<()>();
    let worker = Worker::new(consumer, registry, settings);
    let task = tokio::spawn(worker.run(async move {
        let _ = stopped.await;
    }));
    Running { stop, task }
}
