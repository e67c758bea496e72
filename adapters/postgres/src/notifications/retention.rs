//! Deleting notifications and reminder records past their retention (`notifications.purge`):
//! the notifications by their primary key (ids are UUIDv7, so "created before" is a range of
//! ids), the records by `reminder_sends_day_idx`; the oldest first, a bounded batch per
//! statement.

use super::unavailable;
use crate::pool::PgPool;
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use diesel::sql_query;
use diesel::sql_types::{Date, Integer, Timestamptz, Uuid as SqlUuid};
use diesel_async::RunQueryDsl;
use lingo_notifications::ports::StoreError;
use lingo_notifications::purge_notifications::NotificationRetention;
use uuid::Uuid;

/// $1 the smallest UUIDv7 of the cut-off's millisecond, $2 the cut-off, $3 the batch.
const PURGE_NOTIFICATIONS: &str = "DELETE FROM notifications WHERE id IN ( \
    SELECT id FROM notifications WHERE id < $1 AND created_at < $2 ORDER BY id LIMIT $3)";

const PURGE_REMINDER_SENDS: &str = "DELETE FROM reminder_sends s \
    USING (SELECT user_id, day FROM reminder_sends WHERE day < $1 ORDER BY day LIMIT $2) old \
    WHERE (s.user_id, s.day) = (old.user_id, old.day)";

#[derive(Clone)]
pub struct PgNotificationRetention {
    pool: PgPool,
}

impl PgNotificationRetention {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

/// The smallest UUIDv7 of `at`'s millisecond: every v7 id made earlier is below it.
fn v7_floor(at: DateTime<Utc>) -> Uuid {
    let ms = u64::try_from(at.timestamp_millis()).unwrap_or(0);
    let mut bytes = [0u8; 16];
    bytes[..6].copy_from_slice(&ms.to_be_bytes()[2..]);
    bytes[6] = 0x70;
    bytes[8] = 0x80;
    Uuid::from_bytes(bytes)
}

#[async_trait]
impl NotificationRetention for PgNotificationRetention {
    #[tracing::instrument(name = "notifications.purge", skip(self))]
    async fn purge_notifications_before(
        &self,
        before: DateTime<Utc>,
        limit: u32,
    ) -> Result<u64, StoreError> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        let deleted = sql_query(PURGE_NOTIFICATIONS)
            .bind::<SqlUuid, _>(v7_floor(before))
            .bind::<Timestamptz, _>(before)
            .bind::<Integer, _>(i32::try_from(limit).unwrap_or(i32::MAX))
            .execute(&mut conn)
            .await
            .map_err(unavailable)?;
        Ok(deleted as u64)
    }

    #[tracing::instrument(name = "reminder_sends.purge", skip(self))]
    async fn purge_reminder_sends_before(
        &self,
        before: NaiveDate,
        limit: u32,
    ) -> Result<u64, StoreError> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        let deleted = sql_query(PURGE_REMINDER_SENDS)
            .bind::<Date, _>(before)
            .bind::<Integer, _>(i32::try_from(limit).unwrap_or(i32::MAX))
            .execute(&mut conn)
            .await
            .map_err(unavailable)?;
        Ok(deleted as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_floor_is_above_every_earlier_v7_id_and_not_above_one_of_its_millisecond() {
        let at: DateTime<Utc> = "2026-12-04T12:00:00.123Z".parse().expect("a time");
        let ts = |t: DateTime<Utc>| {
            let ns = t.timestamp_nanos_opt().expect("in range");
            uuid::Timestamp::from_unix(
                uuid::NoContext,
                u64::try_from(ns / 1_000_000_000).expect("after 1970"),
                u32::try_from(ns % 1_000_000_000).expect("nanos"),
            )
        };
        let floor = v7_floor(at);
        assert_eq!(floor.get_version_num(), 7);
        for _ in 0..100 {
            let earlier = Uuid::new_v7(ts(at - chrono::Duration::milliseconds(1)));
            let same = Uuid::new_v7(ts(at));
            assert!(earlier < floor, "{earlier} < {floor}");
            assert!(same >= floor, "{same} >= {floor}");
        }
    }
}
