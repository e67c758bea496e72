use lingo_kernel::jobs::system::{Echoed, SystemEcho};
use lingo_kernel::jobs::{JobContext, JobError, JobProgress};
use std::time::Duration;

const MAX_DELAY: Duration = Duration::from_secs(600);

pub async fn run(ctx: JobContext, job: SystemEcho) -> Result<Echoed, JobError> {
    let delay = Duration::from_millis(job.delay_ms).min(MAX_DELAY);
    let steps = delay.as_secs().max(1);
    let step = delay / steps as u32;
    for done in 1..=steps {
        tokio::time::sleep(step).await;
        ctx.report_progress(&JobProgress {
            processed: done,
            total: Some(steps),
            ..Default::default()
        })
        .await;
    }
    Ok(Echoed {
        echo: job.message,
        attempt: ctx.attempt,
    })
}
