//! The study queue: what to review now, with the due date each answer would give.

use super::card_view::CardView;
use crate::caller::Caller;
use crate::problem::ApiError;
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

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
    caller: Caller,
    query: web::Query<QueueQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let entries = state
        .study
        .queue(
            caller.user,
            query.deck.map(lingo_kernel::DeckId::from_uuid),
            query.limit.unwrap_or(20),
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
