//! Who is due a reminder (a pre-selection in SQL; the rule in `lingo-notifications` decides),
//! and the once-per-learner-day record of reminders sent.

use super::unavailable;
use crate::learner_profiles::decode_profile;
use crate::pool::PgPool;
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use diesel::sql_types::{BigInt, Date, Int4, Jsonb, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use diesel::{QueryableByName, sql_query};
use diesel_async::RunQueryDsl;
use lingo_kernel::UserId;
use lingo_notifications::notification::NewNotification;
use lingo_notifications::ports::{ReminderCandidate, ReminderStore, StoreError};
use uuid::Uuid;

/// Learners with reminders on, their current learner-day (the same formula as
/// `learner_days`), and when that day's reminder is due in their zone. The window is an hour
/// wider on each side than the grace: PostgreSQL and the rule may place a local time skipped
/// by DST differently, and the rule is the final word. Zones PostgreSQL does not know are left
/// out rather than failing everyone's reminders.
const CANDIDATES: &str = r#"
WITH learners AS (
  SELECT u.id, u.profile,
         coalesce(u.profile->>'timezone', 'UTC') AS tz,
         coalesce((u.profile->>'day_rollover_hour')::int, 4) AS rollover,
         (u.profile->'reminder'->>'time')::time AS at
    FROM users u
   WHERE (u.profile -> 'reminder' ->> 'enabled') = 'true'
     AND u.status = 'active'
     AND ($3::uuid IS NULL OR u.id > $3)
     AND coalesce(u.profile->>'timezone', 'UTC') IN (SELECT name FROM pg_timezone_names)
), days AS (
  SELECT l.*, (($1::timestamptz AT TIME ZONE l.tz) - make_interval(hours => l.rollover))::date AS day
    FROM learners l
), due AS (
  SELECT d.*,
         ((d.day + CASE WHEN extract(hour FROM d.at) >= d.rollover THEN 0 ELSE 1 END) + d.at)
           AT TIME ZONE d.tz AS due_at
    FROM days d
)
SELECT due.id, due.profile,
       coalesce(ld.reviews, 0) AS reviews, coalesce(ld.time_ms, 0) AS time_ms,
       (SELECT max(s.day) FROM reminder_sends s WHERE s.user_id = due.id) AS last_reminded
  FROM due
  LEFT JOIN LATERAL (SELECT sum(s.reviews)::int4 AS reviews, sum(s.time_ms)::int8 AS time_ms
                       FROM learner_days s WHERE s.user_id = due.id AND s.day = due.day) ld ON true
 WHERE due.due_at <= $1::timestamptz + interval '1 hour'
   AND due.due_at > $1::timestamptz - ($2::bigint * interval '1 second') - interval '1 hour'
   AND NOT EXISTS (SELECT 1 FROM reminder_sends s WHERE s.user_id = due.id AND s.day = due.day)
 ORDER BY due.id
 LIMIT $4
"#;

/// The day's record and its notification in one statement: the notification is written only
/// if the record is new.
const RECORD: &str = r#"
WITH sent AS (
  INSERT INTO reminder_sends (user_id, day, sent_at) VALUES ($1, $2, $3)
  ON CONFLICT (user_id, day) DO NOTHING
  RETURNING user_id
)
INSERT INTO notifications (id, user_id, kind, title, body, created_at)
SELECT $4, user_id, $5, $6, $7, $3 FROM sent
"#;

#[derive(QueryableByName)]
struct CandidateRow {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
    #[diesel(sql_type = Jsonb)]
    profile: serde_json::Value,
    #[diesel(sql_type = Int4)]
    reviews: i32,
    #[diesel(sql_type = BigInt)]
    time_ms: i64,
    #[diesel(sql_type = Nullable<Date>)]
    last_reminded: Option<NaiveDate>,
}

#[derive(Clone)]
pub struct PgReminderStore {
    pool: PgPool,
}

impl PgReminderStore {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

#[async_trait]
impl ReminderStore for PgReminderStore {
    async fn candidates(
        &self,
        now: DateTime<Utc>,
        grace: chrono::Duration,
        after: Option<UserId>,
        limit: u32,
    ) -> Result<Vec<ReminderCandidate>, StoreError> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        let rows: Vec<CandidateRow> = sql_query(CANDIDATES)
            .bind::<Timestamptz, _>(now)
            .bind::<BigInt, _>(grace.num_seconds())
            .bind::<Nullable<SqlUuid>, _>(after.map(|id| id.as_uuid()))
            .bind::<BigInt, _>(i64::from(limit))
            .load(&mut conn)
            .await
            .map_err(unavailable)?;
        Ok(rows
            .into_iter()
            .filter_map(|row| match decode_profile(row.profile) {
                Ok(profile) => Some(ReminderCandidate {
                    learner: UserId::from_uuid(row.id),
                    profile,
                    day_reviews: u32::try_from(row.reviews).unwrap_or(0),
                    day_time_ms: row.time_ms,
                    last_reminded: row.last_reminded,
                }),
                // One corrupt profile must not stop everyone else's reminder.
                Err(error) => {
                    tracing::error!(user_id = %row.id, %error, "learner skipped by the reminders");
                    None
                }
            })
            .collect())
    }

    async fn record(
        &self,
        learner: UserId,
        day: NaiveDate,
        notification: &NewNotification,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        let written = sql_query(RECORD)
            .bind::<SqlUuid, _>(learner.as_uuid())
            .bind::<Date, _>(day)
            .bind::<Timestamptz, _>(now)
            .bind::<SqlUuid, _>(notification.id.as_uuid())
            .bind::<Text, _>(notification.kind.as_str())
            .bind::<Text, _>(&notification.title)
            .bind::<Text, _>(&notification.body)
            .execute(&mut conn)
            .await
            .map_err(unavailable)?;
        Ok(written > 0)
    }
}
