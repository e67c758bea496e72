//! Rate limits by route class, counted in Redis so every replica shares them: per account when
//! the caller is signed in, per client address otherwise (docs/abuse-limits.md). Tokens are
//! leased from Redis in small batches (`LeasedRateLimiter`), so a busy client costs one round
//! trip per batch; a limiter outage lets requests through.

use crate::client_address::client_of_request;
use crate::problem::Problem;
use crate::state::AppState;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::web;
use lingo_kernel::rate_limit::RateDecision;

pub use lingo_bootstrap::RouteClass;

/// The account of a valid bearer token, if any. An invalid token is counted by address (the
/// handler answers 401 anyway).
async fn account(req: &ServiceRequest, state: &AppState) -> Option<lingo_kernel::UserId> {
    let token = req
        .headers()
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")?
        .trim();
    state.auth.authenticate(token).await.ok().map(|c| c.user)
}

fn too_many(seconds: u64) -> actix_web::HttpResponse {
    let mut response = Problem::new(StatusCode::TOO_MANY_REQUESTS)
        .detail(format!("too many requests; retry in {seconds} s"))
        .extension("retry_after", seconds)
        .response();
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, header::HeaderValue::from(seconds));
    response
}

pub async fn limit(
    class: RouteClass,
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    };
    let signed_in = match class {
        RouteClass::Auth => None,
        _ => account(&req, &state).await,
    };
    let (key, throttle) = match signed_in {
        Some(user) => (
            format!("http:{}:user:{user}", class.name()),
            state.throttles.for_account(class),
        ),
        None => (
            format!(
                "http:{}:addr:{}",
                class.name(),
                client_of_request(req.request()).limit_key()
            ),
            state.throttles.for_anonymous(class),
        ),
    };
    match throttle.hit(&key).await {
        Ok(RateDecision::Limited { retry_after }) => {
            let seconds = retry_after.as_secs_f64().ceil().max(1.0) as u64;
            Ok(req.into_response(too_many(seconds)))
        }
        Ok(RateDecision::Allowed) => next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body),
        Err(e) => {
            // Fail open: a limiter outage must not take the api down with it.
            tracing::warn!(error = %e, class = class.name(), "rate limiter unavailable; request let through");
            next.call(req)
                .await
                .map(ServiceResponse::map_into_boxed_body)
        }
    }
}
