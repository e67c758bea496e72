use super::JobDeps;
use lingo_dictionary::reconcile::{ReconcileReport, ReconcileWords};
use lingo_kernel::jobs::{JobContext, JobError};

/// Writes the word rows a source's entries lack (after an import that died between its two
/// stores). Idempotent: rows already present are left alone.
pub async fn run(
    deps: JobDeps,
    ctx: JobContext,
    job: ReconcileWords,
) -> Result<ReconcileReport, JobError> {
    deps.reconcile.run(&ctx, &job).await
}
