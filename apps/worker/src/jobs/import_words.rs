use super::JobDeps;
use lingo_kernel::jobs::{JobContext, JobError};
use lingo_learning::import_words::{ImportWords, ImportWordsReport};

/// Imports a learner's uploaded word list or Anki package into their deck.
pub async fn run(
    deps: JobDeps,
    ctx: JobContext,
    job: ImportWords,
) -> Result<ImportWordsReport, JobError> {
    deps.import_words.run(&ctx, &job).await
}
