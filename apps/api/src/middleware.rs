//! What every request passes through: a request id (taken from `x-request-id` or made up,
//! echoed back, on every log line and span), a tracing span, a deadline, metrics, one log line.

use crate::metrics::RequestLabels;
use crate::problem::{self, Problem};
use crate::state::AppState;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::web;
use std::time::{Duration, Instant};
use tracing::Instrument;

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The request deadline, stored as app data.
#[derive(Debug, Clone, Copy)]
pub struct RequestTimeout(pub Duration);

/// A client-supplied id is kept when it is short and printable; otherwise a new one is made.
fn request_id(req: &ServiceRequest) -> String {
    req.headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 128)
        .filter(|v| v.bytes().all(|b| b.is_ascii_graphic()))
        .map(str::to_owned)
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string())
}

enum Outcome<B> {
    Served(ServiceResponse<B>),
    /// An error from a middleware, already made into its response.
    Failed(String, actix_web::HttpResponse),
    TimedOut,
}

pub async fn observe(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    // Problems made anywhere in the request are written in the language the client prefers.
    let language = crate::problem_catalogue::Language::negotiate(
        req.headers()
            .get(actix_web::http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    );
    problem::with_language(language, observe_request(req, next)).await
}

async fn observe_request(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let started = Instant::now();
    let id = request_id(&req);
    // Only the standard methods become label values: any other token would open a new metrics
    // series per request (unbounded cardinality on a public port).
    let method = match req.method().as_str() {
        m @ ("GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS") => m.to_owned(),
        _ => "OTHER".to_owned(),
    };
    let metrics = req
        .app_data::<web::Data<AppState>>()
        .map(|state| state.metrics.clone());
    let span = tracing::info_span!(
        "http.request",
        request_id = %id,
        http.method = %method,
        http.path = %req.path(),
        http.route = tracing::field::Empty,
        http.status = tracing::field::Empty,
        user_id = tracing::field::Empty,
    );
    let deadline = req
        .app_data::<web::Data<RequestTimeout>>()
        .map(|t| t.0)
        .unwrap_or(Duration::from_secs(30));
    // Errors become responses inside the request's scope, so 5xx problems carry its id.
    let outcome = problem::with_request_id(id.clone(), async {
        let outcome = tokio::time::timeout(deadline, next.call(req))
            .instrument(span.clone())
            .await;
        match outcome {
            Ok(Ok(response)) => Outcome::Served(response),
            Ok(Err(error)) => Outcome::Failed(error.to_string(), error.error_response()),
            Err(_) => Outcome::TimedOut,
        }
    })
    .await;
    // The request itself is only available again on success: errors from middleware and
    // timeouts are answered with a ready-made problem response instead.
    let (mut response, route) = match outcome {
        Outcome::Served(response) => {
            let route = response
                .request()
                .match_pattern()
                .unwrap_or_else(|| "unmatched".to_owned());
            (Ok(response.map_into_boxed_body()), route)
        }
        Outcome::Failed(cause, response) => (Err((cause, response)), "unknown".to_owned()),
        Outcome::TimedOut => {
            let response = Problem::new(StatusCode::SERVICE_UNAVAILABLE)
                .of_type(problem::SERVICE_UNAVAILABLE)
                .detail(format!(
                    "the request took longer than {} ms",
                    deadline.as_millis()
                ))
                .extension("request_id", &id)
                .response();
            (
                Err(("request timed out".to_owned(), response)),
                "unknown".to_owned(),
            )
        }
    };
    let headers = match &mut response {
        Ok(r) => r.headers_mut(),
        Err((_, r)) => r.headers_mut(),
    };
    if let Ok(value) = HeaderValue::from_str(&id) {
        headers.insert(REQUEST_ID, value);
    }
    let status = match &response {
        Ok(r) => r.status(),
        Err((_, r)) => r.status(),
    }
    .as_u16();
    span.record("http.route", route.as_str());
    span.record("http.status", status);
    let elapsed = started.elapsed();
    if let Some(metrics) = metrics {
        metrics.observe_request(
            RequestLabels {
                method,
                route,
                status,
            },
            elapsed,
        );
    }
    // Successes are logged at debug (metrics count them); errors always get a line.
    span.in_scope(|| {
        let latency_ms = elapsed.as_secs_f64() * 1000.0;
        if status >= 500 {
            tracing::warn!(status, latency_ms, "request failed");
        } else if status >= 400 {
            tracing::info!(status, latency_ms, "request refused");
        } else {
            tracing::debug!(status, latency_ms, "request finished");
        }
    });
    response.map_err(|(cause, response)| {
        actix_web::error::InternalError::from_response(cause, response).into()
    })
}
