//! Cards, reviews, undo, the study queue and statistics.

use crate::auth::Authenticated;
use crate::problem::{ApiError, Problem};
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use lingo_kernel::{CardId, DeckId};
use lingo_learning::Rating;
use lingo_learning::card::Card;
use lingo_learning::ports::CardFilter;
use lingo_learning::review::{ReviewError, ReviewOutcome, ReviewRequest};
use lingo_learning::scheduler::CardState;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

#[derive(Serialize, ToSchema)]
pub struct CardView {
    id: Uuid,
    deck_id: Uuid,
    word_id: Uuid,
    /// recognition, recall or typing
    card_type: &'static str,
    /// Learning, Review or Relearning
    state: &'static str,
    step: Option<u32>,
    stability: Option<f64>,
    difficulty: Option<f64>,
    due: DateTime<Utc>,
    last_review: Option<DateTime<Utc>>,
    reps: i32,
    lapses: i32,
    suspended: bool,
    leech: bool,
    version: i32,
}

impl From<&Card> for CardView {
    fn from(c: &Card) -> Self {
        Self {
            id: c.id.as_uuid(),
            deck_id: c.deck.as_uuid(),
            word_id: c.word.as_uuid(),
            card_type: c.card_type.as_str(),
            state: c.schedule.state.as_str(),
            step: c.schedule.step,
            stability: c.schedule.stability,
            difficulty: c.schedule.difficulty,
            due: c.schedule.due,
            last_review: c.schedule.last_review,
            reps: c.reps,
            lapses: c.lapses,
            suspended: c.suspended,
            leech: c.leech,
            version: c.version,
        }
    }
}

#[derive(Deserialize, IntoParams)]
pub struct CardQuery {
    deck: Option<Uuid>,
    /// Learning, Review or Relearning
    state: Option<String>,
    due_before: Option<DateTime<Utc>>,
    leech: Option<bool>,
    /// The `next_cursor` of the previous page.
    cursor: Option<Uuid>,
    limit: Option<u32>,
}

#[derive(Serialize, ToSchema)]
pub struct CardPage {
    items: Vec<CardView>,
    next_cursor: Option<Uuid>,
}

/// The caller's cards, filtered, in pages.
#[utoipa::path(get, path = "/api/v1/cards", tag = "learning", params(CardQuery), security(("bearer" = [])),
    responses((status = 200, body = CardPage), (status = 422, body = Problem)))]
pub async fn list(
    caller: Authenticated,
    query: web::Query<CardQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let limit = query.limit.unwrap_or(50).clamp(1, 200);
    let card_state = query
        .state
        .as_deref()
        .map(|s| {
            CardState::parse(s)
                .ok_or_else(|| ApiError::invalid("state", "Learning, Review or Relearning"))
        })
        .transpose()?;
    let filter = CardFilter {
        deck: query.deck.map(DeckId::from_uuid),
        state: card_state,
        due_before: query.due_before,
        leech: query.leech,
        after: query.cursor.map(CardId::from_uuid),
        limit,
    };
    let cards = state.cards.list(caller.user, &filter).await?;
    let next_cursor = (cards.len() as u32 == limit)
        .then(|| cards.last().map(|c| c.id.as_uuid()))
        .flatten();
    Ok(HttpResponse::Ok().json(CardPage {
        items: cards.iter().map(CardView::from).collect(),
        next_cursor,
    }))
}

#[derive(Deserialize, Serialize, Validate, ToSchema, Clone)]
#[schema(example = json!({"card_id": "01936f1e-7c2a-7d4e-9f00-3b1d2c4e5f60", "rating": 3,
    "reviewed_at": "2026-11-25T10:00:00Z", "duration_ms": 4200, "client_review_id": "dev1-000123"}))]
pub struct ReviewInput {
    card_id: Uuid,
    /// 1 again, 2 hard, 3 good, 4 easy
    #[validate(range(min = 1, max = 4, message = "a rating is 1 (again) to 4 (easy)"))]
    rating: u8,
    reviewed_at: DateTime<Utc>,
    #[validate(range(max = 86_400_000, message = "at most a day"))]
    duration_ms: Option<u32>,
    /// Unique per learner; a retry with the same id changes nothing and returns the same result.
    #[validate(length(min = 1, max = 100, message = "1 to 100 characters"))]
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
    /// applied, duplicate, rejected or not_found
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

/// Records a review and reschedules the card (FSRS). Idempotent on `client_review_id`.
#[utoipa::path(post, path = "/api/v1/reviews", tag = "learning", request_body = ReviewInput, security(("bearer" = [])),
    responses((status = 200, body = ReviewResult), (status = 404, body = Problem),
        (status = 422, description = "Invalid, suspended, out of order, in the future or too old", body = Problem)))]
pub async fn review(
    caller: Authenticated,
    body: web::Json<ReviewInput>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    let outcome = state.reviews.review(caller.user, &body.request()?).await;
    let result = result(&body.client_review_id, outcome)?;
    match result.status {
        "not_found" => Err(ApiError::NotFound("no such card".to_owned())),
        "rejected" => Err(ApiError::invalid(
            "reviewed_at",
            result.reason.unwrap_or_default(),
        )),
        _ => Ok(HttpResponse::Ok().json(result)),
    }
}

