//! The two statements of the review transaction (the locking read; the log, the card and the
//! activity day in one write) as typed queries with a static query id, so
//! diesel-async caches their prepared statements: one round trip each instead of a prepare plus
//! an execute (which `sql_query` costs every time).

use chrono::{DateTime, NaiveDate, Utc};
use diesel::QueryResult;
use diesel::pg::Pg;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::sql_types::{
    Bool, Date, Float8, Int2, Int4, Int8, Jsonb, Nullable, Text, Timestamptz, Untyped,
    Uuid as SqlUuid,
};
use uuid::Uuid;

/// The card (locked), its owner's profile and latest parameters, and the earlier review with
/// the same client id (of any card of the learner).
pub struct ContextQuery<'a> {
    pub user: Uuid,
    pub card: Uuid,
    pub client_review_id: &'a str,
}

pub struct ContextQueryId;

impl QueryId for ContextQuery<'_> {
    type QueryId = ContextQueryId;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl Query for ContextQuery<'_> {
    type SqlType = Untyped;
}

impl QueryFragment<Pg> for ContextQuery<'_> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        out.push_sql(
            "SELECT c.*, u.profile AS profile, p.version AS parameters_version, \
             p.parameters AS parameters, prior.card_id AS prior_card, \
             prior.rating AS prior_rating, prior.after AS prior_after \
             FROM cards c JOIN users u ON u.id = c.user_id \
             LEFT JOIN LATERAL (SELECT f.version, f.parameters FROM fsrs_parameters f \
             WHERE f.user_id = c.user_id ORDER BY f.version DESC LIMIT 1) p ON true \
             LEFT JOIN LATERAL (SELECT r.card_id, r.rating, r.after FROM review_logs r \
             WHERE r.user_id = c.user_id AND r.client_review_id = ",
        );
        out.push_bind_param::<Text, _>(&self.client_review_id)?;
        out.push_sql(") prior ON true WHERE c.id = ");
        out.push_bind_param::<SqlUuid, _>(&self.card)?;
        out.push_sql(" AND c.user_id = ");
        out.push_bind_param::<SqlUuid, _>(&self.user)?;
        out.push_sql(" FOR UPDATE OF c");
        Ok(())
    }
}

/// The log row, the card update and the review counted on the learner's day (in the card's
/// shard of `learner_days`) in one statement; nothing is written when the log insert meets an
/// earlier review with the same client id.
pub struct WriteQuery<'a> {
    pub user: Uuid,
    pub card: Uuid,
    pub client_review_id: &'a str,
    pub rating: i16,
    pub reviewed_at: DateTime<Utc>,
    pub duration_ms: Option<i32>,
    pub parameters_version: i32,
    pub before: serde_json::Value,
    pub after: serde_json::Value,
    pub state: &'static str,
    pub step: Option<i32>,
    pub stability: Option<f64>,
    pub difficulty: Option<f64>,
    pub due: DateTime<Utc>,
    pub last_review: Option<DateTime<Utc>>,
    pub reps: i32,
    pub lapses: i32,
    pub leech: bool,
    pub suspended: bool,
    /// The learner's local date of `reviewed_at`, with the zone of the profile now.
    pub day: NaiveDate,
    /// 1 when the rating is not Again.
    pub passed: i32,
    /// `duration_ms`, 0 when not given.
    pub time_ms: i64,
}

pub struct WriteQueryId;

impl QueryId for WriteQuery<'_> {
    type QueryId = WriteQueryId;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl QueryFragment<Pg> for WriteQuery<'_> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        out.push_sql(
            "WITH log AS (INSERT INTO review_logs (user_id, card_id, client_review_id, rating, \
             reviewed_at, duration_ms, parameters_version, before, after) VALUES (",
        );
        out.push_bind_param::<SqlUuid, _>(&self.user)?;
        out.push_sql(", ");
        out.push_bind_param::<SqlUuid, _>(&self.card)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(&self.client_review_id)?;
        out.push_sql(", ");
        out.push_bind_param::<Int2, _>(&self.rating)?;
        out.push_sql(", ");
        out.push_bind_param::<Timestamptz, _>(&self.reviewed_at)?;
        out.push_sql(", ");
        out.push_bind_param::<Nullable<Int4>, _>(&self.duration_ms)?;
        out.push_sql(", ");
        out.push_bind_param::<Int4, _>(&self.parameters_version)?;
        out.push_sql(", ");
        out.push_bind_param::<Jsonb, _>(&self.before)?;
        out.push_sql(", ");
        out.push_bind_param::<Jsonb, _>(&self.after)?;
        out.push_sql(
            ") ON CONFLICT (user_id, client_review_id) DO NOTHING RETURNING id), \
             day AS (INSERT INTO learner_days AS d (user_id, day, shard, reviews, passed, time_ms) \
             SELECT ",
        );
        out.push_bind_param::<SqlUuid, _>(&self.user)?;
        out.push_sql(", ");
        out.push_bind_param::<Date, _>(&self.day)?;
        out.push_sql(", review_log_shard(");
        out.push_bind_param::<SqlUuid, _>(&self.card)?;
        out.push_sql("), 1, ");
        out.push_bind_param::<Int4, _>(&self.passed)?;
        out.push_sql(", ");
        out.push_bind_param::<Int8, _>(&self.time_ms)?;
        out.push_sql(
            " FROM log ON CONFLICT (user_id, day, shard) DO UPDATE SET reviews = d.reviews + 1, \
             passed = d.passed + EXCLUDED.passed, time_ms = d.time_ms + EXCLUDED.time_ms) \
             UPDATE cards SET state = ",
        );
        out.push_bind_param::<Text, _>(&self.state)?;
        out.push_sql(", step = ");
        out.push_bind_param::<Nullable<Int4>, _>(&self.step)?;
        out.push_sql(", stability = ");
        out.push_bind_param::<Nullable<Float8>, _>(&self.stability)?;
        out.push_sql(", difficulty = ");
        out.push_bind_param::<Nullable<Float8>, _>(&self.difficulty)?;
        out.push_sql(", due = ");
        out.push_bind_param::<Timestamptz, _>(&self.due)?;
        out.push_sql(", last_review = ");
        out.push_bind_param::<Nullable<Timestamptz>, _>(&self.last_review)?;
        out.push_sql(", reps = ");
        out.push_bind_param::<Int4, _>(&self.reps)?;
        out.push_sql(", lapses = ");
        out.push_bind_param::<Int4, _>(&self.lapses)?;
        out.push_sql(", leech = ");
        out.push_bind_param::<Bool, _>(&self.leech)?;
        out.push_sql(", suspended = ");
        out.push_bind_param::<Bool, _>(&self.suspended)?;
        out.push_sql(", buried_until = NULL, version = version + 1 WHERE id = ");
        out.push_bind_param::<SqlUuid, _>(&self.card)?;
        out.push_sql(" AND EXISTS (SELECT 1 FROM log)");
        Ok(())
    }
}
