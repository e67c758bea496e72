//! Dictionary lookups, search and the vocabulary of a text.

use crate::caller::OptionalCaller;
use crate::json_body::JsonBody;
use crate::problem::{ApiError, Problem};
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use lingo_kernel::LanguageCode;
use lingo_kernel::pagination::{Page, PageSize};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

pub fn language(raw: &str) -> Result<LanguageCode, ApiError> {
    LanguageCode::parse(raw).map_err(|e| ApiError::invalid("lang", e.to_string()))
}

/// A word: every entry the stores hold for it (any source), its metadata rows (one per part of
/// speech, with the ids decks take) and frequency. Inflected forms resolve to the lemma.
#[utoipa::path(get, path = "/api/v1/dictionary/{lang}/words/{lemma}", tag = "dictionary",
    params(("lang" = String, Path, description = "BCP 47 language of the word"),
           ("lemma" = String, Path, description = "The word, inflected or not")),
    responses(
        (status = 200, description = "The assembled word", body = super::response_schemas::WordLookup),
        (status = 404, description = "No dictionary knows it; `close_matches` lists near spellings", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid language or word", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "A provider or store is unavailable", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn lookup(
    req: actix_web::HttpRequest,
    path: web::Path<(String, String)>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (lang, lemma) = path.into_inner();
    crate::lookup_cache::respond(&req, &state, &language(&lang)?, &lemma).await
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// Prefix or misspelt word.
    #[param(
        pattern = r"^[^\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]*$",
        min_length = 1,
        max_length = 100
    )]
    q: String,
    /// 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    limit: Option<u32>,
    /// `next_cursor` of the previous page.
    #[param(pattern = "^[0-9]{1,9}$")]
    cursor: Option<String>,
}

/// Prefix and typo-tolerant search, most frequent words first.
#[utoipa::path(get, path = "/api/v1/dictionary/{lang}/search", tag = "dictionary",
    params(("lang" = String, Path, description = "BCP 47 language"), SearchQuery),
    responses(
        (status = 200, description = "A page of matching words", body = super::list::List<super::response_schemas::SearchHit>),
        (status = 422, description = "Invalid query", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn search(
    path: web::Path<String>,
    query: web::Query<SearchQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let language = language(&path)?;
    super::fields::text("q", &query.q, 100)?;
    let size = PageSize::clamped(Some(super::fields::page_limit(
        query.limit,
        lingo_kernel::pagination::DEFAULT_PAGE_SIZE,
        lingo_kernel::pagination::MAX_PAGE_SIZE,
    )?));
    let offset = match &query.cursor {
        None => 0,
        Some(c) => c
            .parse::<u32>()
            .map_err(|_| ApiError::invalid("cursor", "not a cursor from a previous page"))?,
    };
    let items = state
        .lookup
        .search(&language, &query.q, size, offset)
        .await?;
    let next_cursor = (items.len() as u32 == size.get()).then(|| (offset + size.get()).to_string());
    Ok(HttpResponse::Ok().json(Page { items, next_cursor }))
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnalyseRequest {
    /// BCP 47 language of the text.
    #[validate(length(min = 2, max = 35))]
    #[schema(pattern = r"^[A-Za-z]{2,3}([-_][A-Za-z]{4})?([-_]([A-Za-z]{2}|[0-9]{3}))?$")]
    language: String,
    /// At most 50,000 characters, 200,000 bytes and 10,000 words (docs/limits.md).
    #[schema(min_length = 1, max_length = 50000, pattern = r"\S")]
    text: String,
}

/// The distinct lemmas of a text with counts, frequency, CEFR estimate, whether the dictionary
/// knows them and, for a signed-in learner, whether they are already in one of their decks.
#[utoipa::path(post, path = "/api/v1/texts/analyse", tag = "dictionary", request_body = AnalyseRequest,
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The vocabulary of the text", body = super::response_schemas::TextAnalysis),
        (status = 422, description = "Empty or too long text, invalid language", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn analyse(
    caller: OptionalCaller,
    body: JsonBody<AnalyseRequest>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    let language = language(&body.language)?;
    let analysis = state
        .analyser
        .analyse(&language, &body.text, caller.0.map(|c| c.user))
        .await?;
    Ok(HttpResponse::Ok().json(analysis))
}

/// The first spelling of `POST /texts/analyse`, kept within v1 (docs/api-contract.md): the same
/// operation; new clients use `/texts/analyse`.
#[utoipa::path(post, path = "/api/v1/texts/analyze", tag = "dictionary", request_body = AnalyseRequest,
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The vocabulary of the text", body = super::response_schemas::TextAnalysis),
        (status = 422, description = "Empty or too long text, invalid language", body = Problem, content_type = "application/problem+json"),
    ))]
#[deprecated = "use POST /api/v1/texts/analyse"]
pub async fn analyse_alias(
    caller: OptionalCaller,
    body: JsonBody<AnalyseRequest>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    analyse(caller, body, state).await
}
