//! Decks and adding words to them (`/api/v1/decks`).

use super::list::List;
use crate::caller::Caller;
use crate::json_body::JsonBody;
use crate::problem::{ApiError, Problem};
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use lingo_kernel::{DeckId, LanguageCode, SystemDeckId, WordId};
use lingo_learning::card::CardType;
use lingo_learning::card_material::SourceSentence;
use lingo_learning::deck::{Deck, DeckName};
use lingo_learning::manage_decks::NewDeck;
use lingo_learning::ports::{NewCardWord, WordRef};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

#[derive(Serialize, ToSchema)]
pub struct DeckView {
    id: Uuid,
    name: String,
    description: String,
    /// recognition, recall, typing
    card_types: Vec<String>,
    #[schema(value_type = super::enums::DeckKind)]
    kind: &'static str,
    /// For a subscription: the system deck it follows.
    source_deck_id: Option<Uuid>,
    created_at: DateTime<Utc>,
}

impl From<Deck> for DeckView {
    fn from(d: Deck) -> Self {
        Self {
            id: d.id.as_uuid(),
            name: d.name.as_str().to_owned(),
            description: d.description,
            card_types: d.card_types.iter().map(|t| t.as_str().to_owned()).collect(),
            kind: d.kind.as_str(),
            source_deck_id: d.source.map(|s| s.as_uuid()),
            created_at: d.created_at,
        }
    }
}

fn card_type(value: &str) -> Result<(), validator::ValidationError> {
    CardType::parse(value).map(|_| ()).ok_or_else(|| {
        validator::ValidationError::new("invalid")
            .with_message("recognition, recall or typing".into())
    })
}

fn deck_name(value: &str) -> Result<(), validator::ValidationError> {
    DeckName::parse(value)
        .map(|_| ())
        .map_err(|e| validator::ValidationError::new("invalid").with_message(e.to_string().into()))
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "IELTS words", "card_types": ["recognition", "recall"]}))]
pub struct DeckInput {
    /// 1 to 100 characters.
    #[validate(custom(function = "deck_name"))]
    #[schema(
        pattern = r"^[^\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]*$",
        min_length = 1,
        max_length = 100
    )]
    name: String,
    /// At most 2000 characters.
    #[validate(length(max = 2000, message = "at most 2000 characters"))]
    #[schema(max_length = 2000)]
    #[serde(default)]
    description: String,
    #[validate(
        length(max = 3, message = "at most three types"),
        custom(function = "card_types")
    )]
    #[serde(default)]
    #[schema(schema_with = card_types_schema)]
    card_types: Vec<String>,
}

/// At most three of recognition, recall and typing (none: recognition).
fn card_types_schema() -> utoipa::openapi::schema::Array {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Type};
    ArrayBuilder::new()
        .items(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some(["recognition", "recall", "typing"])),
        )
        .max_items(Some(3))
        .build()
}

fn card_types(values: &[String]) -> Result<(), validator::ValidationError> {
    values.iter().try_for_each(|v| card_type(v))
}

impl DeckInput {
    fn new_deck(self) -> Result<NewDeck, ApiError> {
        let name =
            DeckName::parse(&self.name).map_err(|e| ApiError::invalid("name", e.to_string()))?;
        let card_types = self
            .card_types
            .iter()
            .filter_map(|t| CardType::parse(t))
            .collect();
        Ok(NewDeck {
            name,
            description: self.description,
            card_types,
        })
    }
}

/// Creates a deck.
#[utoipa::path(post, path = "/api/v1/decks", tag = "learning", request_body = DeckInput, security(("bearer" = [])),
    responses((status = 201, body = DeckView), (status = 422, body = Problem)))]
pub async fn create(
    caller: Caller,
    body: JsonBody<DeckInput>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    let deck = state
        .decks
        .create(caller.user, body.into_inner().new_deck()?)
        .await?;
    Ok(HttpResponse::Created().json(DeckView::from(deck)))
}

/// The caller's decks.
#[utoipa::path(get, path = "/api/v1/decks", tag = "learning", security(("bearer" = [])),
    responses((status = 200, body = List<DeckView>)))]
pub async fn list(caller: Caller, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let decks = state.decks.list(caller.user).await?;
    Ok(HttpResponse::Ok().json(decks.into_iter().map(DeckView::from).collect::<List<_>>()))
}

