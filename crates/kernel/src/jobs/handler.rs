use super::{JobId, JobProgress};
use async_trait::async_trait;
use std::sync::Arc;

/// How a job handler failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JobError {
    /// Worth another attempt later (a store or an API was unavailable).
    #[error("{0}")]
    Retryable(String),
    /// Retrying cannot help (invalid payload, a record that no longer exists).
    #[error("{0}")]
    Permanent(String),
}

/// Where a running job reports its progress.
#[async_trait]
pub trait ProgressSink: Send + Sync {
    async fn report(&self, job: JobId, progress: &JobProgress);
}

/// What a handler knows about the run it is in.
#[derive(Clone)]
pub struct JobContext {
    pub job_id: JobId,
    /// 1 on the first run.
    pub attempt: u32,
    pub max_attempts: u32,
    progress: Arc<dyn ProgressSink>,
}

impl JobContext {
    pub fn new(
        job_id: JobId,
        attempt: u32,
        max_attempts: u32,
        progress: Arc<dyn ProgressSink>,
    ) -> Self {
        Self {
            job_id,
            attempt,
            max_attempts,
            progress,
        }
    }

    pub async fn report_progress(&self, progress: &JobProgress) {
        self.progress.report(self.job_id, progress).await;
    }
}
