use crate::state::AppState;
use actix_web::{HttpResponse, web};
use lingo_kernel::jobs::JobQueue;
use std::time::Duration;

/// Prometheus text exposition. Gauges (pools, queue depth) are read at scrape time.
pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    let stores = &state.stores;
    state.metrics.set_pool("postgres", stores.postgres.status());
    state
        .metrics
        .set_pool("redis_cache", stores.cache.pool_status());
    if let Ok(Ok(stats)) = tokio::time::timeout(Duration::from_secs(1), stores.queue.stats()).await
    {
        state.metrics.set_queue(&stats);
    }
    HttpResponse::Ok()
        .content_type("application/openmetrics-text; version=1.0.0; charset=utf-8")
        .body(state.metrics.encode())
}
