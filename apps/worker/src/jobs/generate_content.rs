use super::JobDeps;
use lingo_content::generate_content::{GenerateContent, Generation};
use lingo_kernel::jobs::{JobContext, JobError};

/// Generates (or finds) one word's learner content; see `ContentGenerationService::run`.
pub async fn run(
    deps: JobDeps,
    _ctx: JobContext,
    job: GenerateContent,
) -> Result<Generation, JobError> {
    deps.content.run(&job).await
}
