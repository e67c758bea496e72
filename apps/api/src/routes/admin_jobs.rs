//! Admin routes over the job queue: dead letters and a smoke-test job.

use super::list::List;
use crate::caller::Caller;
use crate::json_body::JsonBody;
use crate::problem::{ApiError, Problem};
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use lingo_kernel::jobs::system::SystemEcho;
use lingo_kernel::jobs::{DeadJob, JobId, JobRequestError};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeadQuery {
    /// At most this many (1 to 1000, default 100).
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<u32>,
}

#[derive(Serialize, ToSchema)]
pub struct DeadJobView {
    entry_id: String,
    #[schema(value_type = Option<String>, format = Uuid)]
    job_id: Option<JobId>,
    #[serde(rename = "type")]
    kind: Option<String>,
    reason: String,
    /// The message as received, when it could not be parsed as a job.
    raw: Option<String>,
    dead_at: chrono::DateTime<chrono::Utc>,
}

impl From<DeadJob> for DeadJobView {
    fn from(d: DeadJob) -> Self {
        Self {
            entry_id: d.entry_id,
            job_id: d.job_id,
            kind: d.kind,
            reason: d.reason,
            raw: d.raw,
            dead_at: d.dead_at,
        }
    }
}

/// Dead-lettered jobs, oldest first.
#[utoipa::path(get, path = "/api/v1/admin/jobs/dead", tag = "admin", params(DeadQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Dead letters", body = List<DeadJobView>),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_dead(
    caller: Caller,
    query: web::Query<DeadQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let limit = super::fields::page_limit(query.limit, 100, 1000)? as usize;
    let dead = state.jobs.dead(caller.domain(), limit).await?;
    Ok(HttpResponse::Ok().json(dead.into_iter().map(DeadJobView::from).collect::<List<_>>()))
}

/// Puts a dead job back in the queue with fresh attempts.
#[utoipa::path(post, path = "/api/v1/admin/jobs/dead/{id}/requeue", tag = "admin",
    params(("id" = String, Path, description = "Job id (UUID)")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Requeued"),
        (status = 403, description = "Not an administrator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such dead job", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn requeue_dead(
    caller: Caller,
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let not_found = || ApiError::NotFound("no dead job with this id".to_owned());
    let Some(id) = super::jobs::parse_job_id(&id) else {
        caller.domain().require_admin()?;
        return Err(not_found());
    };
    match state.jobs.requeue(caller.domain(), id).await {
        Ok(()) => Ok(HttpResponse::NoContent().finish()),
        Err(JobRequestError::NotFound) => Err(not_found()),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"message": "hello", "delay_ms": 2000}))]
pub struct EchoRequest {
    #[validate(length(min = 1, max = 500, message = "must be 1 to 500 characters"))]
    #[schema(
        min_length = 1,
        max_length = 500,
        pattern = r"^[^\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]*$"
    )]
    message: String,
    /// Milliseconds the job takes (at most ten minutes).
    #[serde(default)]
    #[validate(range(max = 600_000, message = "must be at most 600000"))]
    #[schema(minimum = 0, maximum = 600_000)]
    delay_ms: u64,
}

/// Enqueues a `system.echo` job owned by the caller: a smoke test of api → queue → worker.
#[utoipa::path(post, path = "/api/v1/admin/jobs/echo", tag = "admin", request_body = EchoRequest,
    security(("bearer" = [])),
    responses(
        (status = 202, description = "Enqueued", body = super::jobs::JobAccepted),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn enqueue_echo(
    caller: Caller,
    body: JsonBody<EchoRequest>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    super::fields::text("message", &body.message, 500)?;
    let body = body.into_inner();
    let echo = SystemEcho {
        message: body.message,
        delay_ms: body.delay_ms,
    };
    Ok(super::jobs::accepted(
        state.jobs.echo(caller.domain(), echo).await?,
    ))
}
