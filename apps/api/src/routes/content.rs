//! Learner content for a word, its regeneration by admins, and generation costs.

use crate::auth::Authenticated;
use crate::problem::{ApiError, Problem};
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use chrono::{Duration, NaiveDate};
use lingo_content::ContentKey;
use lingo_content::generate_content::content_key;
use lingo_content::request_content::{ContentAnswer, RequestError};
use lingo_kernel::{CefrLevel, LanguageCode, WordId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

impl From<RequestError> for ApiError {
    fn from(e: RequestError) -> Self {
        match e {
            RequestError::UnknownWord => ApiError::NotFound("no word with this id".into()),
            RequestError::QuotaExceeded { retry_after } => ApiError::Throttled(retry_after),
            RequestError::GenerationFailed(reason) => ApiError::Unavailable(format!(
                "content generation failed ({reason}); an administrator can regenerate it"
            )),
            RequestError::Unavailable(reason) => ApiError::Unavailable(reason),
        }
    }
}

#[derive(Deserialize, IntoParams)]
pub struct ContentQuery {
    /// The learner's native language (BCP 47); defaults to the profile's.
    native: Option<String>,
    /// CEFR level A1–C2; defaults to the profile's. Content is shared per band (A, B, C).
    level: Option<String>,
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
    fn key(
        &self,
        word: WordId,
        native: LanguageCode,
        level: CefrLevel,
    ) -> Result<ContentKey, ApiError> {
        let native = match &self.native {
            Some(raw) => super::dictionary::language(raw)?,
            None => native,
        };
        let level = match &self.level {
            Some(raw) => parse_level(raw)?,
            None => level,
        };
        Ok(content_key(word, native, level))
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
        (status = 200, description = "The content, its version and provenance", body = Object),
        (status = 202, description = "Being generated", body = GenerationPending),
        (status = 404, description = "No such word", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Daily generation quota reached", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get(
    caller: Authenticated,
    path: web::Path<String>,
    query: web::Query<ContentQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let word = word_id(&path)?;
    let profile = state.accounts.get(caller.user).await?.profile;
    let key = query.key(word, profile.native_language, profile.level)?;
    Ok(match state.content.request(caller.user, &key).await? {
        ContentAnswer::Ready(version) => HttpResponse::Ok().json(version),
        ContentAnswer::Pending(job_id) => HttpResponse::Accepted()
            .insert_header(("retry-after", "2"))
            .json(GenerationPending {
                job_id,
                retry_after_seconds: 2,
            }),
    })
}

/// Generates a new version (older ones are kept). `native` and `level` are required.
#[utoipa::path(post, path = "/api/v1/admin/words/{id}/content/regenerate", tag = "admin", params(("id" = String, Path), ContentQuery),
    security(("bearer" = [])),
    responses(
        (status = 202, description = "Regeneration enqueued", body = super::jobs::JobAccepted),
        (status = 403, description = "Not an administrator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such word", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn regenerate(
    caller: Authenticated,
    path: web::Path<String>,
    query: web::Query<ContentQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let caller = caller.require_admin()?;
    let word = word_id(&path)?;
    let (Some(native), Some(level)) = (&query.native, &query.level) else {
        return Err(ApiError::invalid("native", "native and level are required"));
    };
    let key = content_key(
        word,
        super::dictionary::language(native)?,
        parse_level(level)?,
    );
    let job_id = state.content.regenerate(caller.user, &key).await?;
    let status_url = format!("/api/v1/jobs/{job_id}");
    Ok(HttpResponse::Accepted()
        .insert_header(("location", status_url.clone()))
        .json(serde_json::json!({"job_id": job_id, "status_url": status_url})))
}

#[derive(Deserialize, IntoParams)]
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
        (status = 200, description = "Usage rows", body = [UsageView]),
        (status = 403, description = "Not an administrator", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn usage(
    caller: Authenticated,
    query: web::Query<UsageQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    caller.require_admin()?;
    let today = state.clock.now().date_naive();
    let to = query.to.unwrap_or(today);
    let from = query.from.unwrap_or(to - Duration::days(30));
    let (prompt_price, completion_price) = state.content_prices;
    let rows = state
        .content_usage
        .between(from, to)
        .await
        .map_err(|e| ApiError::Unavailable(e.to_string()))?
        .into_iter()
        .map(|r| UsageView {
            cost: r.cost(prompt_price, completion_price),
            day: r.day,
            generator: r.generator,
            model: r.model,
            requests: r.requests,
            prompt_tokens: r.prompt_tokens,
            completion_tokens: r.completion_tokens,
        })
        .collect::<Vec<_>>();
    Ok(HttpResponse::Ok().json(rows))
}
