use super::JobDeps;
use lingo_kernel::jobs::{JobContext, JobError};
use lingo_learning::purge_tombstones::{PurgeTombstones, TombstonesPurged};

/// Deletes sync tombstones older than the sync bound (docs/sync.md). Idempotent.
pub async fn run(
    deps: JobDeps,
    _ctx: JobContext,
    _job: PurgeTombstones,
) -> Result<TombstonesPurged, JobError> {
    deps.tombstone_purge
        .run()
        .await
        .map_err(|e| JobError::Retryable(e.to_string()))
}
