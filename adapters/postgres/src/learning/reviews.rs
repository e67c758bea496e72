//! The review transaction: one locking read, one write, like a hand-written stored procedure.

use super::card_row::{CardRow, state_name};
use super::cards::PgCardStore;
use super::review_sql::{ContextQuery, WriteQuery};
use super::{TxError, from_diesel, unavailable};
use chrono::{DateTime, Utc};
use diesel::sql_types::{
    Array, Float8, Int2, Int4, Jsonb, Nullable, Text, Timestamptz, Uuid as SqlUuid,
};
use diesel::{QueryableByName, sql_query};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use lingo_kernel::CardId;
use lingo_kernel::UserId;
use lingo_learning::Rating;
use lingo_learning::card::{Card, CardSnapshot};
use lingo_learning::ports::{Decide, LearningStoreError, ParameterSet};
use lingo_learning::review::{
    Decision, LoggedReview, PriorReview, ReviewOutcome, ReviewRequest, SchedulingContext,
    SchedulingSettings,
};

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
    #[diesel(sql_type = Nullable<SqlUuid>)]
    prior_card: Option<uuid::Uuid>,
    #[diesel(sql_type = Nullable<Int2>)]
    prior_rating: Option<i16>,
    #[diesel(sql_type = Nullable<Jsonb>)]
    prior_after: Option<serde_json::Value>,
}

/// A later review of the card, for a late review's fold.
#[derive(QueryableByName)]
struct LaterRow {
    #[diesel(sql_type = Text)]
    client_review_id: String,
    #[diesel(sql_type = Int2)]
    rating: i16,
    #[diesel(sql_type = Timestamptz)]
    reviewed_at: DateTime<Utc>,
    #[diesel(sql_type = Jsonb)]
    before: serde_json::Value,
}

// Lives only inside one transaction; boxing the card would buy nothing.
#[allow(clippy::large_enum_variant)]
enum Step {
    Done(ReviewOutcome),
    /// The write found the client id taken (a concurrent duplicate): look again.
    Raced,
}

fn profile(profile: serde_json::Value) -> Result<lingo_users::LearningProfile, LearningStoreError> {
    crate::learner_profiles::decode_profile(profile).map_err(LearningStoreError::Unavailable)
}

fn to_json(snapshot: &CardSnapshot) -> Result<serde_json::Value, LearningStoreError> {
    serde_json::to_value(snapshot).map_err(unavailable)
}

fn from_json(value: serde_json::Value) -> Result<CardSnapshot, LearningStoreError> {
    serde_json::from_value(value).map_err(unavailable)
}

fn rating(raw: i16) -> Result<Rating, LearningStoreError> {
    u8::try_from(raw)
        .ok()
        .and_then(|r| Rating::try_from(r).ok())
        .ok_or_else(|| LearningStoreError::Unavailable(format!("invalid stored rating {raw}")))
}

impl ContextRow {
    fn prior(&self) -> Result<Option<PriorReview>, LearningStoreError> {
        let (Some(card), Some(raw), Some(after)) =
            (self.prior_card, self.prior_rating, self.prior_after.clone())
        else {
            return Ok(None);
        };
        Ok(Some(PriorReview {
            card: CardId::from_uuid(card),
            rating: rating(raw)?,
            after: from_json(after)?,
        }))
    }
}

/// The card's reviews after `at` (not undone, since its last reset), oldest first.
async fn later_reviews(
    conn: &mut AsyncPgConnection,
    card: &Card,
    at: DateTime<Utc>,
) -> Result<Vec<LoggedReview>, TxError> {
    let rows: Vec<LaterRow> = sql_query(
        "SELECT client_review_id, rating, reviewed_at, before FROM review_logs \
         WHERE card_id = $1 AND NOT undone AND reviewed_at > $2 \
         AND ($3::timestamptz IS NULL OR reviewed_at >= $3) ORDER BY reviewed_at, id",
    )
    .bind::<SqlUuid, _>(card.id.as_uuid())
    .bind::<Timestamptz, _>(at)
    .bind::<Nullable<Timestamptz>, _>(card.reset_at)
    .load(conn)
    .await?;
    rows.into_iter()
        .map(|row| {
            Ok(LoggedReview {
                client_review_id: row.client_review_id,
                rating: rating(row.rating)?,
                reviewed_at: row.reviewed_at,
                before: from_json(row.before)?,
            })
        })
        .collect::<Result<_, LearningStoreError>>()
        .map_err(TxError::from)
}

