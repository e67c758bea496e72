//! The review transaction: one locking read, one write, like a hand-written stored procedure.

use super::card_row::{CardRow, state_name};
use super::cards::PgCardStore;
use super::review_sql::{ContextQuery, WriteQuery};
use super::{TxError, from_diesel, unavailable};
use diesel::sql_types::{Array, Float8, Int4, Jsonb, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use diesel::{QueryableByName, sql_query};
use diesel_async::{AsyncConnection, RunQueryDsl};
use lingo_kernel::{CardId, UserId};
use lingo_learning::card::{Card, CardSnapshot};
use lingo_learning::ports::{Decide, LearningStoreError, ParameterSet};
use lingo_learning::review::{ReviewOutcome, ReviewRequest, SchedulingContext, SchedulingSettings};

#[derive(QueryableByName)]
struct ContextRow {
    #[diesel(embed)]
    card: CardRow,
    #[diesel(sql_type = Jsonb)]
    profile: serde_json::Value,
    #[diesel(sql_type = Nullable<Int4>)]
    parameters_version: Option<i32>,
    #[diesel(sql_type = Nullable<Array<Float8>>)]
    parameters: Option<Vec<f64>>,
    #[diesel(sql_type = Nullable<Jsonb>)]
    replay: Option<serde_json::Value>,
}

enum Step {
    Done(ReviewOutcome),
    /// The write found the client id taken (a concurrent duplicate): replay it.
    Raced,
}

fn settings(profile: serde_json::Value) -> Result<SchedulingSettings, LearningStoreError> {
    let profile = crate::learner_profiles::decode_profile(profile)
        .map_err(LearningStoreError::Unavailable)?;
    Ok(SchedulingSettings::from_profile(&profile))
}

fn snapshot_json(card: &Card) -> Result<serde_json::Value, LearningStoreError> {
    serde_json::to_value(card.snapshot()).map_err(unavailable)
}

fn replayed(card: CardRow, after: serde_json::Value) -> Result<ReviewOutcome, LearningStoreError> {
    let mut card = card.into_card()?;
    let snapshot: CardSnapshot = serde_json::from_value(after).map_err(unavailable)?;
    card.restore(&snapshot);
    Ok(ReviewOutcome::Replayed { card })
}

impl PgCardStore {
    pub(super) async fn review_in_transaction(
        &self,
        owner: UserId,
        request: &ReviewRequest,
        decide: &Decide,
    ) -> Result<ReviewOutcome, LearningStoreError> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        for _ in 0..2 {
            let step = conn
                .transaction::<Step, TxError, _>(async |conn| {
                    let row: ContextRow = ContextQuery {
                        user: owner.as_uuid(),
                        card: request.card_id.as_uuid(),
                        client_review_id: &request.client_review_id,
                    }
                    .get_result(conn)
                    .await
                    .map_err(from_diesel)?;
                    if let Some(after) = row.replay {
                        return Ok(Step::Done(replayed(row.card, after)?));
                    }
                    let card = row.card.clone().into_card()?;
                    let context = SchedulingContext {
                        card: card.clone(),
                        settings: settings(row.profile)?,
                        parameters: row.parameters.zip(row.parameters_version).map(
                            |(parameters, version)| ParameterSet {
                                version,
                                parameters,
                            },
                        ),
                    };
                    let next = match decide(&context) {
                        Ok(next) => next,
                        Err(rejection) => {
                            return Ok(Step::Done(ReviewOutcome::Rejected(rejection)));
                        }
                    };
                    let parameters_version = row.parameters_version.unwrap_or(0);
                    let s = &next.schedule;
                    let written = WriteQuery {
                        user: owner.as_uuid(),
                        card: card.id.as_uuid(),
                        client_review_id: &request.client_review_id,
                        rating: i16::from(u8::from(request.rating)),
                        reviewed_at: request.reviewed_at,
                        duration_ms: request.duration_ms.map(|d| d.min(i32::MAX as u32) as i32),
                        parameters_version,
                        before: snapshot_json(&card)?,
                        after: snapshot_json(&next)?,
                        state: state_name(s.state),
                        step: s.step.map(|v| v as i32),
                        stability: s.stability,
                        difficulty: s.difficulty,
                        due: s.due,
                        last_review: s.last_review,
                        reps: next.reps,
                        lapses: next.lapses,
                        leech: next.leech,
                        suspended: next.suspended,
                    }
                    .execute(conn)
                    .await
                    .map_err(unavailable)?;
                    if written == 0 {
                        return Ok(Step::Raced);
                    }
                    Ok(Step::Done(ReviewOutcome::Applied {
                        card: next,
                        parameters_version,
                    }))
                })
                .await
                .map_err(LearningStoreError::from)?;
            if let Step::Done(outcome) = step {
                return Ok(outcome);
            }
        }
        Err(LearningStoreError::Unavailable(
            "review could not be applied".to_owned(),
        ))
    }

    pub(super) async fn undo(
        &self,
        owner: UserId,
        card: CardId,
    ) -> Result<Card, LearningStoreError> {
        let card_id = card.as_uuid();
        #[derive(QueryableByName)]
        struct Last {
            #[diesel(sql_type = diesel::sql_types::Int8)]
            id: i64,
            #[diesel(sql_type = Jsonb)]
            before: serde_json::Value,
        }
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        conn.transaction::<Card, TxError, _>(async |conn| {
            let row: CardRow = sql_query("SELECT * FROM cards WHERE id = $1 AND user_id = $2 FOR UPDATE")
                .bind::<SqlUuid, _>(card_id)
                .bind::<SqlUuid, _>(owner.as_uuid())
                .get_result(conn)
                .await
                .map_err(from_diesel)?;
            let last: Last = sql_query(
                "SELECT id, before FROM review_logs WHERE card_id = $1 AND NOT undone \
                 ORDER BY reviewed_at DESC, id DESC LIMIT 1",
            )
            .bind::<SqlUuid, _>(card_id)
            .get_result(conn)
            .await
            .map_err(from_diesel)?;
            let snapshot: CardSnapshot = serde_json::from_value(last.before).map_err(unavailable)?;
            let mut card = row.into_card()?;
            card.restore(&snapshot);
            card.version += 1;
            let s = &card.schedule;
            sql_query("UPDATE review_logs SET undone = true WHERE id = $1")
                .bind::<diesel::sql_types::Int8, _>(last.id)
                .execute(conn)
                .await
                .map_err(unavailable)?;
            sql_query(
                "UPDATE cards SET state = $2, step = $3, stability = $4, difficulty = $5, due = $6, \
                 last_review = $7, reps = $8, lapses = $9, leech = $10, suspended = $11, \
                 version = version + 1 WHERE id = $1",
            )
            .bind::<SqlUuid, _>(card.id.as_uuid())
            .bind::<Text, _>(state_name(s.state))
            .bind::<Nullable<Int4>, _>(s.step.map(|v| v as i32))
            .bind::<Nullable<Float8>, _>(s.stability)
            .bind::<Nullable<Float8>, _>(s.difficulty)
            .bind::<Timestamptz, _>(s.due)
            .bind::<Nullable<Timestamptz>, _>(s.last_review)
            .bind::<Int4, _>(card.reps)
            .bind::<Int4, _>(card.lapses)
            .bind::<diesel::sql_types::Bool, _>(card.leech)
            .bind::<diesel::sql_types::Bool, _>(card.suspended)
            .execute(conn)
            .await
            .map_err(unavailable)?;
            Ok(card)
        })
        .await
        .map_err(LearningStoreError::from)
    }
}
