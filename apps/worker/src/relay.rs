//! Relays the PostgreSQL outbox to the job queue, in every worker process.

use lingo_kernel::jobs::JobQueue;
use lingo_postgres::PgOutbox;
use std::time::Duration;

const BATCH: i64 = 200;

/// Relays until `shutdown` resolves: full batches back to back, otherwise every `interval`.
/// Failures (either store down) are logged and retried on the next pass; nothing is lost
/// because a row stays unrelayed until its enqueue has committed.
pub async fn run(
    outbox: PgOutbox,
    queue: impl JobQueue,
    interval: Duration,
    shutdown: impl std::future::Future<Output = ()>,
) {
    tokio::pin!(shutdown);
    loop {
        let wait = match outbox.relay(&queue, BATCH).await {
            Ok(n) if n as i64 == BATCH => Duration::ZERO,
            Ok(n) => {
                if n > 0 {
                    tracing::debug!(relayed = n, "outbox relayed");
                }
                interval
            }
            Err(e) => {
                tracing::warn!(error = %e, "outbox relay failed; will retry");
                interval.max(Duration::from_secs(1))
            }
        };
        tokio::select! {
            () = &mut shutdown => return,
            () = tokio::time::sleep(wait) => {},
        }
    }
}
