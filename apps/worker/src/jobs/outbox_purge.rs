use super::JobDeps;
use lingo_kernel::jobs::system::{OutboxPurged, PurgeOutbox};
use lingo_kernel::jobs::{JobContext, JobError};
use std::time::Duration;

pub async fn run(
    deps: JobDeps,
    _ctx: JobContext,
    job: PurgeOutbox,
) -> Result<OutboxPurged, JobError> {
    let retention = job
        .older_than_secs
        .map(Duration::from_secs)
        .unwrap_or(deps.outbox_retention);
    let deleted = deps
        .jobs
        .ledger()
        .purge_finished(retention)
        .await
        .map_err(|e| JobError::Retryable(e.to_string()))?;
    tracing::info!(deleted, "finished jobs purged from the ledger");
    Ok(OutboxPurged { deleted })
}
