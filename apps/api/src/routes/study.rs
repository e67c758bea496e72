//! The study queue: what to review now, with the due date each answer would give.

use super::card_view::CardView;
use super::list::List;
use crate::caller::Caller;
use crate::problem::ApiError;
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueQuery {
    deck: Option<Uuid>,
    /// 1 to 200 (default 20).
    #[param(minimum = 1, maximum = 200)]
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
    responses((status = 200, body = List<QueueItem>)))]
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
            super::fields::page_limit(query.limit, 20, 200)?,
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
            .collect::<List<_>>(),
    ))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SessionQuery {
    /// Only this deck's cards.
    deck: Option<Uuid>,
    /// Cards in the session, 1 to 50 (default 20).
    #[param(minimum = 1, maximum = 50)]
    limit: Option<u32>,
}

/// What the front of a card shows: the word (recognition, typing) or a meaning (recall).
#[derive(Serialize, ToSchema)]
pub struct FrontView {
    #[schema(value_type = super::enums::FrontKind)]
    kind: &'static str,
    text: String,
}

#[derive(Serialize, ToSchema)]
pub struct ExampleView {
    text: String,
    translation: Option<String>,
}

/// Whether generated learner content is on the back.
#[derive(Serialize, ToSchema)]
pub struct ContentStatusView {
    #[schema(value_type = super::enums::ContentStatus)]
    status: &'static str,
    version: Option<u32>,
}

/// The back of a card, from the dictionary and the learner content already generated.
#[derive(Serialize, ToSchema)]
pub struct BackView {
    language: Option<String>,
    lemma: Option<String>,
    ipa: Option<String>,
    /// Licensed source audio, else rendered audio (`/api/v1/audio/{id}`, relative to the api).
    audio_url: Option<String>,
    /// Rendered audio is being made: a later session has its `audio_url`.
    audio_pending: bool,
    part_of_speech: Option<String>,
    /// In the learner's language, best first (at most 3).
    translations: Vec<String>,
    definition: Option<String>,
    /// At most 2.
    examples: Vec<ExampleView>,
    mnemonic: Option<String>,
    content: ContentStatusView,
}

/// The due date each answer would give.
#[derive(Serialize, ToSchema)]
pub struct PreviewView {
    again: DateTime<Utc>,
    hard: DateTime<Utc>,
    good: DateTime<Utc>,
    easy: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct SessionItemView {
    card: CardView,
    front: FrontView,
    back: BackView,
    preview: PreviewView,
}

/// Cards left today after this session, within the daily limits. Each count stops at 999:
/// 999 means 999 or more (show "999+").
#[derive(Serialize, ToSchema)]
pub struct RemainingView {
    #[schema(minimum = 0, maximum = 999)]
    new: u32,
    #[schema(minimum = 0, maximum = 999)]
    learning: u32,
    #[schema(minimum = 0, maximum = 999)]
    review: u32,
}

#[derive(Serialize, ToSchema)]
#[schema(as = StudySessionView)]
pub struct SessionView {
    items: Vec<SessionItemView>,
    remaining: RemainingView,
    /// Today's progress towards the daily goal, before this session's answers.
    #[schema(value_type = super::response_schemas::GoalProgress)]
    goal: lingo_learning::streak::GoalProgress,
}

impl From<lingo_learning::study_session::SessionItem> for SessionItemView {
    fn from(item: lingo_learning::study_session::SessionItem) -> Self {
        use lingo_learning::study_session::{ContentState, Front};
        let (kind, text) = match item.front {
            Front::Lemma { text } => ("lemma", text),
            Front::Meaning { text } => ("meaning", text),
        };
        let back = item.back;
        let [again, hard, good, easy] = item.entry.preview;
        Self {
            card: CardView::from(&item.entry.card),
            front: FrontView { kind, text },
            back: BackView {
                language: item.entry.word.as_ref().map(|w| w.language.clone()),
                lemma: item.entry.word.map(|w| w.lemma),
                ipa: back.ipa,
                audio_url: back.audio_url,
                audio_pending: back.audio_pending,
                part_of_speech: back.part_of_speech,
                translations: back.translations,
                definition: back.definition,
                examples: back
                    .examples
                    .into_iter()
                    .map(|x| ExampleView {
                        text: x.text,
                        translation: x.translation,
                    })
                    .collect(),
                mnemonic: back.mnemonic,
                content: match back.content {
                    ContentState::Ready { version } => ContentStatusView {
                        status: "ready",
                        version: Some(version),
                    },
                    ContentState::Missing => ContentStatusView {
                        status: "missing",
                        version: None,
                    },
                },
            },
            preview: PreviewView {
                again,
                hard,
                good,
                easy,
            },
        }
    }
}

/// A study session in one call: the next cards with both faces ready to draw (front for the
/// card type; back with IPA, audio, translations in the learner's language, a definition,
/// examples and the generated content's status), the four due-date previews, and what is left
/// today. Answers go to `POST /reviews/batch`. Nothing is generated here: words without
/// content show dictionary data and `content.status = missing`.
#[utoipa::path(get, path = "/api/v1/study/session", tag = "learning", params(SessionQuery), security(("bearer" = [])),
    responses(
        (status = 200, body = SessionView),
        (status = 401, description = "No valid token", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "A limit outside 1..=50", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 503, description = "A store is unavailable", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
pub async fn session(
    caller: Caller,
    query: web::Query<SessionQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let limit = query.limit.unwrap_or(20);
    if !(1..=50).contains(&limit) {
        return Err(ApiError::invalid("limit", "must be between 1 and 50"));
    }
    let session = state
        .session
        .session(
            caller.user,
            query.deck.map(lingo_kernel::DeckId::from_uuid),
            limit,
        )
        .await?;
    Ok(HttpResponse::Ok().json(SessionView {
        items: session.items.into_iter().map(Into::into).collect(),
        remaining: RemainingView {
            new: session.remaining.new,
            learning: session.remaining.learning,
            review: session.remaining.review,
        },
        goal: session.goal,
    }))
}
