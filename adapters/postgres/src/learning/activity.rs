//! The learner's activity days (`learner_days`, in shards: migration 2026-12-05-000600): the
//! review transaction's write statement counts each review (review_sql.rs), undo takes it
//! back here, and the reads for statistics and reminders sum the shards.

use super::unavailable;
use crate::pool::PgPool;
use crate::prepared::Prepared;
use async_trait::async_trait;
use chrono::NaiveDate;
use diesel::sql_types::{BigInt, Date, Int4, Int8, Nullable, Uuid as SqlUuid};
use diesel::{QueryableByName, sql_query};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use lingo_kernel::UserId;
use lingo_learning::ports::{ActivityDays, LearningStoreError};
use lingo_learning::streak::ActivityDay;

/// Takes the review log row `review_id` (being undone) off its day. The day is computed again
/// from the learner's zone now (the write-time date is not stored per review); never below zero.
pub(super) async fn uncount_review(
    conn: &mut AsyncPgConnection,
    review_id: i64,
) -> Result<(), diesel::result::Error> {
    // The shard its card counts in; a day counted before the shards (all in shard 0) or with
    // nothing left in that shard gives the review back from another shard of the day.
    sql_query(
        "WITH r AS (SELECT r.user_id, r.card_id, r.rating, r.duration_ms, \
           ((r.reviewed_at AT TIME ZONE coalesce(u.profile->>'timezone', 'UTC')) \
            - make_interval(hours => coalesce((u.profile->>'day_rollover_hour')::int, 4)))::date AS day \
           FROM review_logs r JOIN users u ON u.id = r.user_id WHERE r.id = $1), \
         target AS (SELECT d.shard FROM learner_days d, r \
           WHERE d.user_id = r.user_id AND d.day = r.day AND d.reviews > 0 \
           ORDER BY (d.shard = review_log_shard(r.card_id)) DESC, (r.rating <= 1 OR d.passed > 0) DESC, d.shard \
           LIMIT 1) \
         UPDATE learner_days d SET reviews = greatest(d.reviews - 1, 0), \
         passed = greatest(d.passed - (r.rating > 1)::int, 0), \
         time_ms = greatest(d.time_ms - coalesce(r.duration_ms, 0), 0) \
         FROM r, target WHERE d.user_id = r.user_id AND d.day = r.day AND d.shard = target.shard",
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
        let rows: Vec<DayRow> = Prepared(
            sql_query(
                "SELECT day, sum(reviews)::int4 AS reviews, sum(passed)::int4 AS passed, \
             sum(time_ms)::int8 AS time_ms FROM learner_days \
             WHERE user_id = $1 AND ($2::date IS NULL OR day >= $2) GROUP BY day ORDER BY day",
            )
            .bind::<SqlUuid, _>(learner.as_uuid())
            .bind::<Nullable<Date>, _>(since),
        )
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