/// One deck (404 for another learner's deck).
#[utoipa::path(get, path = "/api/v1/decks/{id}", tag = "learning", security(("bearer" = [])),
    responses((status = 200, body = DeckView), (status = 404, body = Problem)))]
pub async fn get(
    caller: Caller,
    id: web::Path<Uuid>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let deck = state.decks.get(caller.user, DeckId::from_uuid(*id)).await?;
    Ok(HttpResponse::Ok().json(DeckView::from(deck)))
}

/// Renames a deck or changes its description.
#[utoipa::path(patch, path = "/api/v1/decks/{id}", tag = "learning", request_body = DeckInput, security(("bearer" = [])),
    responses((status = 200, body = DeckView), (status = 404, body = Problem)))]
pub async fn update(
    caller: Caller,
    id: web::Path<Uuid>,
    body: JsonBody<DeckInput>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    let name = DeckName::parse(&body.name).map_err(|e| ApiError::invalid("name", e.to_string()))?;
    let deck = state
        .decks
        .rename(
            caller.user,
            DeckId::from_uuid(*id),
            &name,
            &body.description,
        )
        .await?;
    Ok(HttpResponse::Ok().json(DeckView::from(deck)))
}

/// Deletes a deck and its cards.
#[utoipa::path(delete, path = "/api/v1/decks/{id}", tag = "learning", security(("bearer" = [])),
    responses((status = 204, description = "Deleted"), (status = 404, body = Problem)))]
pub async fn delete(
    caller: Caller,
    id: web::Path<Uuid>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    state
        .decks
        .delete(caller.user, DeckId::from_uuid(*id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[serde(untagged)]
pub enum WordInput {
    /// A dictionary word by id.
    Id {
        word_id: Uuid,
        /// The sentence the word was picked from (`/texts/analyse`), kept on its new cards.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[schema(
            min_length = 1,
            max_length = 500,
            pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
        )]
        sentence: Option<String>,
    },
    /// A word by language and lemma (created in the dictionary when new).
    Lemma {
        #[schema(pattern = r"^[A-Za-z]{2,3}([-_][A-Za-z]{4})?([-_]([A-Za-z]{2}|[0-9]{3}))?$")]
        language: String,
        #[schema(
            pattern = r"^[^\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]*$",
            min_length = 1,
            max_length = 64
        )]
        lemma: String,
        /// The sentence the word was picked from (`/texts/analyse`), kept on its new cards.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[schema(
            min_length = 1,
            max_length = 500,
            pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
        )]
        sentence: Option<String>,
    },
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"words": [{"language": "en", "lemma": "resilient"}, {"language": "en", "lemma": "thrive"}]}))]
pub struct AddWords {
    /// 1 to 500 words; a lemma has at most 64 characters of one script (docs/limits.md).
    #[validate(length(min = 1, max = 500, message = "1 to 500 words"))]
    #[schema(min_items = 1, max_items = 500)]
    words: Vec<WordInput>,
}

#[derive(Serialize, ToSchema)]
pub struct AddedView {
    word_id: Uuid,
    cards_created: usize,
}