#[derive(Deserialize, Validate, ToSchema)]
pub struct BatchInput {
    #[validate(length(min = 1, max = 1000, message = "1 to 1000 reviews"), nested)]
    reviews: Vec<ReviewInput>,
}

#[derive(Serialize, ToSchema)]
pub struct BatchResult {
    results: Vec<ReviewResult>,
}

/// Offline sync: many reviews, applied in `reviewed_at` order per card, each with its own result.
#[utoipa::path(post, path = "/api/v1/reviews/batch", tag = "learning", request_body = BatchInput, security(("bearer" = [])),
    responses((status = 200, body = BatchResult), (status = 422, body = Problem)))]
pub async fn batch(
    caller: Authenticated,
    body: web::Json<BatchInput>,
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
    Ok(HttpResponse::Ok().json(BatchResult { results }))
}

/// Undoes the card's last review.
#[utoipa::path(post, path = "/api/v1/cards/{id}/undo", tag = "learning", security(("bearer" = [])),
    responses((status = 200, body = CardView), (status = 404, description = "No card, or nothing to undo", body = Problem)))]
pub async fn undo(
    caller: Authenticated,
    id: web::Path<Uuid>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let card = state
        .reviews
        .undo(caller.user, CardId::from_uuid(*id))
        .await
        .map_err(|e| match e {
            ReviewError::NotFound => ApiError::NotFound("no review to undo".to_owned()),
            ReviewError::Unavailable(m) => ApiError::Unavailable(m),
        })?;
    Ok(HttpResponse::Ok().json(CardView::from(&card)))
}

#[derive(Deserialize, IntoParams)]
pub struct QueueQuery {
    deck: Option<Uuid>,
    limit: Option<u32>,
}

#[derive(Serialize, ToSchema)]
pub struct QueueItem {
    card: CardView,
    language: Option<String>,
    lemma: Option<String>,
    /// Due dates after again, hard, good, easy.
    preview: [DateTime<Utc>; 4],
}

/// Cards to study now: due reviews (least likely remembered first), due learning steps, then new
/// cards within today's allowance; one card per word per day.
#[utoipa::path(get, path = "/api/v1/study/queue", tag = "learning", params(QueueQuery), security(("bearer" = [])),
    responses((status = 200, body = [QueueItem])))]
pub async fn queue(
    caller: Authenticated,
    query: web::Query<QueueQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let user = state.accounts.get(caller.user).await?;
    let settings = lingo_learning::study_queue::StudySettings::from_profile(&user.profile);
    let entries = state
        .study
        .queue(
            caller.user,
            &settings,
            query.deck.map(DeckId::from_uuid),
            query.limit.unwrap_or(20).clamp(1, 200),
        )
        .await?;
    Ok(HttpResponse::Ok().json(
        entries
            .into_iter()
            .map(|e| QueueItem {
                card: CardView::from(&e.card),
                language: e.word.as_ref().map(|w| w.language.clone()),
                lemma: e.word.map(|w| w.lemma),
                preview: e.preview,
            })
            .collect::<Vec<_>>(),
    ))
}

/// Reviews per day, true retention, streak, counts, learned words, time spent, 30-day forecast.
#[utoipa::path(get, path = "/api/v1/stats", tag = "learning", security(("bearer" = [])),
    responses((status = 200, description = "Statistics", body = Object)))]
pub async fn stats(
    caller: Authenticated,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let user = state.accounts.get(caller.user).await?;
    let profile = &user.profile;
    let stats = state
        .stats
        .stats(
            caller.user,
            profile.timezone.tz(),
            profile.day_rollover_hour,
        )
        .await?;
    Ok(HttpResponse::Ok().json(stats))
}

#[derive(Deserialize, ToSchema, Default)]
pub struct ActionInput {
    /// For `move`: the deck to move the card to.
    deck_id: Option<Uuid>,
}

/// Suspends, unsuspends, buries until tomorrow, resets or moves a card.
#[utoipa::path(post, path = "/api/v1/cards/{id}/{action}", tag = "learning", request_body = ActionInput,
    params(("id" = Uuid, Path), ("action" = String, Path, description = "suspend, unsuspend, bury, reset or move")),
    security(("bearer" = [])),
    responses((status = 200, body = CardView), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn act(
    caller: Authenticated,
    path: web::Path<(Uuid, String)>,
    body: Option<web::Json<ActionInput>>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    use lingo_learning::card_actions::CardAction;
    let (card, action) = path.into_inner();
    let action = match action.as_str() {
        "suspend" => CardAction::Suspend,
        "unsuspend" => CardAction::Unsuspend,
        "bury" => CardAction::Bury,
        "reset" => CardAction::Reset,
        "move" => CardAction::Move {
            deck: body
                .and_then(|b| b.deck_id)
                .map(DeckId::from_uuid)
                .ok_or_else(|| ApiError::invalid("deck_id", "required to move a card"))?,
        },
        _ => return Err(ApiError::NotFound("no such card action".to_owned())),
    };
    let profile = state.accounts.get(caller.user).await?.profile;
    let card = state
        .card_actions
        .apply(
            caller.user,
            CardId::from_uuid(card),
            action,
            profile.timezone.tz(),
            profile.day_rollover_hour,
        )
        .await?;
    Ok(HttpResponse::Ok().json(CardView::from(&card)))
}
