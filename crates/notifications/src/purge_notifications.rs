//! How long the notification list and the reminder records are kept (docs/reminders.md):
//! `notifications.purge`, scheduled daily, deletes in-app notifications older than
//! `NOTIFICATION_DAYS` and reminder records of learner-days older than `REMINDER_SEND_DAYS`.
//! A reminder record only has to outlive its day (the job reads the record of the learner's
//! current day, and the latest one), so a month is a wide margin. Idempotent; deletes in
//! batches so no statement runs long.

use crate::ports::StoreError;
use async_trait::async_trait;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use lingo_kernel::Clock;
use lingo_kernel::batches::drain;
use lingo_kernel::jobs::Job;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// In-app notifications older than this are deleted.
pub const NOTIFICATION_DAYS: i64 = 90;
/// Reminder records of learner-days older than this are deleted.
pub const REMINDER_SEND_DAYS: i64 = 31;
/// Rows deleted per statement.
pub const PURGE_BATCH: u32 = 5_000;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurgeNotifications {}

impl Job for PurgeNotifications {
    const NAME: &'static str = "notifications.purge";
}

/// The result of `notifications.purge`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationsPurged {
    /// In-app notifications deleted.
    pub notifications: u64,
    /// Notifications created before this were purged.
    pub notifications_before: DateTime<Utc>,
    /// Reminder records deleted.
    pub reminder_sends: u64,
    /// Records of learner-days before this were purged.
    pub reminder_sends_before: NaiveDate,
}

/// Deleting what is past its retention, a bounded batch at a time.
#[async_trait]
pub trait NotificationRetention: Send + Sync {
    /// Deletes at most `limit` in-app notifications created before `before`; returns how many.
    async fn purge_notifications_before(
        &self,
        before: DateTime<Utc>,
        limit: u32,
    ) -> Result<u64, StoreError>;

    /// Deletes at most `limit` reminder records of learner-days before `before`; returns how
    /// many.
    async fn purge_reminder_sends_before(
        &self,
        before: NaiveDate,
        limit: u32,
    ) -> Result<u64, StoreError>;
}

#[derive(Clone)]
pub struct NotificationPurgeService {
    store: Arc<dyn NotificationRetention>,
    clock: Arc<dyn Clock>,
}

impl NotificationPurgeService {
    pub fn new(store: Arc<dyn NotificationRetention>, clock: Arc<dyn Clock>) -> Self {
        Self { store, clock }
    }

    pub async fn run(&self) -> Result<NotificationsPurged, StoreError> {
        let now = self.clock.now();
        let notifications_before = now - Duration::days(NOTIFICATION_DAYS);
        // Learner-days are dates in the learner's zone: a month back is over in every zone.
        let reminder_sends_before = now.date_naive() - Duration::days(REMINDER_SEND_DAYS);
        let notifications = drain(PURGE_BATCH, |limit| {
            self.store
                .purge_notifications_before(notifications_before, limit)
        })
        .await?;
        let reminder_sends = drain(PURGE_BATCH, |limit| {
            self.store
                .purge_reminder_sends_before(reminder_sends_before, limit)
        })
        .await?;
        tracing::info!(
            notifications,
            reminder_sends,
            %notifications_before,
            %reminder_sends_before,
            "old notifications and reminder records purged"
        );
        Ok(NotificationsPurged {
            notifications,
            notifications_before,
            reminder_sends,
            reminder_sends_before,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// Notifications by creation time, records by learner-day.
    struct Rows {
        notifications: Mutex<Vec<DateTime<Utc>>>,
        sends: Mutex<Vec<NaiveDate>>,
        calls: Mutex<u32>,
    }

    /// Removes at most `limit` rows before `before`; how many.
    fn take_before<T: PartialOrd>(rows: &Mutex<Vec<T>>, before: T, limit: u32) -> u64 {
        let mut rows = rows.lock().expect("lock");
        let mut n = 0;
        rows.retain(|at| {
            let take = *at < before && n < limit;
            n += u32::from(take);
            !take
        });
        u64::from(n)
    }

    #[async_trait]
    impl NotificationRetention for Rows {
        async fn purge_notifications_before(
            &self,
            before: DateTime<Utc>,
            limit: u32,
        ) -> Result<u64, StoreError> {
            *self.calls.lock().expect("lock") += 1;
            Ok(take_before(&self.notifications, before, limit))
        }

        async fn purge_reminder_sends_before(
            &self,
            before: NaiveDate,
            limit: u32,
        ) -> Result<u64, StoreError> {
            Ok(take_before(&self.sends, before, limit))
        }
    }

    #[tokio::test]
    async fn only_rows_past_their_retention_go_in_as_many_batches_as_it_takes() {
        let now: DateTime<Utc> = "2026-12-04T12:00:00Z".parse().expect("a time");
        let clock = Arc::new(lingo_kernel::FixedClock::at(now));
        let old = now - Duration::days(NOTIFICATION_DAYS + 1);
        let kept = now - Duration::days(NOTIFICATION_DAYS - 1);
        let mut notifications = vec![old; PURGE_BATCH as usize + 3];
        notifications.push(kept);
        let today = now.date_naive();
        let rows = Arc::new(Rows {
            notifications: Mutex::new(notifications),
            sends: Mutex::new(vec![
                today,
                today - Duration::days(1),
                today - Duration::days(REMINDER_SEND_DAYS),
                today - Duration::days(REMINDER_SEND_DAYS + 1),
            ]),
            calls: Mutex::new(0),
        });
        let purged = NotificationPurgeService::new(rows.clone(), clock)
            .run()
            .await
            .expect("purged");
        assert_eq!(purged.notifications, u64::from(PURGE_BATCH) + 3);
        assert_eq!(purged.reminder_sends, 1);
        assert_eq!(
            *rows.calls.lock().expect("lock"),
            2,
            "a full batch asks again"
        );
        assert_eq!(*rows.notifications.lock().expect("lock"), vec![kept]);
        assert_eq!(
            *rows.sends.lock().expect("lock"),
            vec![
                today,
                today - Duration::days(1),
                today - Duration::days(REMINDER_SEND_DAYS)
            ]
        );
    }
}
