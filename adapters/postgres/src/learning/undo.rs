//! Undoing a review under the card's lock: the named review (or the latest), whether a later one
//! exists, the rule, then the row marked undone and the card stored.

use super::card_row::{CardRow, state_name};
use super::cards::PgCardStore;
use super::{TxError, from_diesel, unavailable};
use chrono::{DateTime, Utc};
use diesel::sql_types::{
    Bool, Float8, Int4, Int8, Jsonb, Nullable, Text, Timestamptz, Uuid as SqlUuid,
};
use diesel::{QueryableByName, sql_query};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use lingo_kernel::{CardId, UserId};
use lingo_learning::card::{Card, CardSnapshot};
use lingo_learning::ports::{DecideUndo, LearningStoreError};
use lingo_learning::undo_review::{UndoContext, UndoDecision, UndoError, UndoTarget};

#[derive(QueryableByName)]
struct TargetRow {
    #[diesel(sql_type = Int8)]
    id: i64,
    #[diesel(sql_type = Text)]
    client_review_id: String,
    #[diesel(sql_type = Timestamptz)]
    reviewed_at: DateTime<Utc>,
    #[diesel(sql_type = Jsonb)]
    before: serde_json::Value,
    #[diesel(sql_type = Jsonb)]
    after: serde_json::Value,
    #[diesel(sql_type = Bool)]
    undone: bool,
    #[diesel(sql_type = Bool)]
    later_review: bool,
}

/// The target row and whether a later review (not undone) of the card exists.
const TARGET: &str = "SELECT r.id, r.client_review_id, r.reviewed_at, r.before, r.after, r.undone, \
     EXISTS (SELECT 1 FROM review_logs l WHERE l.card_id = r.card_id AND NOT l.undone \
     AND (l.reviewed_at, l.id) > (r.reviewed_at, r.id)) AS later_review \
     FROM review_logs r WHERE r.card_id = $1 AND ";

fn snapshot(value: serde_json::Value) -> Result<CardSnapshot, LearningStoreError> {
    serde_json::from_value(value).map_err(unavailable)
}

async fn target(
    conn: &mut AsyncPgConnection,
    card: CardId,
    review: Option<&str>,
) -> Result<TargetRow, TxError> {
    let found = match review {
        Some(client_review_id) => {
            sql_query(format!("{TARGET} r.client_review_id = $2"))
                .bind::<SqlUuid, _>(card.as_uuid())
                .bind::<Text, _>(client_review_id)
                .get_result(conn)
                .await
        }
        None => {
            sql_query(format!(
                "{TARGET} NOT r.undone ORDER BY r.reviewed_at DESC, r.id DESC LIMIT 1"
            ))
            .bind::<SqlUuid, _>(card.as_uuid())
            .get_result(conn)
            .await
        }
    };
    found.map_err(|e| TxError::Store(from_diesel(e)))
}

async fn store(conn: &mut AsyncPgConnection, row_id: i64, card: &Card) -> Result<(), TxError> {
    super::activity::uncount_review(conn, row_id).await?;
    sql_query("UPDATE review_logs SET undone = true WHERE id = $1")
        .bind::<Int8, _>(row_id)
        .execute(conn)
        .await?;
    let s = &card.schedule;
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
    .bind::<Bool, _>(card.leech)
    .bind::<Bool, _>(card.suspended)
    .execute(conn)
    .await?;
    Ok(())
}

/// The transaction's outcome: the store's errors, or the rule's refusal (which writes nothing).
// Lives only inside one transaction; boxing the card would buy nothing.
#[allow(clippy::large_enum_variant)]
enum Undone {
    Card(Card),
    Refused(UndoError),
}

impl PgCardStore {
    pub(super) async fn undo(
        &self,
        owner: UserId,
        card: CardId,
        review: Option<&str>,
        decide: &DecideUndo,
    ) -> Result<Card, UndoError> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        let outcome = conn
            .transaction::<Undone, TxError, _>(async |conn| {
                let row: CardRow =
                    sql_query("SELECT * FROM cards WHERE id = $1 AND user_id = $2 FOR UPDATE")
                        .bind::<SqlUuid, _>(card.as_uuid())
                        .bind::<SqlUuid, _>(owner.as_uuid())
                        .get_result(conn)
                        .await
                        .map_err(|e| TxError::Store(from_diesel(e)))?;
                let target = target(conn, card, review).await?;
                let context = UndoContext {
                    card: row.into_card()?,
                    review: UndoTarget {
                        client_review_id: target.client_review_id,
                        reviewed_at: target.reviewed_at,
                        before: snapshot(target.before)?,
                        after: snapshot(target.after)?,
                        undone: target.undone,
                    },
                    later_review: target.later_review,
                };
                match decide(&context) {
                    Ok(UndoDecision::Undo(card)) => {
                        store(conn, target.id, &card).await?;
                        Ok(Undone::Card(card))
                    }
                    Ok(UndoDecision::AlreadyUndone(card)) => Ok(Undone::Card(card)),
                    Err(refusal) => Ok(Undone::Refused(refusal)),
                }
            })
            .await
            .map_err(LearningStoreError::from)?;
        match outcome {
            Undone::Card(card) => Ok(card),
            Undone::Refused(refusal) => Err(refusal),
        }
    }
}
