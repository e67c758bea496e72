use super::JobDeps;
use lingo_kernel::jobs::{JobContext, JobError};
use lingo_notifications::send_reminders::{ReminderReport, SendReminders};

/// Sends the reminders due now. Idempotent per learner-day: see `ReminderService::run`.
pub async fn run(
    deps: JobDeps,
    _ctx: JobContext,
    _job: SendReminders,
) -> Result<ReminderReport, JobError> {
    deps.reminders
        .run()
        .await
        .map_err(|e| JobError::Retryable(e.to_string()))
}
