use super::JobDeps;
use lingo_kernel::jobs::{JobContext, JobError};
use lingo_users::account::AccountError;
use lingo_users::export_account::{ExportAccount, ExportReady, ExportsPurged, PurgeExpiredExports};

fn failure(e: AccountError) -> JobError {
    match e {
        // The account was deleted meanwhile: nothing to export, ever.
        AccountError::NotFound => JobError::Permanent(e.to_string()),
        other => JobError::Retryable(other.to_string()),
    }
}

/// Writes the learner's complete export once under this job's id (a retry finds it).
pub async fn run(
    deps: JobDeps,
    ctx: JobContext,
    job: ExportAccount,
) -> Result<ExportReady, JobError> {
    deps.account_exports
        .run(ctx.job_id, job.user_id)
        .await
        .map_err(failure)
}

/// Deletes the exports past their download period. Idempotent.
pub async fn purge(
    deps: JobDeps,
    _ctx: JobContext,
    _job: PurgeExpiredExports,
) -> Result<ExportsPurged, JobError> {
    let purged = deps
        .account_exports
        .purge_expired()
        .await
        .map_err(failure)?;
    tracing::info!(deleted = purged.deleted, "expired account exports purged");
    Ok(purged)
}
