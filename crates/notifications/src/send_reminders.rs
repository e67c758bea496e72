//! The `reminders.send` job: every learner whose reminder time just passed, whose day's goal
//! is not met and who is not in quiet hours gets one reminder — an in-app notification and a
//! push to each registered device. Fired by the scheduler (every 15 minutes by default); the
//! reminder is recorded before anything is pushed, once per learner-day, so a rerun, a retry or
//! a second scheduler never sends it twice (at most once: a push lost after the record is not
//! sent again, the in-app notification stays).

use crate::device::Device;
use crate::notification::{NewNotification, NotificationId, NotificationKind};
use crate::ports::{
    DeviceStore, PushMessage, PushOutcome, PushSender, ReminderCandidate, ReminderStore, StoreError,
};
use crate::reminder_rule::{Decision, GRACE, ReminderInput, decide};
use crate::reminder_text::reminder_text;
use lingo_kernel::jobs::Job;
use lingo_kernel::{Clock, LanguageCode, UserId};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Sends the reminders due now. Idempotent per learner-day.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SendReminders {}

impl Job for SendReminders {
    const NAME: &'static str = "reminders.send";
    const MAX_ATTEMPTS: u32 = 3;
    /// A reminder is only worth sending within the rule's grace; retrying longer is pointless.
    const RETRY_WINDOW: Option<std::time::Duration> = Some(std::time::Duration::from_secs(1800));
}

/// What one run did (the job's result).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReminderReport {
    /// Learners the store pre-selected.
    pub candidates: u32,
    /// Reminders recorded (one in-app notification each).
    pub sent: u32,
    /// Pushes the providers accepted.
    pub pushed: u32,
    /// Devices unregistered because their provider said the token is no longer valid.
    pub unregistered: u32,
    /// Pushes that failed (the in-app notification is there).
    pub push_failed: u32,
    /// Candidates the rule held back (goal met, quiet hours, already reminded, …).
    pub skipped: u32,
}

#[derive(Clone)]
pub struct ReminderService {
    reminders: Arc<dyn ReminderStore>,
    devices: Arc<dyn DeviceStore>,
    push: Arc<dyn PushSender>,
    clock: Arc<dyn Clock>,
}

const PAGE: u32 = 200;

impl ReminderService {
    pub fn new(
        reminders: Arc<dyn ReminderStore>,
        devices: Arc<dyn DeviceStore>,
        push: Arc<dyn PushSender>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            reminders,
            devices,
            push,
            clock,
        }
    }

    /// Sends every reminder due at the clock's now.
    #[tracing::instrument(name = "reminders.send", skip_all)]
    pub async fn run(&self) -> Result<ReminderReport, StoreError> {
        let now = self.clock.now();
        let mut report = ReminderReport::default();
        let mut after: Option<UserId> = None;
        loop {
            let page = self.reminders.candidates(now, GRACE, after, PAGE).await?;
            let Some(last) = page.last() else { break };
            after = Some(last.learner);
            let full = page.len() == PAGE as usize;
            for candidate in page {
                report.candidates += 1;
                self.remind(&candidate, now, &mut report).await?;
            }
            if !full {
                break;
            }
        }
        tracing::info!(?report, "reminders sent");
        Ok(report)
    }

    async fn remind(
        &self,
        candidate: &ReminderCandidate,
        now: chrono::DateTime<chrono::Utc>,
        report: &mut ReminderReport,
    ) -> Result<(), StoreError> {
        let profile = &candidate.profile;
        let decision = decide(&ReminderInput {
            now,
            zone: profile.timezone.tz(),
            rollover_hour: profile.day_rollover_hour,
            settings: profile.reminder,
            goal: profile.daily_goal,
            day_reviews: candidate.day_reviews,
            day_time_ms: candidate.day_time_ms,
            last_reminded: candidate.last_reminded,
        });
        let Decision::Send { day } = decision else {
            report.skipped += 1;
            return Ok(());
        };
        let done = profile
            .daily_goal
            .done(candidate.day_reviews, candidate.day_time_ms);
        let devices = self.devices.of_learner(candidate.learner).await?;
        let text = reminder_text(&profile.native_language, profile.daily_goal, done);
        let notification = NewNotification {
            id: NotificationId::new(),
            kind: NotificationKind::Reminder,
            title: text.title,
            body: text.body,
        };
        if !self
            .reminders
            .record(candidate.learner, day, &notification, now)
            .await?
        {
            report.skipped += 1;
            return Ok(());
        }
        report.sent += 1;
        for device in &devices {
            self.push_to(device, profile, done, notification.id, report)
                .await;
        }
        Ok(())
    }

    /// One push, in the device's language. A failure is counted and logged, never fatal: the
    /// in-app notification is recorded already.
    async fn push_to(
        &self,
        device: &Device,
        profile: &lingo_users::LearningProfile,
        done: u32,
        notification: NotificationId,
        report: &mut ReminderReport,
    ) {
        let language: &LanguageCode = &device.locale;
        let text = reminder_text(language, profile.daily_goal, done);
        let message = PushMessage {
            title: text.title,
            body: text.body,
            notification,
        };
        match self.push.send(device, &message).await {
            PushOutcome::Delivered => report.pushed += 1,
            PushOutcome::Unsupported => {}
            PushOutcome::TokenInvalid(reason) => {
                tracing::info!(device_id = %device.id, %reason, "push token no longer valid; device unregistered");
                match self.devices.unregister(device).await {
                    Ok(()) => report.unregistered += 1,
                    Err(e) => tracing::warn!(error = %e, "device not unregistered"),
                }
            }
            PushOutcome::Retryable(reason) => {
                report.push_failed += 1;
                tracing::warn!(device_id = %device.id, %reason, "push failed");
            }
            PushOutcome::Rejected(reason) => {
                report.push_failed += 1;
                tracing::error!(device_id = %device.id, %reason, "push rejected by the provider");
            }
        }
    }
}
