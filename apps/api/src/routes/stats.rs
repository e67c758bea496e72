//! The learner's statistics.

use crate::caller::Caller;
use crate::problem::ApiError;
use crate::state::AppState;
use actix_web::{HttpResponse, web};

/// Reviews per day, true retention, streak, counts, learned words, time spent, 30-day forecast.
#[utoipa::path(get, path = "/api/v1/stats", tag = "learning", security(("bearer" = [])),
    responses((status = 200, description = "Statistics", body = super::response_schemas::Stats)))]
pub async fn stats(caller: Caller, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let stats = state.stats.stats(caller.user).await?;
    Ok(HttpResponse::Ok().json(stats))
}
