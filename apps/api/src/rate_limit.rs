//! Per-client rate limits by route class, counted in Redis so every replica shares them.

use crate::problem::Problem;
use crate::state::AppState;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::web;
use lingo_kernel::rate_limit::RateDecision;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RouteClass {
    /// Sign-in, sign-up, codes, token refresh: tight, per client address.
    Auth,
}

impl RouteClass {
    fn name(self) -> &'static str {
        match self {
            Self::Auth => "auth",
        }
    }
}

/// Limits per route class, from configuration.
/// The client's address: the peer, or the first `Forwarded`/`X-Forwarded-For` hop when the api
/// runs behind a proxy it trusts (`LINGO_HTTP_TRUST_FORWARDED`).
pub(crate) fn client(req: &ServiceRequest, trust_forwarded: bool) -> String {
    if trust_forwarded && let Some(ip) = req.connection_info().realip_remote_addr() {
        return ip.to_owned();
    }
    req.peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_else(|| "unknown".to_owned())
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
    let key = format!(
        "http:{}:{}",
        class.name(),
        client(&req, state.trust_forwarded)
    );
    let throttle = match class {
        RouteClass::Auth => &state.auth_throttle,
    };
    match throttle.hit(&key).await {
        Ok(RateDecision::Limited { retry_after }) => {
            let seconds = retry_after.as_secs().max(1);
            let mut response = Problem::new(StatusCode::TOO_MANY_REQUESTS)
                .detail(format!("too many requests; retry in {seconds} s"))
                .response();
            response.headers_mut().insert(
                actix_web::http::header::RETRY_AFTER,
                actix_web::http::header::HeaderValue::from(seconds),
            );
            Ok(req.into_response(response))
        }
        Ok(RateDecision::Allowed) => next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body),
        Err(e) => {
            // Fail open: a limiter outage must not take sign-in down with it.
            tracing::warn!(error = %e, "rate limiter unavailable; request let through");
            next.call(req)
                .await
                .map(ServiceResponse::map_into_boxed_body)
        }
    }
}
