pub mod docs;
pub mod health;
pub mod jobs;
pub mod metrics;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/api/v1")
            .route("/health", web::get().to(health::health))
            .route("/ready", web::get().to(health::ready))
            .route("/openapi.json", web::get().to(docs::openapi_json))
            .route("/jobs/{id}", web::get().to(jobs::get_job)),
    )
    .route("/metrics", web::get().to(metrics::metrics))
    .route("/docs", web::get().to(docs::page))
    .route("/docs/{asset}", web::get().to(docs::asset));
}