/// Rewrites the snapshots of the reviews folded after a late one.
async fn rewrite_snapshots(
    conn: &mut AsyncPgConnection,
    owner: UserId,
    decision: &Decision,
) -> Result<(), TxError> {
    if decision.refolded.is_empty() {
        return Ok(());
    }
    let rows = decision
        .refolded
        .iter()
        .map(|(id, folded)| {
            Ok(serde_json::json!({
                "client_review_id": id,
                "before": to_json(&folded.before)?,
                "after": to_json(&folded.after)?,
            }))
        })
        .collect::<Result<Vec<_>, LearningStoreError>>()?;
    sql_query(
        "UPDATE review_logs r SET before = u.before, after = u.after \
         FROM jsonb_to_recordset($2) AS u(client_review_id TEXT, before JSONB, after JSONB) \
         WHERE r.user_id = $1 AND r.client_review_id = u.client_review_id",
    )
    .bind::<SqlUuid, _>(owner.as_uuid())
    .bind::<Jsonb, _>(serde_json::Value::Array(rows))
    .execute(conn)
    .await?;
    Ok(())
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
                    self.review_once(conn, owner, request, decide).await
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

    async fn review_once(
        &self,
        conn: &mut AsyncPgConnection,
        owner: UserId,
        request: &ReviewRequest,
        decide: &Decide,
    ) -> Result<Step, TxError> {
        let row: ContextRow = ContextQuery {
            user: owner.as_uuid(),
            card: request.card_id.as_uuid(),
            client_review_id: &request.client_review_id,
        }
        .get_result(conn)
        .await
        .map_err(from_diesel)?;
        let card = row.card.clone().into_card()?;
        if let Some(prior) = row.prior()? {
            if let Err(conflict) = prior.replays(request) {
                return Ok(Step::Done(ReviewOutcome::Conflict(conflict)));
            }
            let mut replayed = card;
            replayed.restore(&prior.after);
            return Ok(Step::Done(ReviewOutcome::Replayed { card: replayed }));
        }
        let later = if card
            .schedule
            .last_review
            .is_some_and(|last| last > request.reviewed_at)
        {
            later_reviews(conn, &card, request.reviewed_at).await?
        } else {
            Vec::new()
        };
        let profile = profile(row.profile)?;
        let context = SchedulingContext {
            card: card.clone(),
            settings: SchedulingSettings::from_profile(&profile),
            parameters: row
                .parameters
                .zip(row.parameters_version)
                .map(|(parameters, version)| ParameterSet {
                    version,
                    parameters,
                }),
            later,
        };
        let decision = match decide(&context) {
            Ok(decision) => decision,
            Err(rejection) => return Ok(Step::Done(ReviewOutcome::Rejected(rejection))),
        };
        let parameters_version = row.parameters_version.unwrap_or(0);
        let duration_ms = request.duration_ms.map(|d| d.min(i32::MAX as u32) as i32);
        let next = &decision.card;
        let s = &next.schedule;
        // The review counts on the learner's local day of `reviewed_at`, dated now.
        let day = lingo_learning::local_day::today(
            request.reviewed_at,
            profile.timezone.tz(),
            profile.day_rollover_hour,
        );
        let written = WriteQuery {
            user: owner.as_uuid(),
            card: card.id.as_uuid(),
            client_review_id: &request.client_review_id,
            rating: i16::from(u8::from(request.rating)),
            reviewed_at: request.reviewed_at,
            duration_ms,
            parameters_version,
            before: to_json(&decision.before)?,
            after: to_json(&decision.after)?,
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
            day,
            passed: i32::from(request.rating != Rating::Again),
            time_ms: i64::from(duration_ms.unwrap_or(0).max(0)),
        }
        .execute(conn)
        .await
        .map_err(unavailable)?;
        if written == 0 {
            return Ok(Step::Raced);
        }
        rewrite_snapshots(conn, owner, &decision).await?;
        Ok(Step::Done(ReviewOutcome::Applied {
            card: decision.card,
            parameters_version,
        }))
    }
}
