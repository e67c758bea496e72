use crate::problem::Problem;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use lingo_bootstrap::readiness::StoreCheck;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct Health {
    #[schema(example = "ok")]
    status: &'static str,
}

/// Liveness: the process is up. Touches no store.
#[utoipa::path(get, path = "/api/v1/health", tag = "operations",
    responses((status = 200, description = "The process is alive", body = Health)))]
pub async fn health() -> HttpResponse {
    HttpResponse::Ok().json(Health { status: "ok" })
}

#[derive(Serialize, ToSchema)]
pub struct StoreStatus {
    #[schema(example = "postgres")]
    name: &'static str,
    ok: bool,
    latency_ms: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

impl From<StoreCheck> for StoreStatus {
    fn from(c: StoreCheck) -> Self {
        Self {
            name: c.name,
            ok: c.ok,
            latency_ms: c.latency_ms,
            error: c.error,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct Readiness {
    #[schema(example = "ready")]
    status: &'static str,
    checks: Vec<StoreStatus>,
}

/// Readiness: PostgreSQL, MongoDB and Redis each answer a ping within a short deadline.
#[utoipa::path(get, path = "/api/v1/ready", tag = "operations",
    responses(
        (status = 200, description = "Every store answers", body = Readiness),
        (status = 503, description = "Some store does not answer; `checks` says which",
            body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn ready(state: web::Data<AppState>) -> HttpResponse {
    let checks: Vec<StoreStatus> = state
        .readiness
        .check(state.ready_timeout)
        .await
        .into_iter()
        .map(StoreStatus::from)
        .collect();
    let failing: Vec<&str> = checks.iter().filter(|c| !c.ok).map(|c| c.name).collect();
    // Which store fails is shown; why (host names, driver messages) goes to the logs only.
    let checks: Vec<StoreStatus> = checks
        .into_iter()
        .map(|mut c| {
            if let Some(error) = c.error.take() {
                tracing::warn!(store = c.name, %error, "store not ready");
                c.error = Some("unavailable".to_owned());
            }
            c
        })
        .collect();
    if failing.is_empty() {
        return HttpResponse::Ok().json(Readiness {
            status: "ready",
            checks,
        });
    }
    Problem::new(StatusCode::SERVICE_UNAVAILABLE)
        .detail(format!("not ready: {} unavailable", failing.join(", ")))
        .extension("failing", &failing)
        .extension("checks", &checks)
        .response()
}
