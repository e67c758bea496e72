//! The consume loop: fetch as many jobs as there are free slots, run each in its own task,
//! heartbeat the running ones, record outcomes, and on shutdown finish or hand back.

use crate::registry::Registry;
use async_trait::async_trait;
use futures_util::FutureExt;
use lingo_kernel::jobs::{
    Delivery, JobConsumer, JobContext, JobError, JobId, JobProgress, ProgressSink, RetryPolicy,
    Terminal,
};
use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{Notify, Semaphore};
use tokio::task::JoinSet;
use tracing::Instrument;

#[derive(Debug, Clone)]
pub struct WorkerSettings {
    /// This worker's consumer name; unique per process.
    pub name: String,
    pub concurrency: usize,
    pub retry: RetryPolicy,
    /// How long a fetch waits for new jobs; also bounds how fast shutdown is noticed.
    pub poll_block: Duration,
    /// Must be well under the queue's visibility timeout.
    pub heartbeat_every: Duration,
    /// How long shutdown waits for running jobs before handing them back.
    pub shutdown_grace: Duration,
}

pub struct Worker {
    consumer: Arc<dyn JobConsumer>,
    registry: Arc<Registry>,
    settings: WorkerSettings,
    in_flight: Arc<Mutex<HashMap<String, Delivery>>>,
}

/// Reports progress through the queue.
struct QueueProgress(Arc<dyn JobConsumer>);

#[async_trait]
impl ProgressSink for QueueProgress {
    async fn report(&self, job: JobId, progress: &JobProgress) {
        if let Err(e) = self.0.report_progress(job, progress).await {
            tracing::warn!(error = %e, "progress not recorded");
        }
    }
}

/// A flag the loop checks between fetches, set when the shutdown future resolves.
#[derive(Default)]
struct Stop {
    stopped: AtomicBool,
    notify: Notify,
}

impl Worker {
    pub fn new(
        consumer: Arc<dyn JobConsumer>,
        registry: Registry,
        settings: WorkerSettings,
    ) -> Self {
        Self {
            consumer,
            registry: Arc::new(registry),
            settings,
            in_flight: Arc::default(),
        }
    }

    fn in_flight(&self) -> std::sync::MutexGuard<'_, HashMap<String, Delivery>> {
        self.in_flight.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Runs until `shutdown` resolves, then drains.
    pub async fn run(self, shutdown: impl std::future::Future<Output = ()> + Send + 'static) {
        let stop = Arc::new(Stop::default());
        let watcher = {
            let stop = Arc::clone(&stop);
            tokio::spawn(async move {
                shutdown.await;
                stop.stopped.store(true, Ordering::SeqCst);
                stop.notify.notify_waiters();
            })
        };
        let heartbeat = self.spawn_heartbeat();
        let slots = Arc::new(Semaphore::new(self.settings.concurrency));
        let mut tasks = JoinSet::new();
        tracing::info!(worker = %self.settings.name, concurrency = self.settings.concurrency, "worker started");
        while !stop.stopped.load(Ordering::SeqCst) {
            while tasks.try_join_next().is_some() {}
            let free = slots.available_permits();
            if free == 0 {
                tokio::select! {
                    _ = tasks.join_next() => {},
                    () = stop.notify.notified() => {},
                }
                continue;
            }
            match self
                .consumer
                .fetch(&self.settings.name, free, self.settings.poll_block)
                .await
            {
                Ok(deliveries) => {
                    for delivery in deliveries {
                        let Ok(permit) = Arc::clone(&slots).try_acquire_owned() else {
                            break;
                        };
                        self.in_flight()
                            .insert(delivery.receipt.clone(), delivery.clone());
                        let job = self.job_task(delivery);
                        tasks.spawn(async move {
                            job.await;
                            drop(permit);
                        });
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, "fetching jobs failed; retrying");
                    tokio::select! {
                        () = tokio::time::sleep(Duration::from_secs(1)) => {},
                        () = stop.notify.notified() => {},
                    }
                }
            }
        }
        self.drain(tasks).await;
        heartbeat.abort();
        watcher.abort();
        tracing::info!(worker = %self.settings.name, "worker stopped");
    }

