//! Admin routes that start dictionary imports: from a server-side path the configuration
//! allows, or from an uploaded file.

use crate::auth::Authenticated;
use crate::problem::{ApiError, Problem};
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use futures_util::StreamExt;
use lingo_bootstrap::dictionary::{ImportPathError, allowed_import_path, import_job};
use lingo_dictionary::SourceId;
use lingo_dictionary::import::{ImportFormat, ImportSpec};
use serde::Deserialize;
use tokio::io::AsyncWriteExt;
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, ToSchema, IntoParams)]
pub struct ImportRequest {
    /// dictd, wordnet, kaikki, csv or tsv.
    format: String,
    /// Server-side path (dictd: the `.index` file; wordnet: the directory). Not for uploads.
    #[serde(default)]
    path: Option<String>,
    /// Source id recorded with every entry, e.g. `freedict-eng-ara`.
    source: String,
    /// Licence recorded with every entry, e.g. `GPL-2.0-or-later`.
    licence: String,
    /// Language of the headwords.
    language: String,
    /// Language of the translations (dictd, CSV).
    #[serde(default)]
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

impl From<ImportPathError> for ApiError {
    fn from(e: ImportPathError) -> Self {
        ApiError::invalid("path", e.to_string())
    }
}

async fn start(
    state: &AppState,
    caller: Authenticated,
    spec: ImportSpec,
) -> Result<HttpResponse, ApiError> {
    let job = import_job(&spec)
        .map_err(|e| ApiError::invalid("path", e.to_string()))?
        .owned_by(caller.user);
    super::jobs::enqueue_accepted(state, job).await
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
    caller: Authenticated,
    body: web::Json<ImportRequest>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let caller = caller.require_admin()?;
    let path = body
        .path
        .as_deref()
        .ok_or_else(|| ApiError::invalid("path", "required (or upload the file)"))?;
    let path = allowed_import_path(&state.dictionary_config, path)?;
    let spec = body.spec(path.to_string_lossy().into_owned())?;
    start(&state, caller, spec).await
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
    caller: Authenticated,
    query: web::Query<ImportRequest>,
    mut payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let caller = caller.require_admin()?;
    let extension = match ImportFormat::parse(&query.format) {
        Some(ImportFormat::Kaikki) => "jsonl",
        Some(ImportFormat::Csv) => "csv",
        Some(ImportFormat::Tsv) => "tsv",
        _ => {
            return Err(ApiError::invalid(
                "format",
                "uploads take kaikki, csv or tsv; import dictd and wordnet from a server path",
            ));
        }
    };
    query.spec(String::new())?;
    let config = &state.dictionary_config;
    let unavailable = |e: std::io::Error| ApiError::Unavailable(format!("upload storage: {e}"));
    tokio::fs::create_dir_all(&config.upload_dir)
        .await
        .map_err(unavailable)?;
    let path = std::path::Path::new(&config.upload_dir)
        .join(format!("{}.{extension}", uuid::Uuid::now_v7()));
    let mut file = tokio::fs::File::create(&path).await.map_err(unavailable)?;
    let mut written: u64 = 0;
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| ApiError::BadRequest(format!("upload interrupted: {e}")))?;
        written += chunk.len() as u64;
        if written > config.upload_limit_bytes {
            drop(file);
            let _ = tokio::fs::remove_file(&path).await;
            return Err(ApiError::Detailed(Box::new(
                Problem::new(actix_web::http::StatusCode::PAYLOAD_TOO_LARGE).detail(format!(
                    "uploads are limited to {} bytes",
                    config.upload_limit_bytes
                )),
            )));
        }
        file.write_all(&chunk).await.map_err(unavailable)?;
    }
    file.flush().await.map_err(unavailable)?;
    if written == 0 {
        let _ = tokio::fs::remove_file(&path).await;
        return Err(ApiError::invalid("body", "the uploaded file is empty"));
    }
    let spec = query.spec(path.to_string_lossy().into_owned())?;
    start(&state, caller, spec).await
}
