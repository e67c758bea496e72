use super::JobDeps;
use lingo_kernel::jobs::system::{QueueStatsReport, QueueStatsReported};
use lingo_kernel::jobs::{JobContext, JobError, JobQueue};

pub async fn run(
    deps: JobDeps,
    _ctx: JobContext,
    _job: QueueStatsReport,
) -> Result<QueueStatsReported, JobError> {
    let queue = deps
        .jobs
        .stats()
        .await
        .map_err(|e| JobError::Retryable(e.to_string()))?;
    let outbox_backlog = deps
        .jobs
        .ledger()
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
    Ok(QueueStatsReported {
        queue,
        outbox_backlog,
    })
}