/// Adds words to a deck: one card per card type of the deck, scheduled independently.
/// Adding a word twice creates nothing the second time.
#[utoipa::path(post, path = "/api/v1/decks/{id}/words", tag = "learning", request_body = AddWords, security(("bearer" = [])),
    responses((status = 200, body = List<AddedView>), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn add_words(
    caller: Caller,
    id: web::Path<Uuid>,
    body: JsonBody<AddWords>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    let words = new_card_words(&body.words)?;
    let added = state
        .decks
        .add_words(caller.user, DeckId::from_uuid(*id), &words)
        .await?;
    Ok(HttpResponse::Ok().json(
        added
            .into_iter()
            .map(|a| AddedView {
                word_id: a.word_id.as_uuid(),
                cards_created: a.cards_created,
            })
            .collect::<List<_>>(),
    ))
}

/// Publishes a system (standard) deck that learners can subscribe to.
#[utoipa::path(post, path = "/api/v1/admin/decks", tag = "admin", request_body = DeckInput, security(("bearer" = [])),
    responses((status = 201, body = DeckView), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create_system(
    caller: Caller,
    body: JsonBody<DeckInput>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    let deck = state
        .decks
        .create_system(caller.domain(), body.into_inner().new_deck()?)
        .await?;
    Ok(HttpResponse::Created().json(DeckView::from(deck)))
}

/// The words with the sentences they came from (learner decks).
fn new_card_words(words: &[WordInput]) -> Result<Vec<NewCardWord>, ApiError> {
    let refs = word_refs(words)?;
    words
        .iter()
        .zip(refs)
        .enumerate()
        .map(|(i, (input, word))| {
            let (WordInput::Id { sentence, .. } | WordInput::Lemma { sentence, .. }) = input;
            let sentence = sentence
                .as_deref()
                .map(|s| {
                    SourceSentence::parse(s).map_err(|e| {
                        ApiError::invalid(&format!("words[{i}].sentence"), e.to_string())
                    })
                })
                .transpose()?;
            Ok(NewCardWord { word, sentence })
        })
        .collect()
}

fn word_refs(words: &[WordInput]) -> Result<Vec<WordRef>, ApiError> {
    words
        .iter()
        .enumerate()
        .map(|(i, word)| {
            Ok(match word {
                WordInput::Id { word_id, .. } => WordRef::Id(WordId::from_uuid(*word_id)),
                WordInput::Lemma {
                    language, lemma, ..
                } => WordRef::Lemma {
                    language: LanguageCode::parse(language).map_err(|e| {
                        ApiError::invalid(&format!("words[{i}].language"), e.to_string())
                    })?,
                    lemma: lingo_dictionary::LearnerLemma::parse(lemma).map_err(|e| {
                        ApiError::invalid(&format!("words[{i}].lemma"), e.to_string())
                    })?,
                },
            })
        })
        .collect()
}

/// A word of a system deck.
#[derive(Serialize, ToSchema)]
pub struct SystemWordView {
    word_id: Uuid,
}

/// Adds words to a system deck; every subscriber gets them (through a background job).
#[utoipa::path(post, path = "/api/v1/admin/decks/{id}/words", tag = "admin", request_body = AddWords, security(("bearer" = [])),
    responses((status = 200, description = "Word ids", body = List<SystemWordView>), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn add_system_words(
    caller: Caller,
    id: web::Path<Uuid>,
    body: JsonBody<AddWords>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    let ids = state
        .decks
        .add_system_words(
            caller.domain(),
            SystemDeckId::from_uuid(*id),
            &word_refs(&body.words)?,
        )
        .await?;
    Ok(HttpResponse::Ok().json(
        ids.into_iter()
            .map(|id| SystemWordView {
                word_id: id.as_uuid(),
            })
            .collect::<List<_>>(),
    ))
}

/// The system decks learners can subscribe to.
#[utoipa::path(get, path = "/api/v1/system-decks", tag = "learning", security(("bearer" = [])),
    responses((status = 200, body = List<DeckView>)))]
pub async fn list_system(
    _caller: Caller,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let decks = state.decks.list_system().await?;
    Ok(HttpResponse::Ok().json(decks.into_iter().map(DeckView::from).collect::<List<_>>()))
}

/// Subscribes to a system deck: a deck of the caller's own, with a card per word, that follows
/// later additions. Subscribing twice returns the same deck.
#[utoipa::path(post, path = "/api/v1/system-decks/{id}/subscription", tag = "learning", security(("bearer" = [])),
    responses((status = 201, body = DeckView), (status = 404, body = Problem)))]
pub async fn subscribe(
    caller: Caller,
    id: web::Path<Uuid>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let deck = state
        .decks
        .subscribe(caller.user, SystemDeckId::from_uuid(*id))
        .await?;
    Ok(HttpResponse::Created().json(DeckView::from(deck)))
}

/// Stops following a system deck; the caller keeps the deck and its cards.
#[utoipa::path(delete, path = "/api/v1/system-decks/{id}/subscription", tag = "learning", security(("bearer" = [])),
    responses((status = 204, description = "Unsubscribed"), (status = 404, body = Problem)))]
pub async fn unsubscribe(
    caller: Caller,
    id: web::Path<Uuid>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    state
        .decks
        .unsubscribe(caller.user, SystemDeckId::from_uuid(*id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
