use super::JobDeps;
use lingo_kernel::jobs::{JobContext, JobError};
use lingo_notifications::purge_notifications::{NotificationsPurged, PurgeNotifications};

/// Deletes in-app notifications and reminder records past their retention
/// (docs/reminders.md). Idempotent.
pub async fn run(
    deps: JobDeps,
    _ctx: JobContext,
    _job: PurgeNotifications,
) -> Result<NotificationsPurged, JobError> {
    deps.notification_purge
        .run()
        .await
        .map_err(|e| JobError::Retryable(e.to_string()))
}
