//! Admin routes that start dictionary imports (from a server-side path the configuration
//! allows, or from an uploaded file) and reconciliations of a source's word rows.

use crate::caller::Caller;
use crate::problem::{ApiError, Problem};
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use futures_util::StreamExt;
use lingo_dictionary::SourceId;
use lingo_dictionary::import::{ImportFormat, ImportSpec};
use lingo_dictionary::reconcile::ReconcileWords;
use lingo_kernel::LanguageCode;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, ToSchema, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportRequest {
    /// dictd, wordnet, kaikki, csv or tsv.
    #[schema(pattern = "^(dictd|wordnet|kaikki|csv|tsv)$")]
    #[param(pattern = "^(dictd|wordnet|kaikki|csv|tsv)$")]
    format: String,
    /// Server-side path (dictd: the `.index` file; wordnet: the directory). Not for uploads.
    #[serde(default)]
    path: Option<String>,
    /// Source id recorded with every entry, e.g. `freedict-eng-ara`.
    #[schema(pattern = r"^[a-z0-9._-]{1,64}$")]
    #[param(pattern = r"^[a-z0-9._-]{1,64}$")]
    source: String,
    /// Licence recorded with every entry, e.g. `GPL-2.0-or-later`.
    #[schema(pattern = r"\S", max_length = 200)]
    #[param(pattern = r"\S", max_length = 200)]
    licence: String,
    /// Language of the headwords.
    #[schema(pattern = r"^[A-Za-z]{2,3}([-_][A-Za-z]{4})?([-_]([A-Za-z]{2}|[0-9]{3}))?$")]
    #[param(pattern = r"^[A-Za-z]{2,3}([-_][A-Za-z]{4})?([-_]([A-Za-z]{2}|[0-9]{3}))?$")]
    language: String,
    /// Language of the translations (dictd, CSV).
    #[serde(default)]
    #[schema(pattern = r"^[A-Za-z]{2,3}([-_][A-Za-z]{4})?([-_]([A-Za-z]{2}|[0-9]{3}))?$")]
    #[param(pattern = r"^[A-Za-z]{2,3}([-_][A-Za-z]{4})?([-_]([A-Za-z]{2}|[0-9]{3}))?$")]
    translation_language: Option<String>,
}

impl ImportRequest {
    fn spec(&self, path: String) -> Result<ImportSpec, ApiError> {
        let format = ImportFormat::parse(&self.format).ok_or_else(|| {
            ApiError::invalid("format", "expected dictd, wordnet, kaikki, csv or tsv")
        })?;
        let translation_language = self
            .translation_language
            .as_deref()
            .map(super::dictionary::language)
            .transpose()?;
        if self.licence.trim().is_empty() || self.licence.len() > 200 {
            return Err(ApiError::invalid("licence", "1 to 200 characters"));
        }
        Ok(ImportSpec {
            format,
            path,
            source: SourceId::parse(&self.source)
                .map_err(|e| ApiError::invalid("source", e.to_string()))?,
            licence: self.licence.trim().to_owned(),
            language: super::dictionary::language(&self.language)?,
            translation_language,
        })
    }
}

/// Imports a dictionary file that is already on the server, in a directory the configuration
/// allows. Follow progress (records read, imported, skipped, failed; percent) at `status_url`.
#[utoipa::path(post, path = "/api/v1/admin/dictionary/imports", tag = "admin", request_body = ImportRequest,
    security(("bearer" = [])),
    responses(
        (status = 202, description = "Import enqueued (the same file twice is one job)", body = super::jobs::JobAccepted),
        (status = 403, description = "Not an administrator", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields or a path outside the allowed directories", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn import_path(
    caller: Caller,
    body: web::Json<ImportRequest>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let path = body
        .path
        .clone()
        .ok_or_else(|| ApiError::invalid("path", "required (or upload the file)"))?;
    let job_id = state
        .imports
        .import_path(caller.domain(), body.spec(path)?)
        .await?;
    Ok(super::jobs::accepted(job_id))
}

/// Uploads one file (kaikki JSONL, CSV or TSV; dictd and WordNet span several files and are
/// imported from server paths) as the request body, then imports it.
#[utoipa::path(post, path = "/api/v1/admin/dictionary/imports/upload", tag = "admin",
    params(ImportRequest),
    request_body(content = String, content_type = "application/octet-stream"),
    security(("bearer" = [])),
    responses(
        (status = 202, description = "Stored and enqueued", body = super::jobs::JobAccepted),
        (status = 413, description = "Larger than the upload limit", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields or format", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn upload(
    caller: Caller,
    query: web::Query<ImportRequest>,
    mut payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let mut upload = state
        .imports
        .start_upload(caller.domain(), query.spec(String::new())?)
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

#[derive(Deserialize, ToSchema)]
pub struct ReconcileRequest {
    /// Language of the source's headwords, e.g. `en`.
    #[schema(pattern = r"^[A-Za-z]{2,3}([-_][A-Za-z]{4})?([-_]([A-Za-z]{2}|[0-9]{3}))?$")]
    language: String,
    /// The source whose entries are reconciled, e.g. `freedict-eng-ara`.
    #[schema(pattern = r"^[a-z0-9._-]{1,64}$")]
    source: String,
}

/// Writes the word metadata rows (PostgreSQL) that a source's entries (MongoDB) lack, e.g.
/// after an import that died for good between its two stores; rows already present are left
/// alone. One job per source, language and UTC day: asking again the same day answers the same
/// job. Follow progress (entries_seen, words_upserted) and the report at `status_url`.
#[utoipa::path(post, path = "/api/v1/admin/dictionary/reconcile", tag = "admin", request_body = ReconcileRequest,
    security(("bearer" = [])),
    responses(
        (status = 202, description = "Reconciliation enqueued (the same source twice a day is one job)", body = super::jobs::JobAccepted),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid language or source", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn reconcile(
    caller: Caller,
    body: web::Json<ReconcileRequest>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let job = ReconcileWords {
        language: LanguageCode::parse(&body.language)
            .map_err(|e| ApiError::invalid("language", e.to_string()))?,
        source: SourceId::parse(&body.source)
            .map_err(|e| ApiError::invalid("source", e.to_string()))?,
    };
    let job_id = state.reconcile.request(caller.domain(), job).await?;
    Ok(super::jobs::accepted(job_id))
}
