//! Reviews: one at a time, offline batches, and undoing the last one.

use super::card_view::CardView;
use super::list::List;
use crate::caller::Caller;
use crate::json_body::{JsonBody, OptionalJsonBody};
use crate::problem::{ApiError, Problem};
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use lingo_kernel::CardId;
use lingo_learning::Rating;
use lingo_learning::review::{ReviewError, ReviewOutcome, ReviewRequest};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

#[derive(Deserialize, Serialize, Validate, ToSchema, Clone)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"card_id": "01936f1e-7c2a-7d4e-9f00-3b1d2c4e5f60", "rating": 3,
    "reviewed_at": "2026-11-25T10:00:00Z", "duration_ms": 4200, "client_review_id": "dev1-000123"}))]
pub struct ReviewInput {
    card_id: Uuid,
    /// 1 again, 2 hard, 3 good, 4 easy
    #[validate(range(min = 1, max = 4, message = "a rating is 1 (again) to 4 (easy)"))]
    #[schema(minimum = 1, maximum = 4)]
    #[serde(deserialize_with = "super::fields::whole_u8")]
    rating: u8,
    reviewed_at: DateTime<Utc>,
    #[validate(range(max = 86_400_000, message = "at most a day"))]
    #[schema(minimum = 0, maximum = 86_400_000)]
    duration_ms: Option<u32>,
    /// Unique per learner; a retry with the same id changes nothing and returns the same result.
    #[validate(length(min = 1, max = 100, message = "1 to 100 characters"))]
    #[schema(min_length = 1, max_length = 100)]
    client_review_id: String,
}

impl ReviewInput {
    fn request(&self) -> Result<ReviewRequest, ApiError> {
        Ok(ReviewRequest {
            card_id: CardId::from_uuid(self.card_id),
            rating: Rating::try_from(self.rating)
                .map_err(|e| ApiError::invalid("rating", e.to_string()))?,
            reviewed_at: self.reviewed_at,
            duration_ms: self.duration_ms,
            client_review_id: self.client_review_id.clone(),
        })
    }
}

#[derive(Serialize, ToSchema)]
pub struct ReviewResult {
    client_review_id: String,
    /// `conflict`: the id belongs to another card or rating.
    #[schema(value_type = super::enums::ReviewStatus)]
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    card: Option<CardView>,
}

fn result(
    client_review_id: &str,
    outcome: Result<ReviewOutcome, ReviewError>,
) -> Result<ReviewResult, ApiError> {
    let (status, reason, card) = match outcome {
        Ok(ReviewOutcome::Applied { card, .. }) => ("applied", None, Some(CardView::from(&card))),
        Ok(ReviewOutcome::Replayed { card }) => ("duplicate", None, Some(CardView::from(&card))),
        Ok(ReviewOutcome::Rejected(why)) => ("rejected", Some(why.to_string()), None),
        Ok(ReviewOutcome::Conflict(why)) => ("conflict", Some(why.to_string()), None),
        Err(ReviewError::NotFound) => ("not_found", Some("no such card".to_owned()), None),
        Err(ReviewError::Unavailable(m)) => return Err(ApiError::Unavailable(m)),
    };
    Ok(ReviewResult {
        client_review_id: client_review_id.to_owned(),
        status,
        reason,
        card,
    })
}

/// Records a review and reschedules the card (FSRS). Idempotent on `client_review_id`: a retry
/// with the same card and rating returns the stored result (`duplicate`). A review older than
/// the card's last one is kept and folded in time order (docs/reviews.md).
#[utoipa::path(post, path = "/api/v1/reviews", tag = "learning", request_body = ReviewInput, security(("bearer" = [])),
    responses((status = 200, body = ReviewResult), (status = 404, body = Problem),
        (status = 409, description = "The client_review_id was used for another card or rating \
            (type urn:lingo:problem:client-review-id-reused)", body = Problem),
        (status = 422, description = "Invalid; the card is suspended; or reviewed_at is more than \
            5 minutes ahead, more than 365 days ago or before the card was created \
            (type urn:lingo:problem:review-time-out-of-bounds)", body = Problem)))]
pub async fn review(
    caller: Caller,
    body: JsonBody<ReviewInput>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    let outcome = state.reviews.review(caller.user, &body.request()?).await?;
    match outcome {
        ReviewOutcome::Rejected(why) => Err(why.into()),
        ReviewOutcome::Conflict(why) => Err(why.into()),
        outcome => Ok(HttpResponse::Ok().json(result(&body.client_review_id, Ok(outcome))?)),
    }
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchInput {
    /// 1 to 1000 reviews (docs/limits.md).
    #[validate(length(min = 1, max = 1000, message = "1 to 1000 reviews"), nested)]
    #[schema(min_items = 1, max_items = 1000)]
    reviews: Vec<ReviewInput>,
}

/// Offline sync: many reviews, applied in `reviewed_at` order per card, each with its own result.
#[utoipa::path(post, path = "/api/v1/reviews/batch", tag = "learning", request_body = BatchInput, security(("bearer" = [])),
    responses((status = 200, description = "One result per review, in the order given", body = List<ReviewResult>), (status = 422, body = Problem)))]
pub async fn batch(
    caller: Caller,
    body: JsonBody<BatchInput>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    let requests = body
        .reviews
        .iter()
        .map(ReviewInput::request)
        .collect::<Result<Vec<_>, _>>()?;
    let items = state.reviews.review_batch(caller.user, requests).await;
    let results = items
        .into_iter()
        .map(|item| result(&item.client_review_id, item.outcome))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(HttpResponse::Ok().json(List::complete(results)))
}

#[derive(Deserialize, Validate, ToSchema, Default)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"client_review_id": "dev1-000123"}))]
pub struct UndoInput {
    /// The review to undo. Named, undo is safe to retry: undoing a review already undone
    /// changes nothing. Without it, the card's latest review is undone (not safe to retry).
    #[validate(length(min = 1, max = 100, message = "1 to 100 characters"))]
    #[schema(min_length = 1, max_length = 100)]
    client_review_id: Option<String>,
}

/// Undoes a review of the card: its scheduling (state, step, memory, due, last review, reps,
/// lapses) goes back to what it was before; flags set since (a suspension) stay.
#[utoipa::path(post, path = "/api/v1/cards/{id}/undo", tag = "learning", request_body(content = Option<UndoInput>),
    params(("id" = Uuid, Path)), security(("bearer" = [])),
    responses((status = 200, description = "The card after the undo (or as it is, when the review was undone already)", body = CardView),
        (status = 404, description = "No card, or no such review of it (nothing to undo)", body = Problem),
        (status = 409, description = "The card was reset after the review (urn:lingo:problem:undo-after-reset) \
            or has a later review (urn:lingo:problem:undo-not-latest)", body = Problem),
        (status = 422, body = Problem)))]
pub async fn undo(
    caller: Caller,
    id: web::Path<Uuid>,
    body: OptionalJsonBody<UndoInput>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0.unwrap_or_default();
    body.validate()?;
    let card = state
        .reviews
        .undo(
            caller.user,
            CardId::from_uuid(*id),
            body.client_review_id.as_deref(),
        )
        .await?;
    Ok(HttpResponse::Ok().json(CardView::from(&card)))
}
