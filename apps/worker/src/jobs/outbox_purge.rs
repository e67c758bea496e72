use super::JobDeps;
use lingo_kernel::jobs::{Job, JobContext, JobError};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// Deletes outbox rows relayed longer ago than the retention. Idempotent.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PurgeOutbox {
    /// Overrides the configured retention.
    #[serde(default)]
    pub older_than_secs: Option<u64>,
}

impl Job for PurgeOutbox {
    const NAME: &'static str = "outbox.purge";
}

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
        .outbox
        .purge_relayed(retention)
        .await
        .map_err(|e| JobError::Retryable(e.to_string()))?;
    tracing::info!(deleted, "outbox purged");
    Ok(Purged { deleted })
}
