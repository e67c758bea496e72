use lingo_kernel::jobs::{Job, JobContext, JobError, JobProgress};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// Returns its message after an optional delay, reporting progress each second: a smoke test of
/// the whole pipeline (`lingo-admin jobs echo`), and the long job of the crash tests.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SystemEcho {
    pub message: String,
    #[serde(default)]
    pub delay_ms: u64,
}

impl Job for SystemEcho {
    const NAME: &'static str = "system.echo";
    const MAX_ATTEMPTS: u32 = 3;
}

const MAX_DELAY: Duration = Duration::from_secs(600);

#[derive(Serialize)]
pub struct Echoed {
    echo: String,
    attempt: u32,
}

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
