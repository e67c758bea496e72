//! Learner content for a word, its regeneration by admins, and generation costs.

use super::list::List;
use crate::caller::Caller;
use crate::problem::{ApiError, Problem};
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use chrono::NaiveDate;
use lingo_content::generate_content::content_key;
use lingo_content::request_content::ContentAnswer;
use lingo_kernel::{CefrLevel, LanguageCode, WordId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ContentQuery {
    /// The learner's native language (BCP 47); defaults to the profile's.
    #[param(pattern = r"^[A-Za-z]{2,3}([-_][A-Za-z]{4})?([-_]([A-Za-z]{2}|[0-9]{3}))?$")]
    native: Option<String>,
    /// CEFR level A1–C2; defaults to the profile's. Content is shared per band (A, B, C).
    #[param(pattern = "^(A1|A2|B1|B2|C1|C2)$")]
    level: Option<String>,
}

/// The content version a regeneration makes: both are required.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RegenerateQuery {
    /// The learners' native language (BCP 47).
    #[param(pattern = r"^[A-Za-z]{2,3}([-_][A-Za-z]{4})?([-_]([A-Za-z]{2}|[0-9]{3}))?$")]
    native: String,
    /// CEFR level A1–C2.
    #[param(pattern = "^(A1|A2|B1|B2|C1|C2)$")]
    level: String,
}

fn word_id(raw: &str) -> Result<WordId, ApiError> {
    raw.parse()
        .map_err(|_| ApiError::NotFound("no word with this id".into()))
}

fn parse_level(raw: &str) -> Result<CefrLevel, ApiError> {
    raw.parse()
        .map_err(|e: lingo_kernel::cefr::CefrLevelError| ApiError::invalid("level", e.to_string()))
}

impl ContentQuery {
    /// The requested native language and level, each `None` for the profile's.
    fn choice(&self) -> Result<(Option<LanguageCode>, Option<CefrLevel>), ApiError> {
        let native = self
            .native
            .as_deref()
            .map(super::dictionary::language)
            .transpose()?;
        let level = self.level.as_deref().map(parse_level).transpose()?;
        Ok((native, level))
    }
}

#[derive(Serialize, ToSchema)]
pub struct GenerationPending {
    #[schema(value_type = String, format = Uuid)]
    job_id: lingo_kernel::jobs::JobId,
    /// Ask the same URL again after this many seconds.
    retry_after_seconds: u64,
}

/// The word's content for a native language and level: 200 with the latest version, or 202
/// while it is being generated (one generation per word, language pair and level band, shared
/// by every learner; each new generation counts against the learner's daily quota).
#[utoipa::path(get, path = "/api/v1/words/{id}/content", tag = "content", params(("id" = String, Path), ContentQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The content, its version and provenance", body = super::response_schemas::ContentVersion),
        (status = 202, description = "Being generated", body = GenerationPending),
        (status = 404, description = "No such word", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Daily generation quota reached", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get(
    caller: Caller,
    path: web::Path<String>,
    query: web::Query<ContentQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let word = word_id(&path)?;
    let (native, level) = query.choice()?;
    Ok(
        match state
            .content
            .request_for(caller.user, word, native, level)
            .await?
        {
            ContentAnswer::Ready(version) => HttpResponse::Ok().json(version),
            ContentAnswer::Pending(job_id) => HttpResponse::Accepted()
                .insert_header(("retry-after", "2"))
                .json(GenerationPending {
                    job_id,
                    retry_after_seconds: 2,
                }),
        },
    )
}

/// Generates a new version (older ones are kept). `native` and `level` are required.
#[utoipa::path(post, path = "/api/v1/admin/words/{id}/content/regenerate", tag = "admin", params(("id" = String, Path), RegenerateQuery),
    security(("bearer" = [])),
    responses(
        (status = 202, description = "Regeneration enqueued", body = super::jobs::JobAccepted),
        (status = 403, description = "Not an administrator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such word", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn regenerate(
    caller: Caller,
    path: web::Path<String>,
    query: web::Query<RegenerateQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let word = word_id(&path)?;
    let key = content_key(
        word,
        super::dictionary::language(&query.native)?,
        parse_level(&query.level)?,
    );
    let job_id = state.content.regenerate(caller.domain(), &key).await?;
    let status_url = format!("/api/v1/jobs/{job_id}");
    Ok(HttpResponse::Accepted()
        .insert_header(("location", status_url.clone()))
        .json(serde_json::json!({"job_id": job_id, "status_url": status_url})))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UsageQuery {
    /// First day (inclusive), default 30 days ago.
    from: Option<NaiveDate>,
    /// Last day (inclusive), default today.
    to: Option<NaiveDate>,
}

#[derive(Serialize, ToSchema)]
pub struct UsageView {
    day: NaiveDate,
    generator: String,
    model: String,
    requests: u64,
    prompt_tokens: u64,
    completion_tokens: u64,
    /// At the configured prices per million tokens.
    cost: f64,
}

/// Generator calls and tokens per day and model, with their cost.
#[utoipa::path(get, path = "/api/v1/admin/content/usage", tag = "admin", params(UsageQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Usage rows", body = List<UsageView>),
        (status = 403, description = "Not an administrator", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn usage(
    caller: Caller,
    query: web::Query<UsageQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let rows = state
        .content_usage
        .report(caller.domain(), query.from, query.to)
        .await?
        .into_iter()
        .map(|priced| UsageView {
            cost: priced.cost,
            day: priced.usage.day,
            generator: priced.usage.generator,
            model: priced.usage.model,
            requests: priced.usage.requests,
            prompt_tokens: priced.usage.prompt_tokens,
            completion_tokens: priced.usage.completion_tokens,
        })
        .collect::<List<_>>();
    Ok(HttpResponse::Ok().json(rows))
}
