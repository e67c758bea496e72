//! FSRS parameter versions and the review history the optimiser reads, on PostgreSQL.

use crate::pool::PgPool;
use crate::schema::{fsrs_parameters, review_logs, users};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::Uuid as SqlUuid;
use diesel_async::{AsyncConnection, RunQueryDsl};
use lingo_kernel::UserId;
use lingo_learning::ports::{
    HistoryReview, LearningStoreError, ParameterSet, ParameterStore, ReviewHistory,
};
use uuid::Uuid;

#[derive(Clone)]
pub struct PgFsrsParameters {
    pool: PgPool,
}

impl PgFsrsParameters {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

fn unavailable(e: impl std::fmt::Display) -> LearningStoreError {
    LearningStoreError::Unavailable(format!("database: {e}"))
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = fsrs_parameters)]
struct Latest {
    version: i32,
    parameters: Vec<f64>,
    reviews: i32,
}

async fn latest(
    conn: &mut diesel_async::AsyncPgConnection,
    user: Uuid,
) -> Result<Option<Latest>, diesel::result::Error> {
    fsrs_parameters::table
        .filter(fsrs_parameters::user_id.eq(user))
        .order(fsrs_parameters::version.desc())
        .select(Latest::as_select())
        .first(conn)
        .await
        .optional()
}

#[async_trait]
impl ParameterStore for PgFsrsParameters {
    async fn current(&self, user: UserId) -> Result<Option<ParameterSet>, LearningStoreError> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        let row = latest(&mut conn, user.as_uuid())
            .await
            .map_err(unavailable)?;
        Ok(row.map(|row| ParameterSet {
            version: row.version,
            parameters: row.parameters,
        }))
    }

    /// Saving the same parameters from the same number of reviews as the latest version returns
    /// that version instead of adding a copy (a retried or duplicated optimisation job).
    async fn save(
        &self,
        user: UserId,
        parameters: &[f64],
        log_loss: Option<f64>,
        reviews: i32,
    ) -> Result<i32, LearningStoreError> {
        let user = user.as_uuid();
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        conn.transaction::<i32, diesel::result::Error, _>(async |conn| {
            // Serialises this learner's saves, so the next version number is free when we
            // insert it and a concurrent duplicate sees ours.
            diesel::sql_query(
                "SELECT pg_advisory_xact_lock(hashtextextended('fsrs_parameters:' || $1::text, 0))",
            )
            .bind::<SqlUuid, _>(user)
            .execute(conn)
            .await?;
            let previous = latest(conn, user).await?;
            if let Some(previous) = &previous
                && previous.reviews == reviews
                && previous.parameters == parameters
            {
                return Ok(previous.version);
            }
            let version = previous.map_or(1, |p| p.version + 1);
            diesel::insert_into(fsrs_parameters::table)
                .values((
                    fsrs_parameters::user_id.eq(user),
                    fsrs_parameters::version.eq(version),
                    fsrs_parameters::parameters.eq(parameters),
                    fsrs_parameters::log_loss.eq(log_loss),
                    fsrs_parameters::reviews.eq(reviews),
                ))
                .execute(conn)
                .await?;
            Ok(version)
        })
        .await
        .map_err(unavailable)
    }
}

#[async_trait]
impl ReviewHistory for PgFsrsParameters {
    async fn card_histories(
        &self,
        user: UserId,
    ) -> Result<Vec<Vec<HistoryReview>>, LearningStoreError> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        let rows: Vec<(Uuid, DateTime<Utc>, i16)> = review_logs::table
            .filter(review_logs::user_id.eq(user.as_uuid()))
            .filter(review_logs::undone.eq(false))
            .order((
                review_logs::card_id,
                review_logs::reviewed_at,
                review_logs::id,
            ))
            .select((
                review_logs::card_id,
                review_logs::reviewed_at,
                review_logs::rating,
            ))
            .load(&mut conn)
            .await
            .map_err(unavailable)?;
        let mut histories: Vec<Vec<HistoryReview>> = Vec::new();
        let mut current_card = None;
        for (card, reviewed_at, rating) in rows {
            let rating = u8::try_from(rating).map_err(unavailable)?;
            if current_card != Some(card) {
                current_card = Some(card);
                histories.push(Vec::new());
            }
            if let Some(history) = histories.last_mut() {
                history.push(HistoryReview {
                    reviewed_at,
                    rating,
                });
            }
        }
        Ok(histories)
    }

    async fn active_learners(
        &self,
        since: DateTime<Utc>,
    ) -> Result<Vec<UserId>, LearningStoreError> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        // One index probe per learner on (user_id, reviewed_at), rather than a scan of the log.
        let ids: Vec<Uuid> = users::table
            .filter(diesel::dsl::exists(
                review_logs::table
                    .filter(review_logs::user_id.eq(users::id))
                    .filter(review_logs::reviewed_at.ge(since)),
            ))
            .order(users::id)
            .select(users::id)
            .load(&mut conn)
            .await
            .map_err(unavailable)?;
        Ok(ids.into_iter().map(UserId::from_uuid).collect())
    }
}
