use super::{DeadJob, Delivery, JobId, JobProgress, JobRecord, NewJob};
use async_trait::async_trait;
use serde_json::Value;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum QueueError {
    #[error("job queue unavailable: {0}")]
    Unavailable(String),
    #[error("job could not be encoded: {0}")]
    Encoding(String),
    /// The outcome came from a delivery that no longer owns the job (it was reclaimed by another
    /// worker, or already finished): refused, nothing changed.
    #[error("job {0} is owned by another delivery")]
    NotOwner(JobId),
}

/// Whether an enqueue created the job or found it already there (same id).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Enqueued {
    Created,
    AlreadyExists,
}

/// Depth of the queue, for metrics and the statistics job.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct QueueStats {
    /// Waiting in the stream, not yet delivered.
    pub ready: u64,
    /// Delivered to a worker and not yet acknowledged.
    pub in_flight: u64,
    /// Waiting for a retry backoff to pass.
    pub delayed: u64,
    /// In the dead-letter stream.
    pub dead: u64,
}

/// How a job ends when it will not run again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Terminal {
    Failed,
    Dead,
}

/// The producer side, used by the api, the scheduler and the outbox relay.
#[async_trait]
pub trait JobQueue: Send + Sync {
    /// Enqueues the job unless a job with the same id exists.
    async fn enqueue(&self, job: NewJob) -> Result<Enqueued, QueueError>;
    async fn status(&self, id: JobId) -> Result<Option<JobRecord>, QueueError>;
    async fn stats(&self) -> Result<QueueStats, QueueError>;
}

/// The consumer side, used by the worker.
#[async_trait]
pub trait JobConsumer: Send + Sync {
    /// Up to `max` jobs for `consumer`: jobs abandoned by dead workers first, then new ones,
    /// waiting at most `block` when there is nothing. Due retries are promoted on the way, and
    /// unusable messages are dead-lettered here rather than returned.
    async fn fetch(
        &self,
        consumer: &str,
        max: usize,
        block: Duration,
    ) -> Result<Vec<Delivery>, QueueError>;
    /// Tells the queue that `consumer` is still working on these deliveries, so they are not
    /// reclaimed by another worker. Returns the receipts it no longer owns (reclaimed after a
    /// pause past the visibility timeout): their jobs must be cancelled, not run on.
    async fn heartbeat(
        &self,
        consumer: &str,
        receipts: &[String],
    ) -> Result<Vec<String>, QueueError>;
    /// The queue's one visibility timeout, shared by every worker: a delivery not heartbeated
    /// for this long is reclaimed.
    async fn visibility_timeout(&self) -> Result<Duration, QueueError>;
    async fn report_progress(
        &self,
        delivery: &Delivery,
        progress: &JobProgress,
    ) -> Result<(), QueueError>;
    async fn succeed(&self, delivery: &Delivery, result: Value) -> Result<(), QueueError>;
    /// Records the failure and makes the job run again after `delay`.
    async fn retry_later(
        &self,
        delivery: &Delivery,
        error: &str,
        delay: Duration,
    ) -> Result<(), QueueError>;
    /// Makes the job run again after `delay` without spending an attempt (no worker here knows
    /// its type yet, as during a rolling deploy).
    async fn postpone(
        &self,
        delivery: &Delivery,
        reason: &str,
        delay: Duration,
    ) -> Result<(), QueueError>;
    /// Moves the job to the dead-letter stream with its reason.
    async fn bury(
        &self,
        delivery: &Delivery,
        how: Terminal,
        reason: &str,
    ) -> Result<(), QueueError>;
    /// Hands an unfinished job back to the queue at once (worker shutting down).
    async fn release(&self, delivery: &Delivery) -> Result<(), QueueError>;
}

/// Operations on the dead-letter stream, for admins.
#[async_trait]
pub trait DeadLetters: Send + Sync {
    async fn list(&self, limit: usize) -> Result<Vec<DeadJob>, QueueError>;
    /// Puts a dead job back in the queue with fresh attempts; false when no such dead job.
    async fn requeue(&self, id: JobId) -> Result<bool, QueueError>;
}
