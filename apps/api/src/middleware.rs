//! What every request passes through: a request id (taken from `x-request-id` or made up,
//! echoed back, on every log line and span), a tracing span, a deadline, metrics, one log line.

use crate::metrics::RequestLabels;
use crate::problem::Problem;
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

pub async fn observe(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let started = Instant::now();
    let id = request_id(&req);
    let http_request = req.request().clone();
    let method = req.method().to_string();
    let span = tracing::info_span!(
        "http.request",
        request_id = %id,
        http.method = %method,
        http.path = %req.path(),
        http.route = tracing::field::Empty,
        http.status = tracing::field::Empty,
    );
    let deadline = req
        .app_data::<web::Data<RequestTimeout>>()
        .map(|t| t.0)
        .unwrap_or(Duration::from_secs(30));
    let outcome = tokio::time::timeout(deadline, next.call(req))
        .instrument(span.clone())
        .await;
    let mut response = match outcome {
        Ok(Ok(response)) => response.map_into_boxed_body(),
        Ok(Err(error)) => ServiceResponse::from_err(error, http_request.clone()),
        Err(_) => ServiceResponse::new(
            http_request.clone(),
            Problem::new(StatusCode::SERVICE_UNAVAILABLE)
                .detail(format!(
                    "the request took longer than {} ms",
                    deadline.as_millis()
                ))
                .response(),
        ),
    };
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    let status = response.status().as_u16();
    let route = http_request
        .match_pattern()
        .unwrap_or_else(|| "unmatched".to_owned());
    span.record("http.route", route.as_str());
    span.record("http.status", status);
    let elapsed = started.elapsed();
    if let Some(state) = http_request.app_data::<web::Data<AppState>>() {
        state.metrics.observe_request(
            RequestLabels {
                method,
                route,
                status,
            },
            elapsed,
        );
    }
    span.in_scope(|| {
        tracing::info!(
            status,
            latency_ms = elapsed.as_secs_f64() * 1000.0,
            "request finished"
        )
    });
    Ok(response)
}