    /// Waits for running jobs up to the grace period, then hands the rest back to the queue.
    async fn drain(&self, mut tasks: JoinSet<()>) {
        let finished = tokio::time::timeout(self.settings.shutdown_grace, async {
            while tasks.join_next().await.is_some() {}
        })
        .await;
        if finished.is_ok() {
            return;
        }
        tasks.abort_all();
        while tasks.join_next().await.is_some() {}
        let unfinished: Vec<Delivery> = self.in_flight().drain().map(|(_, d)| d).collect();
        for delivery in unfinished {
            match self.consumer.release(&delivery).await {
                Ok(()) => tracing::info!(job.id = %delivery.envelope.id, "job handed back"),
                Err(e) => tracing::warn!(
                    job.id = %delivery.envelope.id, error = %e,
                    "job not handed back; it is reclaimed after the visibility timeout"
                ),
            }
        }
    }

    fn spawn_heartbeat(&self) -> tokio::task::JoinHandle<()> {
        let consumer = Arc::clone(&self.consumer);
        let in_flight = Arc::clone(&self.in_flight);
        let name = self.settings.name.clone();
        let every = self.settings.heartbeat_every;
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(every).await;
                let receipts: Vec<String> = in_flight
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .keys()
                    .cloned()
                    .collect();
                if let Err(e) = consumer.heartbeat(&name, &receipts).await {
                    tracing::warn!(error = %e, "heartbeat failed");
                }
            }
        })
    }

    fn job_task(
        &self,
        delivery: Delivery,
    ) -> impl std::future::Future<Output = ()> + Send + 'static {
        let consumer = Arc::clone(&self.consumer);
        let registry = Arc::clone(&self.registry);
        let in_flight = Arc::clone(&self.in_flight);
        let retry = self.settings.retry;
        let envelope = &delivery.envelope;
        let span = tracing::info_span!(
            "job",
            job.id = %envelope.id,
            job.kind = %envelope.kind,
            job.attempt = envelope.attempts + 1,
        );
        lingo_bootstrap::telemetry::continue_trace(&span, &envelope.trace);
        async move {
            run_one(consumer, &registry, retry, &delivery).await;
            in_flight
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .remove(&delivery.receipt);
        }
        .instrument(span)
    }
}

async fn run_one(
    consumer: Arc<dyn JobConsumer>,
    registry: &Registry,
    retry: RetryPolicy,
    delivery: &Delivery,
) {
    let envelope = &delivery.envelope;
    let Some(handler) = registry.get(&envelope.kind) else {
        let reason = format!("unknown job type '{}'", envelope.kind);
        tracing::warn!(%reason, "job dead-lettered");
        record(consumer.bury(delivery, Terminal::Dead, &reason).await);
        return;
    };
    let context = JobContext::new(
        envelope.id,
        envelope.attempts + 1,
        envelope.max_attempts,
        Arc::new(QueueProgress(Arc::clone(&consumer))),
    );
    // A panicking handler fails its attempt; it never takes the worker down.
    let outcome = AssertUnwindSafe(handler(context, envelope.payload.clone()))
        .catch_unwind()
        .await
        .unwrap_or_else(|_| Err(JobError::Retryable("the handler panicked".to_owned())));
    let recorded = match outcome {
        Ok(result) => {
            tracing::info!("job succeeded");
            consumer.succeed(delivery, result).await
        }
        Err(JobError::Permanent(reason)) => {
            tracing::warn!(%reason, "job failed permanently");
            consumer.bury(delivery, Terminal::Failed, &reason).await
        }
        Err(JobError::Retryable(reason)) if envelope.is_last_attempt() => {
            tracing::warn!(%reason, "job failed on its last attempt; dead-lettered");
            consumer.bury(delivery, Terminal::Dead, &reason).await
        }
        Err(JobError::Retryable(reason)) => {
            let delay = retry.delay(envelope.attempts + 1, fastrand::f64());
            tracing::info!(%reason, delay_ms = delay.as_millis() as u64, "job failed; will retry");
            consumer.retry_later(delivery, &reason, delay).await
        }
    };
    record(recorded);
}

fn record(outcome: Result<(), lingo_kernel::jobs::QueueError>) {
    if let Err(e) = outcome {
        tracing::warn!(error = %e, "job outcome not recorded; the job will be delivered again");
    }
}
