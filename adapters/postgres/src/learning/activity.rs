//! The learner's activity days (`learner_days`): one cheap upsert inside the review
//! transaction, a decrement inside undo, and the reads for statistics and reminders.

use super::unavailable;
use crate::pool::PgPool;
use async_trait::async_trait;
use chrono::NaiveDate;
use diesel::sql_types::{BigInt, Date, Int4, Int8, Nullable, Uuid as SqlUuid};
use diesel::{QueryableByName, sql_query};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use lingo_kernel::UserId;
use lingo_learning::ports::{ActivityDays, LearningStoreError};
use lingo_learning::streak::ActivityDay;

/// Counts one review on `day` (the learner's local date of the review, computed by the caller
/// from the profile it already holds).
pub(super) async fn count_review(
    conn: &mut AsyncPgConnection,
    owner: UserId,
    day: NaiveDate,
    passed: bool,
    duration_ms: Option<i32>,
) -> Result<(), diesel::result::Error> {
    sql_query(
        "INSERT INTO learner_days (user_id, day, reviews, passed, time_ms) VALUES ($1, $2, 1, $3, $4) \
         ON CONFLICT (user_id, day) DO UPDATE SET reviews = learner_days.reviews + 1, \
         passed = learner_days.passed + EXCLUDED.passed, \
         time_ms = learner_days.time_ms + EXCLUDED.time_ms",
    )
    .bind::<SqlUuid, _>(owner.as_uuid())
    .bind::<Date, _>(day)
    .bind::<Int4, _>(i32::from(passed))
    .bind::<Int8, _>(i64::from(duration_ms.unwrap_or(0).max(0)))
    .execute(conn)
    .await
    .map(|_| ())
}

/// Takes the review log row `review_id` (being undone) off its day. The day is computed again
/// from the learner's zone now (the write-time date is not stored per review); never below zero.
pub(super) async fn uncount_review(
    conn: &mut AsyncPgConnection,
    review_id: i64,
) -> Result<(), diesel::result::Error> {
    sql_query(
        "UPDATE learner_days d SET reviews = greatest(d.reviews - 1, 0), \
         passed = greatest(d.passed - (r.rating > 1)::int, 0), \
         time_ms = greatest(d.time_ms - coalesce(r.duration_ms, 0), 0) \
         FROM review_logs r JOIN users u ON u.id = r.user_id \
         WHERE r.id = $1 AND d.user_id = r.user_id AND d.day = \
         ((r.reviewed_at AT TIME ZONE coalesce(u.profile->>'timezone', 'UTC')) \
          - make_interval(hours => coalesce((u.profile->>'day_rollover_hour')::int, 4)))::date",
    )
    .bind::<Int8, _>(review_id)
    .execute(conn)
    .await
    .map(|_| ())
}

#[derive(QueryableByName)]
struct DayRow {
    #[diesel(sql_type = Date)]
    day: NaiveDate,
    #[diesel(sql_type = Int4)]
    reviews: i32,
    #[diesel(sql_type = Int4)]
    passed: i32,
    #[diesel(sql_type = BigInt)]
    time_ms: i64,
}

#[derive(Clone)]
pub struct PgActivityDays {
    pool: PgPool,
}

impl PgActivityDays {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

#[async_trait]
impl ActivityDays for PgActivityDays {
    async fn days(
        &self,
        learner: UserId,
        since: Option<NaiveDate>,
    ) -> Result<Vec<ActivityDay>, LearningStoreError> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        let rows: Vec<DayRow> = sql_query(
            "SELECT day, reviews, passed, time_ms FROM learner_days \
             WHERE user_id = $1 AND ($2::date IS NULL OR day >= $2) ORDER BY day",
        )
        .bind::<SqlUuid, _>(learner.as_uuid())
        .bind::<Nullable<Date>, _>(since)
        .load(&mut conn)
        .await
        .map_err(unavailable)?;
        let n = |v: i32| u32::try_from(v).unwrap_or(0);
        Ok(rows
            .into_iter()
            .map(|r| ActivityDay {
                date: r.day,
                reviews: n(r.reviews),
                passed: n(r.passed),
                time_ms: r.time_ms,
            })
            .collect())
    }
}
