//! The job-queue port. A job is a typed value with a stable name and a JSON payload; the queue is
//! at-least-once, so every handler must be idempotent (see docs/job-queue.md).

mod envelope;
mod handler;
mod job_requests;
mod ports;
mod retry;
pub mod system;

pub use crate::ids::JobId;
pub use envelope::{DeadJob, Delivery, JobEnvelope, JobProgress, JobRecord, JobStatus, NewJob};
pub use handler::{JobContext, JobError, ProgressSink};
pub use job_requests::{JobRequestError, JobService};
pub use ports::{DeadLetters, Enqueued, JobConsumer, JobQueue, QueueError, QueueStats, Terminal};
pub use retry::RetryPolicy;

use serde::Serialize;
use serde::de::DeserializeOwned;

/// A kind of background job: a serde payload with a stable name. The name is what travels in
/// the queue; renaming it orphans queued jobs, so treat it like a database column name.
pub trait Job: Serialize + DeserializeOwned + Send + Sync + 'static {
    const NAME: &'static str;
    /// How many times the job runs before it is dead-lettered.
    const MAX_ATTEMPTS: u32 = 5;
}
