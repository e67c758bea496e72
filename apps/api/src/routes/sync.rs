//! Pulling changes to a device: `GET /sync?since=<cursor>` (docs/sync.md).

use super::card_view::CardView;
use super::decks::DeckView;
use super::profile_dto::ProfileView;
use crate::caller::Caller;
use crate::problem::{ApiError, Problem};
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use lingo_learning::sync::{Change, Changed};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SyncQuery {
    /// The `cursor` of the previous answer; absent for a first (full) sync.
    #[param(max_length = 80)]
    since: Option<String>,
    /// Changes per page, 1 to 500 (default 200).
    #[param(minimum = 1, maximum = 500)]
    limit: Option<u32>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeletedEntity {
    Deck,
    Card,
}

/// One change, by `kind`; `version` and `changed_at` are the row's.
#[derive(Serialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SyncItem {
    Deck {
        deck: DeckView,
        version: i32,
        changed_at: DateTime<Utc>,
    },
    Card {
        card: CardView,
        version: i32,
        changed_at: DateTime<Utc>,
    },
    Profile {
        display_name: String,
        profile: ProfileView,
        version: i32,
        changed_at: DateTime<Utc>,
    },
    /// A deck or card deleted (a deleted deck also lists each of its cards).
    Deleted {
        entity: DeletedEntity,
        id: Uuid,
        changed_at: DateTime<Utc>,
    },
}

impl From<Changed> for SyncItem {
    fn from(c: Changed) -> Self {
        let (version, changed_at) = (c.version, c.changed_at);
        match c.change {
            Change::Deck(deck) => Self::Deck {
                deck: deck.into(),
                version,
                changed_at,
            },
            Change::Card(card) => Self::Card {
                card: (&card).into(),
                version,
                changed_at,
            },
            Change::Profile {
                display_name,
                profile,
            } => Self::Profile {
                display_name,
                profile: (&profile).into(),
                version,
                changed_at,
            },
            Change::Deleted { entity, id } => Self::Deleted {
                entity: match entity {
                    lingo_learning::sync::Entity::Deck => DeletedEntity::Deck,
                    lingo_learning::sync::Entity::Card => DeletedEntity::Card,
                },
                id,
                changed_at,
            },
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct SyncPage {
    items: Vec<SyncItem>,
    /// Set while more changes wait now: ask again with `since` = this.
    next_cursor: Option<String>,
    /// Always set: keep it and send it as `since` at the next sync.
    cursor: String,
}

/// The caller's decks, cards, profile and deletions changed since `since`, oldest change first,
/// in pages. Reviews go up through `POST /reviews/batch`.
#[utoipa::path(get, path = "/api/v1/sync", tag = "learning", params(SyncQuery), security(("bearer" = [])),
    responses(
        (status = 200, body = SyncPage),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 410, description = "The cursor is older than the tombstones kept: sync from the start", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A cursor this server did not issue (urn:lingo:problem:sync-cursor-invalid): pull again without `since`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "A store is unavailable", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn pull(
    caller: Caller,
    query: web::Query<SyncQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let pull = state
        .sync
        .pull(
            caller.user,
            query.since.as_deref(),
            Some(super::fields::page_limit(query.limit, 200, 500)?),
        )
        .await?;
    Ok(HttpResponse::Ok().json(SyncPage {
        items: pull.changes.into_iter().map(Into::into).collect(),
        next_cursor: pull.more.then(|| pull.cursor.clone()),
        cursor: pull.cursor,
    }))
}
