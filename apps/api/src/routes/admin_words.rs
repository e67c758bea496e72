//! Admin routes over the words learners added by lemma: they stay private to those learners
//! until a dictionary source or an administrator confirms them.

use super::list::List;
use crate::caller::Caller;
use crate::problem::{ApiError, Problem};
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use lingo_dictionary::moderation::{Confirmation, PrivateWord};
use lingo_kernel::{UserId, WordId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PrivateWordQuery {
    /// Only words of this language (ISO 639-1).
    #[param(pattern = r"^[A-Za-z]{2,3}([-_][A-Za-z]{4})?([-_]([A-Za-z]{2}|[0-9]{3}))?$")]
    language: Option<String>,
    /// The `next_cursor` of the previous page.
    cursor: Option<Uuid>,
    /// 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    limit: Option<u32>,
}

/// A learner's word awaiting review.
#[derive(Serialize, ToSchema)]
pub struct PrivateWordView {
    #[schema(value_type = String, format = Uuid)]
    id: WordId,
    language: String,
    lemma: String,
    /// Empty when the learner gave none.
    part_of_speech: String,
    /// The learner who first added it; null once that account is gone.
    #[schema(value_type = Option<String>, format = Uuid)]
    added_by: Option<UserId>,
    /// Learners holding a card for it.
    learners: u64,
    created_at: DateTime<Utc>,
}

impl From<PrivateWord> for PrivateWordView {
    fn from(w: PrivateWord) -> Self {
        Self {
            id: w.id,
            language: w.language.as_str().to_owned(),
            lemma: w.lemma,
            part_of_speech: w.part_of_speech,
            added_by: w.added_by,
            learners: w.learners,
            created_at: w.created_at,
        }
    }
}

/// The words learners added that no dictionary source knows, oldest first.
#[utoipa::path(get, path = "/api/v1/admin/words/private", tag = "admin",
    params(PrivateWordQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "One page", body = List<PrivateWordView>),
        (status = 403, description = "Not an administrator", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid language", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn private_words(
    caller: Caller,
    query: web::Query<PrivateWordQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    caller.require_admin()?;
    let language = query
        .language
        .as_deref()
        .map(super::dictionary::language)
        .transpose()?;
    let (words, next_cursor) = state
        .word_moderation
        .private_words(
            language.as_ref(),
            query.cursor.map(WordId::from_uuid),
            super::fields::page_limit(query.limit, 50, 200)?,
        )
        .await?;
    Ok(HttpResponse::Ok().json(List {
        items: words.into_iter().map(PrivateWordView::from).collect(),
        next_cursor: next_cursor.map(|id| id.as_uuid().to_string()),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct ConfirmationView {
    #[schema(value_type = String, format = Uuid)]
    id: WordId,
    /// `confirmed`, or `already_public` when a source or another administrator did it first.
    outcome: String,
}

/// Confirms a learner's word: public search, lookups, text analysis and other learners see it
/// from now on (cached answers for its lemma may lag by their time to live).
#[utoipa::path(post, path = "/api/v1/admin/words/{id}/confirm", tag = "admin",
    params(("id" = String, Path, description = "Word id (UUID)")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Public now", body = ConfirmationView),
        (status = 403, description = "Not an administrator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such word", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn confirm(
    caller: Caller,
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    caller.require_admin()?;
    let id: WordId = id
        .parse::<Uuid>()
        .map(WordId::from_uuid)
        .map_err(|_| ApiError::NotFound("no such word".to_owned()))?;
    let outcome = match state.word_moderation.confirm(caller.user, id).await? {
        Confirmation::Confirmed => "confirmed",
        Confirmation::AlreadyPublic => "already_public",
        Confirmation::NotFound => return Err(ApiError::NotFound("no such word".to_owned())),
    };
    Ok(HttpResponse::Ok().json(ConfirmationView {
        id,
        outcome: outcome.to_owned(),
    }))
}
