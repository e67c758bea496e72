use super::JobDeps;
use lingo_dictionary::import::{ImportDictionary, ImportReport};
use lingo_kernel::jobs::{JobContext, JobError};

/// Runs a dictionary import. Reading files is blocking I/O, so the use case runs on a blocking
/// thread and drives its store calls from there; it resumes from the job's last checkpoint.
pub async fn run(
    deps: JobDeps,
    ctx: JobContext,
    job: ImportDictionary,
) -> Result<ImportReport, JobError> {
    let import = deps.import.clone();
    let runtime = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || runtime.block_on(import.run(&ctx, &job.spec)))
        .await
        .map_err(|e| {
            if e.is_panic() {
                JobError::Permanent(format!("import panicked: {e}"))
            } else {
                JobError::Retryable(format!("import cancelled: {e}"))
            }
        })?
}
