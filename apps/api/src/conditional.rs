//! Conditional GETs and cache rules: a successful GET gets a weak `ETag` (a hash of its body) and
//! an `If-None-Match` that matches it is answered 304 with no body, so a phone does not download
//! unchanged content again. `Cache-Control` says who may keep a response: public dictionary data
//! for an hour anywhere, the learner's content and system decks privately after revalidation,
//! and everything else about a learner nowhere.
//!
//! Only cacheable routes (not `NO_STORE`) are hashed, and a handler that already knows its tag
//! (the in-process lookup cache, `crate::lookup_cache`) sets `ETag` itself: its body is then
//! neither buffered nor hashed here.

use actix_web::HttpResponse;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use sha2::{Digest, Sha256};

/// Public dictionary data: the same for everyone, changed by imports only.
pub const PUBLIC: &str = "public, max-age=3600";
/// The caller's own data that is worth revalidating (it rarely changes).
pub const REVALIDATE: &str = "private, no-cache";
/// Content-addressed media (an audio id is the hash of what it says): kept for a year.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Everything else: learner data nobody should keep.
pub const NO_STORE: &str = "private, no-store";

/// The cache rule of a GET route pattern.
pub fn policy(pattern: &str) -> &'static str {
    match pattern {
        "/api/v1/dictionary/{lang}/words/{lemma}" | "/api/v1/dictionary/{lang}/search" => PUBLIC,
        "/api/v1/audio/{id}" => IMMUTABLE,
        "/api/v1/words/{id}/content" | "/api/v1/system-decks" | "/api/v1/openapi.json" => {
            REVALIDATE
        }
        _ => NO_STORE,
    }
}

pub(crate) fn etag_of(body: &[u8]) -> String {
    let digest = Sha256::digest(body);
    let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("W/\"{hex}\"")
}

/// Weak comparison (RFC 9110 §13.1.2): `*`, or any listed tag equal to ours ignoring `W/`.
fn matches(if_none_match: &str, etag: &str) -> bool {
    let ours = etag.trim_start_matches("W/");
    if_none_match
        .split(',')
        .map(str::trim)
        .any(|tag| tag == "*" || tag.trim_start_matches("W/") == ours)
}

/// 304 with the served response's cache headers and tag, no body.
fn not_modified(served: &header::HeaderMap, etag: HeaderValue) -> HttpResponse {
    let mut response = HttpResponse::NotModified().finish();
    for name in [header::CACHE_CONTROL, header::VARY] {
        if let Some(value) = served.get(&name) {
            response.headers_mut().insert(name, value.clone());
        }
    }
    response.headers_mut().insert(header::ETAG, etag);
    response
}

pub async fn conditional(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if req.method() != Method::GET || !req.path().starts_with("/api/v1/") {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    }
    let if_none_match = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let served = next.call(req).await?;
    let rule = served
        .request()
        .match_pattern()
        .map(|p| policy(&p))
        .unwrap_or(NO_STORE);
    let mut served = served.map_into_boxed_body();
    served
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(rule));
    if served.status() != StatusCode::OK || rule == NO_STORE {
        return Ok(served);
    }
    if let Some(etag) = served.headers().get(header::ETAG).cloned() {
        let fresh = if_none_match
            .as_deref()
            .zip(etag.to_str().ok())
            .is_some_and(|(v, tag)| matches(v, tag));
        if !fresh {
            return Ok(served);
        }
        let (request, response) = served.into_parts();
        return Ok(ServiceResponse::new(
            request,
            not_modified(response.headers(), etag),
        ));
    }
    let (request, response) = served.into_parts();
    let (head, body) = response.into_parts();
    let Ok(bytes) = actix_web::body::to_bytes(body).await else {
        return Ok(ServiceResponse::new(
            request,
            HttpResponse::InternalServerError().finish(),
        ));
    };
    let etag = etag_of(&bytes);
    let Ok(etag_value) = HeaderValue::from_str(&etag) else {
        return Ok(ServiceResponse::new(
            request,
            head.set_body(bytes).map_into_boxed_body(),
        ));
    };
    if if_none_match.is_some_and(|v| matches(&v, &etag)) {
        return Ok(ServiceResponse::new(
            request,
            not_modified(head.headers(), etag_value),
        ));
    }
    let mut response = head.set_body(bytes).map_into_boxed_body();
    response.headers_mut().insert(header::ETAG, etag_value);
    Ok(ServiceResponse::new(request, response))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tag_depends_on_the_body_and_matches_weakly() {
        let tag = etag_of(b"{\"a\":1}");
        assert_ne!(tag, etag_of(b"{\"a\":2}"));
        assert!(matches(&tag, &tag));
        assert!(matches(
            &format!("\"x\", {}", tag.trim_start_matches("W/")),
            &tag
        ));
        assert!(matches("*", &tag));
        assert!(!matches("\"other\"", &tag));
    }
}
