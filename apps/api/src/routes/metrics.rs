use crate::state::AppState;
use actix_web::{HttpResponse, web};
use std::time::Duration;

/// Prometheus text exposition. Gauges (pools, queue depth) are read at scrape time.
pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    let gauges = state.readiness.gauges(Duration::from_secs(1)).await;
    for (pool, status) in gauges.pools {
        state.metrics.set_pool(pool, status);
    }
    if let Some(stats) = gauges.queue {
        state.metrics.set_queue(&stats);
    }
    HttpResponse::Ok()
        .content_type("application/openmetrics-text; version=1.0.0; charset=utf-8")
        .body(state.metrics.encode())
}
