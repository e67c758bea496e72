use super::JobDeps;
use lingo_content::prepare_content::Prepared;
use lingo_kernel::jobs::{JobContext, JobError};
use lingo_learning::prepare_content::PrepareContent;

/// Enqueues the content generations of words that reached a learner's deck; see
/// `ContentPreparationService::prepare`.
pub async fn run(
    deps: JobDeps,
    _ctx: JobContext,
    job: PrepareContent,
) -> Result<Prepared, JobError> {
    let prepared = deps
        .content_preparation
        .prepare(job.learner, &job.words)
        .await?;
    tracing::info!(
        learner = %job.learner,
        ready = prepared.ready,
        enqueued = prepared.enqueued,
        "content prepared"
    );
    Ok(prepared)
}
