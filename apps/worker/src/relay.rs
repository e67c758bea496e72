//! The dispatcher, in every worker process: hands jobs staged in the PostgreSQL ledger to the
//! broker and compares unfinished ones with it, dispatching again what the broker lost.

use lingo_kernel::jobs::DurableJobs;
use std::time::Duration;

const BATCH: usize = 200;

/// Runs until `shutdown` resolves: full batches back to back, otherwise every `interval`.
/// Failures (either store down) are logged and retried on the next pass; nothing is lost
/// because a ledger row stays due until the broker has accepted its job.
pub async fn run(
    jobs: DurableJobs,
    interval: Duration,
    shutdown: impl std::future::Future<Output = ()>,
) {
    tokio::pin!(shutdown);
    loop {
        let wait = match jobs.dispatch_pass(BATCH).await {
            Ok(report) if report.claimed == BATCH => Duration::ZERO,
            Ok(report) => {
                if report.claimed > 0 {
                    tracing::debug!(?report, "job ledger dispatched");
                }
                if report.redispatched > 0 {
                    tracing::warn!(
                        redispatched = report.redispatched,
                        "jobs the broker lost were dispatched again"
                    );
                }
                interval
            }
            Err(e) => {
                tracing::warn!(error = %e, "job dispatch failed; will retry");
                interval.max(Duration::from_secs(1))
            }
        };
        tokio::select! {
            () = &mut shutdown => return,
            () = tokio::time::sleep(wait) => {},
        }
    }
}
