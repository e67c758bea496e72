//! The consume loop: fetch as many jobs as there are free slots, run each in its own task under
//! its deadline, heartbeat the running ones, record outcomes, and on shutdown finish or hand
//! back. A job whose delivery this worker no longer owns (reclaimed after a pause, or lost with
//! the broker's data), or that it cannot heartbeat for within the visibility window, is
//! cancelled rather than run on: its new owner runs it, never both at once.

use crate::registry::Registry;
use async_trait::async_trait;
use futures_util::FutureExt;
use futures_util::future::{AbortHandle, abortable};
use lingo_kernel::Clock;
use lingo_kernel::jobs::{
    Delivery, JobConsumer, JobContext, JobError, JobId, JobProgress, ProgressSink, QueueError,
    RetryPolicy, Terminal,
};
use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{Notify, Semaphore};
use tokio::task::JoinSet;
use tracing::Instrument;

/// How long a job of a type no worker here knows waits before it is offered again.
const UNKNOWN_TYPE_DELAY: Duration = Duration::from_secs(30);
/// How long a job of an unknown type is kept waiting before it is dead-lettered.
const UNKNOWN_TYPE_PATIENCE: chrono::Duration = chrono::Duration::days(7);

#[derive(Debug, Clone)]
pub struct WorkerSettings {
    /// This worker's consumer name; unique per process.
    pub name: String,
    pub concurrency: usize,
    pub retry: RetryPolicy,
    /// A failing job is retried for at least this long after its creation (unless its type
    /// sets its own window); it is dead only once both this and its attempts are spent.
    pub retry_window: Duration,
    /// How long a fetch waits for new jobs; also bounds how fast shutdown is noticed.
    pub poll_block: Duration,
    /// At most this; the worker heartbeats at least three times per visibility timeout of the
    /// queue, whatever is configured here.
    pub heartbeat_every: Duration,
    /// How long shutdown waits for running jobs before handing them back.
    pub shutdown_grace: Duration,
}

struct InFlight {
    delivery: Delivery,
    abort: AbortHandle,
}

type InFlightMap = Arc<Mutex<HashMap<String, InFlight>>>;

pub struct Worker {
    consumer: Arc<dyn JobConsumer>,
    registry: Arc<Registry>,
    settings: WorkerSettings,
    in_flight: InFlightMap,
    /// Ages jobs against their retry window.
    clock: Arc<dyn Clock>,
}

/// Reports one delivery's progress through the queue (fenced by its token). A refusal means
/// another worker owns the job now: this run is cancelled at once.
struct QueueProgress {
    consumer: Arc<dyn JobConsumer>,
    delivery: Delivery,
    in_flight: InFlightMap,
}

#[async_trait]
impl ProgressSink for QueueProgress {
    async fn report(&self, _job: JobId, progress: &JobProgress) {
        match self
            .consumer
            .report_progress(&self.delivery, progress)
            .await
        {
            Ok(()) => {}
            Err(QueueError::NotOwner(_)) => cancel(
                &self.in_flight,
                &self.delivery.receipt,
                "its progress was refused: another worker owns it",
            ),
            Err(e) => tracing::warn!(error = %e, "progress not recorded"),
        }
    }
}

/// A flag the loop checks between fetches, set when the shutdown future resolves.
#[derive(Default)]
struct Stop {
    stopped: AtomicBool,
    notify: Notify,
}

