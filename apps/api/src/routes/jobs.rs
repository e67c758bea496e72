use super::job_result::JobResult;
use crate::caller::Caller;
use crate::problem::{ApiError, Problem};
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use lingo_kernel::jobs::{JobId, JobRecord, JobStatus};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct Progress {
    processed: u64,
    total: Option<u64>,
    percent: Option<f64>,
    #[schema(value_type = std::collections::BTreeMap<String, u64>)]
    counters: std::collections::BTreeMap<String, u64>,
    message: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[schema(example = json!({
    "id": "01936f1e-7c2a-7d4e-9f00-3b1d2c4e5f60", "type": "dictionary.import",
    "status": "running", "attempts": 1, "max_attempts": 5,
    "created_at": "2026-11-25T10:00:00Z", "updated_at": "2026-11-25T10:00:05Z",
    "progress": {"processed": 1200, "total": 5000, "percent": 24.0,
                 "counters": {"imported": 1190, "skipped": 10}, "message": null}
}))]
pub struct JobView {
    #[schema(value_type = String, format = Uuid)]
    id: JobId,
    #[serde(rename = "type")]
    kind: String,
    #[schema(value_type = super::enums::JobStatusName)]
    status: JobStatus,
    attempts: u32,
    max_attempts: u32,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_attempt_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// What the job reported when it succeeded; its members depend on the job type.
    result: Option<JobResult>,
    #[serde(skip_serializing_if = "Option::is_none")]
    progress: Option<Progress>,
}

impl From<JobRecord> for JobView {
    fn from(r: JobRecord) -> Self {
        let result = r.result.and_then(|stored| {
            JobResult::read(&r.kind, stored)
                .inspect_err(|e| {
                    tracing::error!(job = %r.id, kind = %r.kind, error = %e,
                        "job result left out: it does not fit its type's schema");
                })
                .ok()
        });
        Self {
            id: r.id,
            kind: r.kind,
            status: r.status,
            attempts: r.attempts,
            max_attempts: r.max_attempts,
            created_at: r.created_at,
            updated_at: r.updated_at,
            next_attempt_at: r.next_attempt_at,
            last_error: r.last_error,
            result,
            progress: r.progress.map(|p| Progress {
                percent: p.percent(),
                processed: p.processed,
                total: p.total,
                counters: p.counters,
                message: p.message,
            }),
        }
    }
}

/// Status of a background job started by the caller. Another user's job, or no job, is 404.
#[utoipa::path(get, path = "/api/v1/jobs/{id}", tag = "jobs",
    params(("id" = String, Path, description = "Job id (UUID)")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The job", body = JobView),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such job of yours", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The queue store is down", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_job(
    caller: Caller,
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let not_found = || ApiError::NotFound("no job with this id".to_owned());
    let id = parse_job_id(&id).ok_or_else(not_found)?;
    let record = state.jobs.status(caller.domain(), id).await?;
    Ok(HttpResponse::Ok().json(JobView::from(record)))
}

/// A malformed id names no job: 404 like an unknown one, so ids cannot be probed.
pub fn parse_job_id(raw: &str) -> Option<JobId> {
    raw.parse().ok()
}

/// The answer to a request that started a background job.
#[derive(Serialize, ToSchema)]
pub struct JobAccepted {
    #[schema(value_type = String, format = Uuid)]
    job_id: JobId,
    /// Where to follow the job.
    status_url: String,
}

/// The 202 answer to a request that started (or found) the background job `job_id`.
pub fn accepted(job_id: JobId) -> HttpResponse {
    let status_url = format!("/api/v1/jobs/{job_id}");
    HttpResponse::Accepted()
        .insert_header(("location", status_url.clone()))
        .json(JobAccepted { job_id, status_url })
}
