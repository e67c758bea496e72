//! `Idempotency-Key` on the POSTs that are not idempotent by nature: the first response is
//! stored per caller and key, and a retry with the same key and body gets it again instead of a
//! second deck, quiz or SMS. The same key with another body is a 422; a retry while the first
//! request still runs is a 409 (retry after a second). Without the header nothing changes.

use crate::caller::OptionalCaller;
use crate::middleware::RequestTimeout;
use crate::problem::Problem;
use crate::state::AppState;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{HttpResponse, web};
use lingo_kernel::idempotency::{Begin, Ticket};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::time::Duration;

pub const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");
/// Set on a replayed response.
pub const REPLAYED: HeaderName = HeaderName::from_static("idempotent-replayed");

/// The operations that honour the header (method, route pattern); the OpenAPI document declares
/// the header on exactly these.
pub const ROUTES: &[(&str, &str)] = &[
    ("POST", "/api/v1/decks"),
    ("POST", "/api/v1/quizzes"),
    ("POST", "/api/v1/auth/phone/request"),
    ("POST", "/api/v1/auth/register"),
    ("POST", "/api/v1/admin/decks"),
];

pub const KEY_REUSED: &str = "urn:lingo:problem:idempotency-key-reused";
pub const KEY_IN_FLIGHT: &str = "urn:lingo:problem:idempotency-key-in-flight";
pub const KEY_INVALID: &str = "urn:lingo:problem:idempotency-key-invalid";
/// Longest key accepted (a UUID is 36).
pub const MAX_KEY_LENGTH: usize = 255;

/// A response as it is stored for replay.
#[derive(Serialize, Deserialize)]
struct Outcome {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

/// Headers worth replaying with the body.
const KEPT_HEADERS: [HeaderName; 3] = [header::CONTENT_TYPE, header::LOCATION, header::RETRY_AFTER];

fn hex_digest(parts: &[&[u8]]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u64).to_be_bytes());
        hasher.update(part);
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn key_of(req: &ServiceRequest) -> Option<Result<String, Problem>> {
    let raw = req.headers().get(IDEMPOTENCY_KEY)?;
    let valid = raw
        .to_str()
        .ok()
        .filter(|k| !k.is_empty() && k.len() <= MAX_KEY_LENGTH)
        .filter(|k| k.bytes().all(|b| b.is_ascii_graphic()));
    Some(valid.map(str::to_owned).ok_or_else(|| {
        Problem::new(StatusCode::BAD_REQUEST)
            .of_type(KEY_INVALID)
            .detail(format!(
                "Idempotency-Key must be 1 to {MAX_KEY_LENGTH} printable ASCII characters"
            ))
    }))
}

fn honoured(req: &ServiceRequest) -> bool {
    let pattern = req.match_pattern();
    let method = req.method().as_str();
    ROUTES
        .iter()
        .any(|(m, p)| *m == method && pattern.as_deref() == Some(*p))
}

/// Responses a retry should see again: not server errors, and not the answers that depend on
/// the moment (throttling, an expired token), which a retry should redo.
fn storable(status: StatusCode) -> bool {
    !(status.is_server_error()
        || status == StatusCode::TOO_MANY_REQUESTS
        || status == StatusCode::UNAUTHORIZED
        || status == StatusCode::REQUEST_TIMEOUT)
}

fn replay(outcome: Outcome) -> HttpResponse {
    let status = StatusCode::from_u16(outcome.status).unwrap_or(StatusCode::OK);
    let mut response = HttpResponse::build(status);
    for (name, value) in &outcome.headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::try_from(name.as_str()),
            HeaderValue::from_str(value),
        ) {
            response.insert_header((name, value));
        }
    }
    response.insert_header((REPLAYED, HeaderValue::from_static("true")));
    response.body(outcome.body)
}

fn unavailable(cause: impl std::fmt::Display) -> HttpResponse {
    tracing::warn!(%cause, "idempotency store unavailable");
    Problem::new(StatusCode::SERVICE_UNAVAILABLE)
        .of_type(crate::problem::SERVICE_UNAVAILABLE)
        .detail("the service is temporarily unavailable; retry later")
        .response()
}

