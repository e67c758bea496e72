//! Counting for the statistics screen.

use super::cards::PgCardStore;
use super::unavailable;
use chrono::{DateTime, NaiveDate, Utc};
use diesel::QueryableByName;
use diesel::sql_query;
use diesel::sql_types::{BigInt, Date, Timestamptz, Uuid as SqlUuid};
use diesel_async::RunQueryDsl;
use lingo_kernel::UserId;
use lingo_learning::ports::LearningStoreError;
use lingo_learning::stats::{RawStats, StateCounts};

#[derive(QueryableByName)]
struct Totals {
    #[diesel(sql_type = BigInt)]
    mature_reviews: i64,
    #[diesel(sql_type = BigInt)]
    mature_passed: i64,
    #[diesel(sql_type = BigInt)]
    new: i64,
    #[diesel(sql_type = BigInt)]
    learning: i64,
    #[diesel(sql_type = BigInt)]
    review: i64,
    #[diesel(sql_type = BigInt)]
    relearning: i64,
    #[diesel(sql_type = BigInt)]
    suspended: i64,
    #[diesel(sql_type = BigInt)]
    leeches: i64,
    #[diesel(sql_type = BigInt)]
    learned_words: i64,
}

#[derive(QueryableByName)]
struct Due {
    #[diesel(sql_type = Date)]
    day: NaiveDate,
    #[diesel(sql_type = BigInt)]
    cards: i64,
}

const TOTALS: &str = r#"
SELECT
  (SELECT count(*) FROM review_logs WHERE user_id = $1 AND NOT undone
     AND (before->>'stability')::float8 >= 21) AS mature_reviews,
  (SELECT count(*) FROM review_logs WHERE user_id = $1 AND NOT undone AND rating > 1
     AND (before->>'stability')::float8 >= 21) AS mature_passed,
  count(*) FILTER (WHERE last_review IS NULL) AS new,
  count(*) FILTER (WHERE state = 'learning' AND last_review IS NOT NULL) AS learning,
  count(*) FILTER (WHERE state = 'review') AS review,
  count(*) FILTER (WHERE state = 'relearning') AS relearning,
  count(*) FILTER (WHERE suspended) AS suspended,
  count(*) FILTER (WHERE leech) AS leeches,
  count(DISTINCT word_id) FILTER (WHERE state = 'review') AS learned_words
FROM cards WHERE user_id = $1
"#;

const FORECAST: &str = r#"
SELECT (greatest(due, $2) + make_interval(secs => $3))::date AS day, count(*) AS cards
FROM cards WHERE user_id = $1 AND NOT suspended AND last_review IS NOT NULL
  AND due < $2 + interval '30 days'
GROUP BY 1 ORDER BY 1
"#;

impl PgCardStore {
    pub(super) async fn raw_stats(
        &self,
        owner: UserId,
        now: DateTime<Utc>,
        offset_seconds: i32,
    ) -> Result<RawStats, LearningStoreError> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        let user = owner.as_uuid();
        let offset = f64::from(offset_seconds);
        let totals: Totals = sql_query(TOTALS)
            .bind::<SqlUuid, _>(user)
            .get_result(&mut conn)
            .await
            .map_err(unavailable)?;
        let forecast: Vec<Due> = sql_query(FORECAST)
            .bind::<SqlUuid, _>(user)
            .bind::<Timestamptz, _>(now)
            .bind::<diesel::sql_types::Float8, _>(offset)
            .load(&mut conn)
            .await
            .map_err(unavailable)?;
        let n = |v: i64| u32::try_from(v).unwrap_or(u32::MAX);
        Ok(RawStats {
            mature_reviews: n(totals.mature_reviews),
            mature_passed: n(totals.mature_passed),
            states: StateCounts {
                new: n(totals.new),
                learning: n(totals.learning),
                review: n(totals.review),
                relearning: n(totals.relearning),
                suspended: n(totals.suspended),
                leeches: n(totals.leeches),
            },
            learned_words: n(totals.learned_words),
            forecast: forecast.into_iter().map(|d| (d.day, n(d.cards))).collect(),
        })
    }
}
