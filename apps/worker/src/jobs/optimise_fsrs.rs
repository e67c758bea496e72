use super::JobDeps;
use chrono::Duration;
use lingo_kernel::jobs::{Enqueued, JobContext, JobError, JobQueue, NewJob};
use lingo_learning::optimise::{
    OptimisationsEnqueued, OptimiseAllFsrs, OptimiseError, OptimiseFsrs, OptimiseOutcome,
    optimise_job_id,
};

/// Fits one learner's parameters. The fit takes seconds of CPU, so the use case runs on a
/// blocking thread (its few store calls are driven from there with `block_on`) and never
/// stalls the async workers. Idempotent: see `OptimiseService::run`.
pub async fn run(
    deps: JobDeps,
    _ctx: JobContext,
    job: OptimiseFsrs,
) -> Result<OptimiseOutcome, JobError> {
    let optimise = deps.optimise.clone();
    let runtime = tokio::runtime::Handle::current();
    let outcome = tokio::task::spawn_blocking(move || runtime.block_on(optimise.run(job.user_id)))
        .await
        .map_err(|e| {
            if e.is_panic() {
                JobError::Permanent(format!("optimiser panicked: {e}"))
            } else {
                JobError::Retryable(format!("optimiser cancelled: {e}"))
            }
        })?
        .map_err(|e| match e {
            OptimiseError::Store(e) => JobError::Retryable(e.to_string()),
            OptimiseError::Model(_) => JobError::Permanent(e.to_string()),
        })?;
    tracing::info!(user_id = %job.user_id, ?outcome, "fsrs parameters optimised");
    Ok(outcome)
}

/// Enqueues one optimisation per learner who reviewed in the last 24 hours. The job ids are
/// fixed per learner and day, so a rerun enqueues nothing new.
pub async fn run_all(
    deps: JobDeps,
    _ctx: JobContext,
    _job: OptimiseAllFsrs,
) -> Result<OptimisationsEnqueued, JobError> {
    let now = deps.clock.now();
    let learners = deps
        .review_history
        .active_learners(now - Duration::hours(24))
        .await
        .map_err(|e| JobError::Retryable(e.to_string()))?;
    let mut enqueued = 0;
    for user_id in &learners {
        let job = NewJob::of(&OptimiseFsrs { user_id: *user_id })
            .map_err(|e| JobError::Permanent(e.to_string()))?
            .with_id(optimise_job_id(*user_id, now.date_naive()));
        let created = deps
            .jobs
            .enqueue(job)
            .await
            .map_err(|e| JobError::Retryable(e.to_string()))?;
        enqueued += usize::from(created == Enqueued::Created);
    }
    tracing::info!(
        learners = learners.len(),
        enqueued,
        "fsrs optimisations enqueued"
    );
    Ok(OptimisationsEnqueued {
        learners: learners.len(),
        enqueued,
    })
}
