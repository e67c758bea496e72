use super::JobDeps;
use lingo_kernel::jobs::{Job, JobContext, JobError, JobQueue, QueueStats};
use serde::{Deserialize, Serialize};

/// Logs the depth of the queue and of the outbox backlog (a periodic health record).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct QueueStatsReport {}

impl Job for QueueStatsReport {
    const NAME: &'static str = "queue.stats";
    const MAX_ATTEMPTS: u32 = 1;
}

#[derive(Serialize)]
pub struct Report {
    queue: QueueStats,
    outbox_backlog: i64,
}

pub async fn run(
    deps: JobDeps,
    _ctx: JobContext,
    _job: QueueStatsReport,
) -> Result<Report, JobError> {
    let queue = deps
        .queue
        .stats()
        .await
        .map_err(|e| JobError::Retryable(e.to_string()))?;
    let outbox_backlog = deps
        .outbox
        .backlog()
        .await
        .map_err(|e| JobError::Retryable(e.to_string()))?;
    tracing::info!(
        ready = queue.ready,
        in_flight = queue.in_flight,
        delayed = queue.delayed,
        dead = queue.dead,
        outbox_backlog,
        "queue statistics"
    );
    Ok(Report {
        queue,
        outbox_backlog,
    })
}
