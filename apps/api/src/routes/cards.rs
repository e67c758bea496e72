//! The learner's cards: listing with filters, and the card actions (suspend, bury, reset, move).

use super::card_view::CardView;
use super::list::List;
use crate::caller::Caller;
use crate::problem::{ApiError, Problem};
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use lingo_kernel::{CardId, DeckId};
use lingo_learning::card_queries::DEFAULT_PAGE;
use lingo_learning::ports::CardFilter;
use lingo_learning::scheduler::CardState;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CardQuery {
    deck: Option<Uuid>,
    #[param(value_type = Option<super::enums::CardStateName>)]
    state: Option<String>,
    due_before: Option<DateTime<Utc>>,
    leech: Option<bool>,
    /// The `next_cursor` of the previous page.
    cursor: Option<Uuid>,
    limit: Option<u32>,
}

/// The caller's cards, filtered, in pages.
#[utoipa::path(get, path = "/api/v1/cards", tag = "learning", params(CardQuery), security(("bearer" = [])),
    responses((status = 200, body = List<CardView>), (status = 422, body = Problem)))]
pub async fn list(
    caller: Caller,
    query: web::Query<CardQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let card_state = query
        .state
        .as_deref()
        .map(|s| {
            CardState::parse(s)
                .ok_or_else(|| ApiError::invalid("state", "learning, review or relearning"))
        })
        .transpose()?;
    let filter = CardFilter {
        deck: query.deck.map(DeckId::from_uuid),
        state: card_state,
        due_before: query.due_before,
        leech: query.leech,
        after: query.cursor.map(CardId::from_uuid),
        limit: query.limit.unwrap_or(DEFAULT_PAGE).max(1),
    };
    let page = state.cards.list(caller.user, filter).await?;
    Ok(HttpResponse::Ok().json(List {
        items: page.items.iter().map(CardView::from).collect(),
        next_cursor: page.next_cursor.map(|c| c.as_uuid().to_string()),
    }))
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
    caller: Caller,
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
    let card = state
        .card_actions
        .apply(caller.user, CardId::from_uuid(card), action)
        .await?;
    Ok(HttpResponse::Ok().json(CardView::from(&card)))
}
