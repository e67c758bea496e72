//! Taking data out (docs/export.md): a deck as CSV or as an Anki package, and the learner's
//! complete data export — at once (`GET /me/export`) or written by a job into a file that is
//! downloaded until it expires (`POST /me/export`, `GET /me/export/{id}`).

use crate::caller::Caller;
use crate::problem::{ApiError, Problem};
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use lingo_kernel::DeckId;
use lingo_learning::export_deck::{ExportFormat, ExportedFile};
use lingo_users::account::AccountError;
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeckExportQuery {
    /// `csv` (default) or `apkg` (an Anki package).
    #[param(pattern = "^(csv|apkg)$")]
    format: Option<String>,
}

fn format(raw: Option<&str>) -> Result<ExportFormat, ApiError> {
    match raw {
        None | Some("csv") => Ok(ExportFormat::Csv),
        Some("apkg") => Ok(ExportFormat::Apkg),
        Some(_) => Err(ApiError::invalid("format", "expected csv or apkg")),
    }
}

fn attachment(file: ExportedFile) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(file.content_type)
        .insert_header((
            "content-disposition",
            format!("attachment; filename=\"{}\"", file.file_name),
        ))
        .insert_header(("cache-control", "private, no-store"))
        .body(file.bytes)
}

/// The caller's deck as a file: CSV (a header, then one row per card: lemma, translation,
/// note, tags, source sentence, language, part of speech, card type and FSRS state) or an Anki
/// package (`.apkg`: one note per word, a card per card type, FSRS state and review history).
/// Another learner's deck is 404.
#[utoipa::path(get, path = "/api/v1/decks/{id}/export", tag = "learning",
    params(("id" = Uuid, Path), DeckExportQuery), security(("bearer" = [])),
    responses(
        (status = 200, description = "The file, as an attachment",
            content((String = "text/csv; charset=utf-8"), (super::binary::DownloadedFile = "application/apkg"))),
        (status = 404, description = "No such deck of the caller's", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown format", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn deck(
    caller: Caller,
    id: web::Path<Uuid>,
    query: web::Query<DeckExportQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let format = format(query.format.as_deref())?;
    let file = state
        .deck_exports
        .export(&caller.domain(), DeckId::from_uuid(*id), format)
        .await?;
    Ok(attachment(file))
}

/// Everything stored about the caller, as JSON, read now: the account, profile, identities,
/// sessions and email links, decks, cards, review logs, quizzes, FSRS parameters, activity
/// days, content requests and other jobs, devices. For a large account ask for the file
/// instead (`POST /api/v1/me/export`): this answer is built within the request's deadline.
#[utoipa::path(get, path = "/api/v1/me/export", tag = "me", security(("bearer" = [])),
    responses((status = 200, description = "The export", body = super::response_schemas::AccountExport), (status = 401, body = Problem)))]
pub async fn account_now(
    caller: Caller,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let data = state.account_exports.document(caller.user).await?;
    Ok(HttpResponse::Ok()
        .insert_header((
            "content-disposition",
            "attachment; filename=\"lingo-export.json\"",
        ))
        .insert_header(("cache-control", "private, no-store"))
        .json(data))
}

/// Asks for the complete export as a file (gzip JSON, the same document as `GET
/// /api/v1/me/export`), written by a background job; its result names the download URL. One
/// job per UTC day: asking again the same day follows the same job.
#[utoipa::path(post, path = "/api/v1/me/export", tag = "me", security(("bearer" = [])),
    responses((status = 202, body = super::jobs::JobAccepted), (status = 401, body = Problem)))]
pub async fn request_account(
    caller: Caller,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let job_id = state.account_exports.request(caller.user).await?;
    Ok(super::jobs::accepted(job_id))
}

/// Downloads an export the job wrote (`application/gzip`). Only its owner may, until it
/// expires; any other id is 404.
#[utoipa::path(get, path = "/api/v1/me/export/{id}", tag = "me",
    params(("id" = String, Path, description = "`export_id` of the job's result")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The gzip JSON file", content_type = "application/gzip", body = super::binary::DownloadedFile),
        (status = 404, description = "No such export of the caller's, or expired", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn download_account(
    caller: Caller,
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let not_found = || ApiError::NotFound("no export with this id".to_owned());
    let id = super::jobs::parse_job_id(&id).ok_or_else(not_found)?;
    let bytes = state
        .account_exports
        .download(caller.user, id)
        .await
        .map_err(|e| match e {
            AccountError::NotFound => not_found(),
            other => other.into(),
        })?;
    Ok(attachment(ExportedFile {
        bytes,
        content_type: "application/gzip",
        file_name: "lingo-export.json.gz".to_owned(),
    }))
}
