pub mod admin_jobs;
pub mod docs;
pub mod health;
pub mod jobs;
pub mod metrics;

use actix_web::web;

/// Each path is one resource, so a known path with another method answers 405, not 404.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/api/v1")
            .service(web::resource("/health").get(health::health))
            .service(web::resource("/ready").get(health::ready))
            .service(web::resource("/openapi.json").get(docs::openapi_json))
            .service(web::resource("/jobs/{id}").get(jobs::get_job))
            .service(web::resource("/admin/jobs/dead").get(admin_jobs::list_dead))
            .service(web::resource("/admin/jobs/dead/{id}/requeue").post(admin_jobs::requeue_dead))
            .service(web::resource("/admin/jobs/echo").post(admin_jobs::enqueue_echo)),
    )
    .service(web::resource("/metrics").get(metrics::metrics))
    .service(web::resource("/docs").get(docs::page))
    .service(web::resource("/docs/{asset}").get(docs::asset));
}
