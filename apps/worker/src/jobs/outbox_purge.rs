use super::JobDeps;
use lingo_kernel::jobs::system::PurgeOutbox;
use lingo_kernel::jobs::{JobContext, JobError};
use serde::Serialize;
use std::time::Duration;

#[derive(Serialize)]
pub struct Purged {
    deleted: usize,
}

pub async fn run(deps: JobDeps, _ctx: JobContext, job: PurgeOutbox) -> Result<Purged, JobError> {
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
    Ok(Purged { deleted })
}