pub async fn guard(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let pass = |req: ServiceRequest, next: Next<_>| async move {
        next.call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body)
    };
    if req.method() != Method::POST || !honoured(&req) {
        return pass(req, next).await;
    }
    let key = match key_of(&req) {
        None => return pass(req, next).await,
        Some(Err(problem)) => return Ok(req.into_response(problem.response())),
        Some(Ok(key)) => key,
    };
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return pass(req, next).await;
    };
    let scope = match req.extract::<OptionalCaller>().await {
        Ok(OptionalCaller(Some(caller))) => format!("user:{}", caller.user),
        Ok(OptionalCaller(None)) => format!(
            "addr:{}",
            crate::client_address::client_of_request(req.request()).limit_key()
        ),
        // The handler answers the bad token itself.
        Err(_) => return pass(req, next).await,
    };
    let body = match req.extract::<web::Bytes>().await {
        Ok(body) => body,
        Err(error) => return Ok(req.error_response(error)),
    };
    req.set_payload(Payload::from(body.clone()));
    let target = req.uri().to_string();
    let fingerprint = hex_digest(&[req.method().as_str().as_bytes(), target.as_bytes(), &body]);
    let running = req
        .app_data::<web::Data<RequestTimeout>>()
        .map(|t| t.0)
        .unwrap_or(Duration::from_secs(30))
        + Duration::from_secs(5);
    let key = hex_digest(&[key.as_bytes()]);
    let ticket = match state
        .idempotency
        .begin(&scope, &key, &fingerprint, running)
        .await
    {
        Err(e) => return Ok(req.into_response(unavailable(e))),
        Ok(Begin::Proceed(ticket)) => ticket,
        Ok(Begin::Replay(stored)) => {
            let response = match serde_json::from_slice::<Outcome>(&stored) {
                Ok(outcome) => replay(outcome),
                Err(e) => unavailable(e),
            };
            return Ok(req.into_response(response));
        }
        Ok(Begin::Mismatch) => {
            let problem = Problem::new(StatusCode::UNPROCESSABLE_ENTITY)
                .of_type(KEY_REUSED)
                .detail("this Idempotency-Key was used for another request");
            return Ok(req.into_response(problem.response()));
        }
        Ok(Begin::InFlight) => {
            let mut response = Problem::new(StatusCode::CONFLICT)
                .of_type(KEY_IN_FLIGHT)
                .detail("a request with this Idempotency-Key is still being served")
                .extension("retry_after", 1)
                .response();
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            return Ok(req.into_response(response));
        }
    };
    let served = match next.call(req).await {
        Ok(served) => served,
        Err(error) => {
            abandon(&state, ticket).await;
            return Err(error);
        }
    };
    if !storable(served.status()) {
        abandon(&state, ticket).await;
        return Ok(served.map_into_boxed_body());
    }
    let (request, response) = served.into_parts();
    let (head, body) = response.into_parts();
    let Ok(bytes) = actix_web::body::to_bytes(body).await else {
        abandon(&state, ticket).await;
        return Ok(ServiceResponse::new(
            request,
            Problem::new(StatusCode::INTERNAL_SERVER_ERROR)
                .of_type(crate::problem::INTERNAL)
                .detail("an unexpected error occurred; it has been logged")
                .response(),
        ));
    };
    let outcome = String::from_utf8(bytes.to_vec()).ok().map(|body| Outcome {
        status: head.status().as_u16(),
        headers: KEPT_HEADERS
            .iter()
            .filter_map(|name| {
                let value = head.headers().get(name)?.to_str().ok()?;
                Some((name.as_str().to_owned(), value.to_owned()))
            })
            .collect(),
        body,
    });
    match outcome.and_then(|o| serde_json::to_vec(&o).ok()) {
        Some(stored) => {
            if let Err(e) = state.idempotency.finish(ticket, stored).await {
                // The work is done; a retry that finds no outcome does it again, as without a key.
                tracing::warn!(error = %e, "idempotent outcome not stored");
            }
        }
        None => abandon(&state, ticket).await,
    }
    let response = head.set_body(bytes).map_into_boxed_body();
    Ok(ServiceResponse::new(request, response))
}

async fn abandon(state: &AppState, ticket: Ticket) {
    if let Err(e) = state.idempotency.abandon(ticket).await {
        tracing::warn!(error = %e, "idempotency key not released; it expires by itself");
    }
}
