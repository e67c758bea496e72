//! The job-queue port. A job is a typed value with a stable name and a JSON payload; the queue is
//! at-least-once, so every handler must be idempotent (see docs/job-queue.md).

mod durable;
mod envelope;
mod handler;
mod job_requests;
mod ledger;
mod ports;
mod retry;
pub mod system;

pub use crate::ids::JobId;
pub use durable::{DispatchReport, DispatchSettings, DurableJobs, JobBroker};
pub use envelope::{DeadJob, Delivery, JobEnvelope, JobProgress, JobRecord, JobStatus, NewJob};
pub use handler::{JobContext, JobError, ProgressSink};
pub use job_requests::{JobRequestError, JobService};
pub use ledger::{DispatchFailure, JobLedger, LedgerEntry, LedgerUpdate, Recorded};
pub use ports::{DeadLetters, Enqueued, JobConsumer, JobQueue, QueueError, QueueStats, Terminal};
pub use retry::RetryPolicy;

use serde::Serialize;
use serde::de::DeserializeOwned;
use std::time::Duration;

/// A kind of background job: a serde payload with a stable name. The name is what travels in
/// the queue; renaming it orphans queued jobs, so treat it like a database column name.
pub trait Job: Serialize + DeserializeOwned + Send + Sync + 'static {
    const NAME: &'static str;
    /// How many times the job runs at least before it is dead-lettered.
    const MAX_ATTEMPTS: u32 = 5;
    /// How long after its creation a failing job keeps being retried, whatever its attempts:
    /// a budget in time, so a store outage of minutes does not dead-letter it. `None` takes
    /// the worker's configured window; `Some(ZERO)` stops at `MAX_ATTEMPTS`.
    const RETRY_WINDOW: Option<Duration> = None;
    /// How long one attempt may run before it is cancelled and retried.
    const DEADLINE: Duration = Duration::from_secs(600);
}
