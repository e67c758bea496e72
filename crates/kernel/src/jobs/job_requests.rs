//! The job use cases of the api: follow a job one started, and the administrators' operations on
//! the queue (dead letters, the echo smoke test). Visibility is decided here, not in handlers.

use super::system::SystemEcho;
use super::{DeadJob, DeadLetters, JobId, JobQueue, JobRecord, NewJob, QueueError};
use crate::{Caller, Forbidden};
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum JobRequestError {
    /// No such job, or one the caller may not see: the same answer, so ids cannot be probed.
    #[error("no job with this id")]
    NotFound,
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    #[error(transparent)]
    Queue(#[from] QueueError),
}

/// Follows and manages background jobs for a caller.
#[derive(Clone)]
pub struct JobService {
    queue: Arc<dyn JobQueue>,
    dead_letters: Arc<dyn DeadLetters>,
}

impl JobService {
    pub fn new(queue: Arc<dyn JobQueue>, dead_letters: Arc<dyn DeadLetters>) -> Self {
        Self {
            queue,
            dead_letters,
        }
    }

    /// The job, if the caller started it or is an administrator.
    pub async fn status(&self, caller: Caller, id: JobId) -> Result<JobRecord, JobRequestError> {
        let record = self
            .queue
            .status(id)
            .await?
            .ok_or(JobRequestError::NotFound)?;
        if caller.may_see(record.owner) {
            Ok(record)
        } else {
            Err(JobRequestError::NotFound)
        }
    }

    /// Enqueues a job built by another use case (its id decides idempotency) and returns its id.
    pub async fn enqueue(&self, job: NewJob) -> Result<JobId, JobRequestError> {
        let id = job.id;
        self.queue.enqueue(job).await?;
        Ok(id)
    }

    /// Dead jobs, newest first (administrators only).
    pub async fn dead(
        &self,
        caller: Caller,
        limit: usize,
    ) -> Result<Vec<DeadJob>, JobRequestError> {
        caller.require_admin()?;
        Ok(self.dead_letters.list(limit).await?)
    }

    /// Puts a dead job back in the queue (administrators only).
    pub async fn requeue(&self, caller: Caller, id: JobId) -> Result<(), JobRequestError> {
        caller.require_admin()?;
        if self.dead_letters.requeue(id).await? {
            Ok(())
        } else {
            Err(JobRequestError::NotFound)
        }
    }

    /// Enqueues a `system.echo` job owned by the caller (administrators only).
    pub async fn echo(&self, caller: Caller, echo: SystemEcho) -> Result<JobId, JobRequestError> {
        caller.require_admin()?;
        let job = NewJob::of(&echo)
            .map_err(|e| QueueError::Encoding(e.to_string()))?
            .owned_by(caller.user);
        self.enqueue(job).await
    }
}
