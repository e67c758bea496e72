//! A learner's import of a word list or an Anki package into one of their decks
//! (`POST /api/v1/decks/{id}/imports`; docs/learner-import.md). The body is the file itself,
//! streamed into the upload directory; a worker job imports it and reports at `status_url`.

use crate::caller::Caller;
use crate::problem::{ApiError, Problem};
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, web};
use futures_util::StreamExt;
use lingo_kernel::DeckId;
use lingo_learning::import_words::WordListFormat;
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

/// What the upload is.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// The language of the words, e.g. `en`.
    #[param(
        pattern = r"^[A-Za-z]{2,3}([-_][A-Za-z]{4})?([-_]([A-Za-z]{2}|[0-9]{3}))?$",
        example = "en"
    )]
    language: String,
    /// csv, tsv or apkg; when absent, the body's `Content-Type` says (`text/csv`,
    /// `text/tab-separated-values`, `application/vnd.anki`).
    #[param(value_type = Option<super::enums::ImportFormatName>, example = "csv")]
    format: Option<String>,
}

fn format(query: &ImportQuery, request: &HttpRequest) -> Result<WordListFormat, ApiError> {
    match &query.format {
        Some(raw) => WordListFormat::parse(raw)
            .ok_or_else(|| ApiError::invalid("format", "expected csv, tsv or apkg")),
        None => request
            .headers()
            .get(actix_web::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(WordListFormat::from_media_type)
            .ok_or_else(|| {
                ApiError::invalid(
                    "format",
                    "say csv, tsv or apkg, or send text/csv, text/tab-separated-values or \
                     application/vnd.anki",
                )
            }),
    }
}

/// Imports a file into one of the caller's decks: a CSV or TSV word list (word, then optional
/// translation, note and tags columns, by header or position) or an Anki package (`.apkg` with
/// `collection.anki21` or `collection.anki2`; note fields become the word, translation and
/// note; review history becomes FSRS state). Each word gets one card per card type of the deck;
/// words already in the deck are left as they are. Follow progress at `status_url`; the result
/// counts what was imported and lists the first rows that were not, with their line or note id.
#[utoipa::path(post, path = "/api/v1/decks/{id}/imports", tag = "learning",
    params(("id" = Uuid, Path, description = "The deck"), ImportQuery),
    request_body(content = super::binary::UploadedFile, content_type = "application/octet-stream",
        description = "The file; `text/csv`, `text/tab-separated-values` and `application/vnd.anki` bodies are taken too"),
    security(("bearer" = [])),
    responses(
        (status = 202, description = "Stored and enqueued", body = super::jobs::JobAccepted),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such deck of the caller", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Larger than the learners' upload limit", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid language or format, an empty file, or an Anki package that is no zip", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many bulk requests", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn upload(
    caller: Caller,
    id: web::Path<Uuid>,
    query: web::Query<ImportQuery>,
    request: HttpRequest,
    mut payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let format = format(&query, &request)?;
    let language = super::dictionary::language(&query.language)
        .map_err(|_| ApiError::invalid("language", "a BCP 47 language code such as en"))?;
    let mut upload = state
        .learner_imports
        .start_upload(caller.user, DeckId::from_uuid(*id), format, language)
        .await?;
    while let Some(chunk) = payload.next().await {
        match chunk {
            Ok(chunk) => upload.write(&chunk).await?,
            Err(e) => {
                upload.abort().await;
                return Err(ApiError::BadRequest(format!("upload interrupted: {e}")));
            }
        }
    }
    Ok(super::jobs::accepted(upload.finish().await?))
}
