use crate::http_errors;
use crate::middleware::{self, RequestTimeout};
use crate::routes;
use crate::state::AppState;
use crate::{client_version, compression, conditional, idempotency};
use actix_cors::Cors;
use actix_web::dev::Server;
use actix_web::middleware::{Compress, ErrorHandlers, from_fn};
use actix_web::{App, HttpServer, web};
use std::net::TcpListener;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct ServerSettings {
    pub body_limit_bytes: usize,
    pub request_timeout: Duration,
    pub shutdown_timeout: Duration,
    pub cors_origins: Vec<String>,
    /// 0 means one per core.
    pub workers: usize,
}

fn cors(origins: &[String]) -> Cors {
    let mut cors = Cors::default()
        .allow_any_method()
        .allow_any_header()
        .expose_headers([middleware::REQUEST_ID])
        .max_age(3600);
    for origin in origins {
        cors = if origin == "*" {
            cors.allow_any_origin()
        } else {
            cors.allowed_origin(origin)
        };
    }
    cors
}

/// Starts serving on `listener`. The server stops gracefully on SIGTERM/SIGINT: it stops
/// accepting, lets in-flight requests finish (up to the shutdown timeout), then returns.
pub fn start(
    listener: TcpListener,
    state: AppState,
    settings: ServerSettings,
) -> std::io::Result<Server> {
    let state = web::Data::new(state);
    let timeout = web::Data::new(RequestTimeout(settings.request_timeout));
    let limit = settings.body_limit_bytes;
    let origins = settings.cors_origins.clone();
    let mut server = HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .app_data(timeout.clone())
            .app_data(
                web::JsonConfig::default()
                    .limit(limit)
                    .error_handler(http_errors::json_error),
            )
            .app_data(web::PayloadConfig::new(limit))
            .app_data(web::PathConfig::default().error_handler(http_errors::path_error))
            .app_data(web::QueryConfig::default().error_handler(http_errors::query_error))
            .wrap(from_fn(idempotency::guard))
            .wrap(from_fn(conditional::conditional))
            .wrap(from_fn(client_version::check))
            .wrap(ErrorHandlers::new().default_handler(http_errors::bare_error_to_problem))
            .wrap(from_fn(compression::mark))
            .wrap(Compress::default())
            .wrap(from_fn(compression::unmark))
            .wrap(cors(&origins))
            .wrap(from_fn(middleware::observe))
            .configure(routes::configure)
            .default_service(web::to(http_errors::not_found))
    })
    .shutdown_timeout(settings.shutdown_timeout.as_secs().max(1))
    // Without it a compressed (chunked) response's last small write waited for the client's
    // delayed ACK: 40 ms on a kept-alive connection (docs/performance.md).
    .tcp_nodelay(true)
    .listen(listener)?;
    if settings.workers > 0 {
        server = server.workers(settings.workers);
    }
    Ok(server.run())
}

/// Starts the admin listener: `/metrics` (and nothing else) on its own address, loopback by
/// default, so the public port never exposes operational data. Scrapes are not counted as
/// requests.
pub fn start_admin(
    listener: TcpListener,
    state: AppState,
    shutdown_timeout: Duration,
) -> std::io::Result<Server> {
    let state = web::Data::new(state);
    Ok(HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .service(web::resource("/metrics").get(routes::metrics::metrics))
            .default_service(web::to(http_errors::not_found))
    })
    .workers(1)
    .shutdown_timeout(shutdown_timeout.as_secs().max(1))
    .listen(listener)?
    .run())
}