fn lock(map: &InFlightMap) -> std::sync::MutexGuard<'_, HashMap<String, InFlight>> {
    map.lock().unwrap_or_else(|e| e.into_inner())
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
            clock: Arc::new(lingo_kernel::SystemClock),
        }
    }

    /// Ages jobs with `clock` (the composition root's) instead of the system clock.
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
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
                        let (job, abort) = abortable(self.job_task(delivery.clone()));
                        tracing::info!(
                            job.id = %delivery.envelope.id,
                            job.kind = %delivery.envelope.kind,
                            worker = %self.settings.name,
                            token = %delivery.token,
                            "job started"
                        );
                        lock(&self.in_flight)
                            .insert(delivery.receipt.clone(), InFlight { delivery, abort });
                        tasks.spawn(async move {
                            let _ = job.await;
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
        let unfinished: Vec<Delivery> = lock(&self.in_flight)
            .drain()
            .map(|(_, f)| f.delivery)
            .collect();
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
        let configured = self.settings.heartbeat_every;
        tokio::spawn(async move {
            let mut visibility = consumer.visibility_timeout().await.ok();
            let mut last_ok = tokio::time::Instant::now();
            loop {
                let every = match visibility {
                    Some(v) => configured.min(v / 3).max(Duration::from_millis(50)),
                    None => configured,
                };
                tokio::time::sleep(every).await;
                let receipts: Vec<String> = lock(&in_flight).keys().cloned().collect();
                if receipts.is_empty() {
                    last_ok = tokio::time::Instant::now();
                    continue;
                }
                // Woken long after the last confirmed heartbeat (the process was paused, or the
                // broker unreachable): another worker may own these jobs now. Stop them first,
                // before anything else runs on.
                let window = visibility.unwrap_or(configured * 3).saturating_sub(every);
                if last_ok.elapsed() >= window {
                    for receipt in &receipts {
                        cancel(
                            &in_flight,
                            receipt,
                            "its heartbeat lapsed past the visibility window",
                        );
                    }
                    last_ok = tokio::time::Instant::now();
                    continue;
                }
                match consumer.heartbeat(&name, &receipts).await {
                    Ok(lost) => {
                        last_ok = tokio::time::Instant::now();
                        for receipt in lost {
                            cancel(&in_flight, &receipt, "its delivery is no longer ours");
                        }
                        if visibility.is_none() {
                            visibility = consumer.visibility_timeout().await.ok();
                        }
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "heartbeat failed");
                        // Past this, another worker may have been given our jobs.
                        if last_ok.elapsed() >= window {
                            for receipt in receipts {
                                cancel(&in_flight, &receipt, "it could not be heartbeated in time");
                            }
                        }
                    }
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
        let retry_window = self.settings.retry_window;
        let now = self.clock.now();
        let envelope = &delivery.envelope;
        let span = tracing::info_span!(
            "job",
            job.id = %envelope.id,
            job.kind = %envelope.kind,
            job.attempt = envelope.attempts + 1,
        );
        lingo_bootstrap::telemetry::continue_trace(&span, &envelope.trace);
        async move {
            // Once the handler is done, the outcome is being recorded: no more heartbeats for
            // it and no cancelling halfway through (the broker forgets the delivery first).
            let settle = || {
                lock(&in_flight).remove(&delivery.receipt);
            };
            run_one(
                consumer,
                &registry,
                (retry, retry_window, now),
                &delivery,
                Arc::clone(&in_flight),
                settle,
            )
            .await;
            lock(&in_flight).remove(&delivery.receipt);
        }
        .instrument(span)
    }
}

/// Stops a running job without recording an outcome: the queue gives it to its owner.
fn cancel(in_flight: &InFlightMap, receipt: &str, why: &str) {
    if let Some(job) = lock(in_flight).remove(receipt) {
        job.abort.abort();
        tracing::warn!(job.id = %job.delivery.envelope.id, why, "job cancelled");
    }
}

async fn run_one(
    consumer: Arc<dyn JobConsumer>,
    registry: &Registry,
    (retry, retry_window, now): (RetryPolicy, Duration, chrono::DateTime<chrono::Utc>),
    delivery: &Delivery,
    in_flight: InFlightMap,
    settle: impl FnOnce(),
) {
    let envelope = &delivery.envelope;
    let age = now - envelope.created_at;
    let Some(registered) = registry.lookup(&envelope.kind) else {
        settle();
        let reason = format!("unknown job type '{}'", envelope.kind);
        if age > UNKNOWN_TYPE_PATIENCE {
            tracing::warn!(%reason, "job of an unknown type dead-lettered after a week");
            record(consumer.bury(delivery, Terminal::Dead, &reason).await);
        } else {
            tracing::info!(%reason, "no handler here; the job waits for a worker that knows it");
            record(
                consumer
                    .postpone(delivery, &reason, UNKNOWN_TYPE_DELAY)
                    .await,
            );
        }
        return;
    };
    let context = JobContext::new(
        envelope.id,
        envelope.attempts + 1,
        envelope.max_attempts,
        Arc::new(QueueProgress {
            consumer: Arc::clone(&consumer),
            delivery: delivery.clone(),
            in_flight,
        }),
    );
    let deadline = registered.deadline;
    // A panicking handler fails its attempt; it never takes the worker down. An attempt that
    // outlives its deadline is cancelled and retried.
    let attempt =
        AssertUnwindSafe((registered.handler)(context, envelope.payload.clone())).catch_unwind();
    let outcome = match tokio::time::timeout(deadline, attempt).await {
        Ok(Ok(outcome)) => outcome,
        Ok(Err(_)) => Err(JobError::Retryable("the handler panicked".to_owned())),
        Err(_) => Err(JobError::Retryable(format!(
            "the attempt exceeded its deadline of {} s",
            deadline.as_secs()
        ))),
    };
    settle();
    let window = registered.retry_window.unwrap_or(retry_window);
    let window_spent = age >= chrono::Duration::from_std(window).unwrap_or(chrono::Duration::MAX);
    let recorded = match outcome {
        Ok(result) => {
            let recorded = consumer.succeed(delivery, result).await;
            if recorded.is_ok() {
                tracing::info!("job succeeded");
            }
            recorded
        }
        Err(JobError::Permanent(reason)) => {
            tracing::warn!(%reason, "job failed permanently");
            consumer.bury(delivery, Terminal::Failed, &reason).await
        }
        Err(JobError::Retryable(reason)) if envelope.is_last_attempt() && window_spent => {
            tracing::warn!(%reason, "job failed with its attempts and retry window spent; dead-lettered");
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

fn record(outcome: Result<(), QueueError>) {
    match outcome {
        Ok(()) => {}
        Err(QueueError::NotOwner(id)) => tracing::warn!(
            job.id = %id,
            "job outcome refused: the job was reclaimed by another worker, which runs it now"
        ),
        Err(e) => {
            tracing::warn!(error = %e, "job outcome not recorded; the job will be delivered again")
        }
    }
}
