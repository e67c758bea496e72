//! The learner's cards: listing with filters (state, lemma, note, tag), the learner's material
//! (note, translation, tags, source sentence) and the card actions (suspend, bury, reset, move).

use super::card_view::CardView;
use super::list::List;
use crate::caller::Caller;
use crate::json_body::JsonBody;
use crate::problem::{ApiError, Problem};
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use lingo_kernel::{CardId, DeckId};
use lingo_learning::card_material::{
    CardNote, CustomTranslation, MaterialEdit, MaterialError, SourceSentence, Tag, Tags,
};
use lingo_learning::card_queries::{DEFAULT_PAGE, MAX_PAGE};
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
    /// Cards whose word starts with this (case-insensitive).
    #[param(
        max_length = 64,
        pattern = r"^\s*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
    )]
    lemma: Option<String>,
    /// Cards whose note contains this (case-insensitive).
    #[param(
        max_length = 200,
        pattern = r"^\s*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
    )]
    note: Option<String>,
    /// Cards carrying this tag.
    #[param(pattern = r"^[\w:-]{1,32}$")]
    tag: Option<String>,
    /// The `next_cursor` of the previous page.
    cursor: Option<Uuid>,
    /// 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200)]
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
        lemma_prefix: search_text("lemma", query.lemma.as_deref(), 64)?,
        note_contains: search_text("note", query.note.as_deref(), 200)?,
        tag: query
            .tag
            .as_deref()
            .map(|t| Tag::parse(t).map_err(|e| ApiError::invalid("tag", e.to_string())))
            .transpose()?,
        after: query.cursor.map(CardId::from_uuid),
        limit: super::fields::page_limit(query.limit, DEFAULT_PAGE, MAX_PAGE)?,
    };
    let page = state.cards.list(caller.user, filter).await?;
    Ok(HttpResponse::Ok().json(List {
        items: page.items.iter().map(CardView::from).collect(),
        next_cursor: page.next_cursor.map(|c| c.as_uuid().to_string()),
    }))
}

/// A search text of the listing: trimmed, non-empty, bounded, no control characters.
fn search_text(field: &str, raw: Option<&str>, max: usize) -> Result<Option<String>, ApiError> {
    let Some(raw) = raw else {
        return Ok(None);
    };
    let text = raw.trim();
    if text.is_empty() || raw.chars().count() > max || text.chars().any(char::is_control) {
        return Err(ApiError::invalid(
            field,
            format!("1 to {max} characters without control characters"),
        ));
    }
    Ok(Some(text.to_owned()))
}

/// A change to the learner's material on a card: a field left out stays as it is, `null`
/// clears it (limits in docs/limits.md).
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct MaterialInput {
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 2000, pattern = r"^[^\x00-\x08\x0b-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x08\x0b-\x1f\x7f-\x9f]*$")]
    note: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 200, pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$")]
    translation: Option<Option<String>>,
    /// Replaces the tags: at most 20, each 1 to 32 letters, digits, '-', '_' or ':'.
    #[schema(value_type = Option<Vec<TagText>>, max_items = 20)]
    tags: Option<Vec<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 500, pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$")]
    source_sentence: Option<Option<String>>,
}

/// A tag as the document describes it (the schema only; `Tag::parse` is the rule).
pub struct TagText;

impl utoipa::PartialSchema for TagText {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some(r"^[\w:-]{1,32}$"))
            .into()
    }
}

impl ToSchema for TagText {}

/// A field that is present (`Some`), possibly `null` (`Some(None)`).
fn present<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

impl MaterialInput {
    fn edit(&self) -> Result<MaterialEdit, ApiError> {
        fn field<T>(
            name: &str,
            raw: &Option<Option<String>>,
            parse: fn(&str) -> Result<T, MaterialError>,
        ) -> Result<Option<Option<T>>, ApiError> {
            raw.as_ref()
                .map(|v| {
                    v.as_deref()
                        .map(parse)
                        .transpose()
                        .map_err(|e| ApiError::invalid(name, e.to_string()))
                })
                .transpose()
        }
        Ok(MaterialEdit {
            note: field("note", &self.note, CardNote::parse)?,
            translation: field("translation", &self.translation, CustomTranslation::parse)?,
            tags: self
                .tags
                .as_deref()
                .map(|t| Tags::parse(t).map_err(|e| ApiError::invalid("tags", e.to_string())))
                .transpose()?,
            source_sentence: field(
                "source_sentence",
                &self.source_sentence,
                SourceSentence::parse,
            )?,
        })
    }
}

/// Changes the learner's note, translation, tags or source sentence on a card.
#[utoipa::path(patch, path = "/api/v1/cards/{id}", tag = "learning", request_body = MaterialInput,
    params(("id" = Uuid, Path)), security(("bearer" = [])),
    responses((status = 200, body = CardView), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn edit(
    caller: Caller,
    id: web::Path<Uuid>,
    body: JsonBody<MaterialInput>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let edit = body.edit()?;
    let card = state
        .card_actions
        .edit_material(caller.user, CardId::from_uuid(*id), &edit)
        .await?;
    Ok(HttpResponse::Ok().json(CardView::from(&card)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveInput {
    /// The caller's deck to move the card to.
    deck_id: Uuid,
}

async fn apply(
    caller: Caller,
    card: Uuid,
    action: lingo_learning::card_actions::CardAction,
    state: &AppState,
) -> Result<HttpResponse, ApiError> {
    let card = state
        .card_actions
        .apply(caller.user, CardId::from_uuid(card), action)
        .await?;
    Ok(HttpResponse::Ok().json(CardView::from(&card)))
}

macro_rules! card_action {
    ($name:ident, $path:literal, $action:ident, $doc:literal) => {
        #[doc = $doc]
        #[utoipa::path(post, path = $path, tag = "learning",
                    params(("id" = Uuid, Path, description = "The card")),
                    security(("bearer" = [])),
                    responses((status = 200, body = CardView), (status = 404, body = Problem)))]
        pub async fn $name(
            caller: Caller,
            id: web::Path<Uuid>,
            state: web::Data<AppState>,
        ) -> Result<HttpResponse, ApiError> {
            apply(
                caller,
                *id,
                lingo_learning::card_actions::CardAction::$action,
                &state,
            )
            .await
        }
    };
}

card_action!(
    suspend,
    "/api/v1/cards/{id}/suspend",
    Suspend,
    "Suspends a card: it leaves the study queue until unsuspended."
);
card_action!(
    unsuspend,
    "/api/v1/cards/{id}/unsuspend",
    Unsuspend,
    "Puts a suspended card back into the study queue."
);
card_action!(
    bury,
    "/api/v1/cards/{id}/bury",
    Bury,
    "Buries a card until the learner's next day."
);
card_action!(
    reset,
    "/api/v1/cards/{id}/reset",
    Reset,
    "Resets a card to new (its review history is kept)."
);

/// Moves a card to another deck of the caller's.
#[utoipa::path(post, path = "/api/v1/cards/{id}/move", tag = "learning", request_body = MoveInput,
    params(("id" = Uuid, Path, description = "The card")),
    security(("bearer" = [])),
    responses((status = 200, body = CardView), (status = 404, description = "No such card or deck of the caller's", body = Problem)))]
pub async fn move_card(
    caller: Caller,
    id: web::Path<Uuid>,
    body: JsonBody<MoveInput>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let deck = DeckId::from_uuid(body.deck_id);
    apply(
        caller,
        *id,
        lingo_learning::card_actions::CardAction::Move { deck },
        &state,
    )
    .await
}
