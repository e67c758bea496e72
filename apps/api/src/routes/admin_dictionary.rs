//! Admin routes that start dictionary imports (from a server-side path the configuration
//! allows, or from an uploaded file) and reconciliations of a source's word rows.

use crate::caller::Caller;
use crate::json_body::JsonBody;
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

/// An import of a file already on the server.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportRequest {
    /// dictd, wordnet, kaikki, csv or tsv.
    #[schema(pattern = "^(dictd|wordnet|kaikki|csv|tsv)$")]
    format: String,
    /// Server-side path inside the allowed import directories (dictd: the `.index` file;
    /// wordnet: the directory). 404 when there is no such file, 403 outside those directories.
    #[schema(min_length = 1, max_length = 4096, pattern = r"^/")]
    path: String,
    /// Source id recorded with every entry, e.g. `freedict-eng-ara`.
    #[schema(pattern = r"^[a-z0-9._-]{1,64}$")]
    source: String,
    /// Licence recorded with every entry, e.g. `GPL-2.0-or-later`.
    #[schema(
        pattern = r"^[^\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]*$",
        max_length = 200
    )]
    licence: String,
    /// Language of the headwords.
    #[schema(pattern = r"^[A-Za-z]{2,3}([-_][A-Za-z]{4})?([-_]([A-Za-z]{2}|[0-9]{3}))?$")]
    language: String,
    /// Language of the translations (dictd, CSV).
    #[serde(default)]
    #[schema(pattern = r"^[A-Za-z]{2,3}([-_][A-Za-z]{4})?([-_]([A-Za-z]{2}|[0-9]{3}))?$")]
    translation_language: Option<String>,
}

/// The description of an uploaded file.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    /// kaikki, csv or tsv (dictd and WordNet span several files: import them from a path).
    #[param(pattern = "^(kaikki|csv|tsv)$")]
    format: String,
    /// Source id recorded with every entry, e.g. `freedict-eng-ara`.
    #[param(pattern = r"^[a-z0-9._-]{1,64}$")]
    source: String,
    /// Licence recorded with every entry, e.g. `GPL-2.0-or-later`.
    #[param(
        pattern = r"^[^\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]*$",
        max_length = 200
    )]
    licence: String,
    /// Language of the headwords.
    #[param(pattern = r"^[A-Za-z]{2,3}([-_][A-Za-z]{4})?([-_]([A-Za-z]{2}|[0-9]{3}))?$")]
    language: String,
    /// Language of the translations (CSV).
    #[serde(default)]
    #[param(pattern = r"^[A-Za-z]{2,3}([-_][A-Za-z]{4})?([-_]([A-Za-z]{2}|[0-9]{3}))?$")]
    translation_language: Option<String>,
}

fn spec(
    format: &str,
    path: String,
    source: &str,
    licence: &str,
    language: &str,
    translation_language: Option<&str>,
) -> Result<ImportSpec, ApiError> {
    let format = ImportFormat::parse(format).ok_or_else(|| {
        ApiError::invalid("format", "expected dictd, wordnet, kaikki, csv or tsv")
    })?;
    let translation_language = translation_language
        .map(super::dictionary::language)
        .transpose()?;
    super::fields::text("licence", licence, 200)?;
    Ok(ImportSpec {
        format,
        path,
        source: SourceId::parse(source).map_err(|e| ApiError::invalid("source", e.to_string()))?,
        licence: licence.trim().to_owned(),
        language: super::dictionary::language(language)?,
        translation_language,
    })
}

/// Imports a dictionary file that is already on the server, in a directory the configuration
/// allows. Follow progress (records read, imported, skipped, failed; percent) at `status_url`.
#[utoipa::path(post, path = "/api/v1/admin/dictionary/imports", tag = "admin", request_body = ImportRequest,
    security(("bearer" = [])),
    responses(
        (status = 202, description = "Import enqueued (the same file twice is one job)", body = super::jobs::JobAccepted),
        (status = 403, description = "Not an administrator", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A path outside the allowed directories", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such file", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn import_path(
    caller: Caller,
    body: JsonBody<ImportRequest>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let spec = spec(
        &body.format,
        body.path.clone(),
        &body.source,
        &body.licence,
        &body.language,
        body.translation_language.as_deref(),
    )?;
    let job_id = state.imports.import_path(caller.domain(), spec).await?;
    Ok(super::jobs::accepted(job_id))
}

/// Uploads one file (kaikki JSONL, CSV or TSV; dictd and WordNet span several files and are
/// imported from server paths) as the request body, then imports it.
#[utoipa::path(post, path = "/api/v1/admin/dictionary/imports/upload", tag = "admin",
    params(UploadQuery),
    request_body(content = super::binary::UploadedFile, content_type = "application/octet-stream",
        description = "The file: kaikki JSONL, CSV or TSV"),
    security(("bearer" = [])),
    responses(
        (status = 202, description = "Stored and enqueued", body = super::jobs::JobAccepted),
        (status = 413, description = "Larger than the upload limit", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields or format", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn upload(
    caller: Caller,
    query: web::Query<UploadQuery>,
    mut payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let mut upload = state
        .imports
        .start_upload(
            caller.domain(),
            spec(
                &query.format,
                String::new(),
                &query.source,
                &query.licence,
                &query.language,
                query.translation_language.as_deref(),
            )?,
        )
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
#[serde(deny_unknown_fields)]
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
    body: JsonBody<ReconcileRequest>,
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
