use super::JobDeps;
use lingo_dictionary::speech::{RenderSpeech, Rendered};
use lingo_kernel::jobs::{JobContext, JobError};

/// Speaks one (language, text, voice) and stores the audio; see `PronunciationService::render`.
pub async fn run(deps: JobDeps, ctx: JobContext, job: RenderSpeech) -> Result<Rendered, JobError> {
    deps.pronunciation.render(ctx.job_id, &job).await
}
