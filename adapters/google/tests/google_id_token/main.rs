//! `GoogleIdTokenVerifier` against a local JWKS server and tokens signed with test keys.
#![allow(clippy::unwrap_used)]

mod tokens;

mod accepts_valid_tokens;
mod caches_signing_keys;
mod rejects_invalid_tokens;
mod reports_an_unavailable_google;

use std::time::Duration;

use lingo_google::{GoogleIdTokenVerifier, GoogleSettings};
use lingo_users::ports::IdentityError;

use lingo_http::testing::{HttpDouble, Reply};

pub const JWKS_PATH: &str = "/oauth2/v3/certs";

/// Google's answer: a key set cacheable for `max_age_s` seconds.
pub fn keys(body: String, max_age_s: u64) -> Reply {
    Reply::json(200, &body).with_header(
        "cache-control",
        &format!("public, max-age={max_age_s}, must-revalidate"),
    )
}

/// Google failing with `status`.
pub fn error(status: u16) -> Reply {
    Reply::text(status, "oops")
}

/// A verifier reading keys from `server`, accepting `tokens::CLIENT_ID`.
pub fn verifier(server: &HttpDouble, min_refresh_interval: Duration) -> GoogleIdTokenVerifier {
    GoogleIdTokenVerifier::new(GoogleSettings {
        jwks_url: server.url(JWKS_PATH),
        http_timeout: Duration::from_secs(2),
        min_refresh_interval,
        ..GoogleSettings::new(vec!["some-other-client".into(), tokens::CLIENT_ID.into()])
    })
}

#[track_caller]
pub fn assert_invalid<T: std::fmt::Debug>(result: Result<T, IdentityError>, reason_contains: &str) {
    match result {
        Err(IdentityError::Invalid(reason)) => assert!(
            reason.contains(reason_contains),
            "expected a reason mentioning {reason_contains:?}, got {reason:?}"
        ),
        other => panic!("expected Invalid({reason_contains:?}…), got {other:?}"),
    }
}

#[track_caller]
pub fn assert_unavailable<T: std::fmt::Debug>(
    result: Result<T, IdentityError>,
    reason_contains: &str,
) {
    match result {
        Err(IdentityError::Unavailable(reason)) => assert!(
            reason.contains(reason_contains),
            "expected a reason mentioning {reason_contains:?}, got {reason:?}"
        ),
        other => panic!("expected Unavailable({reason_contains:?}…), got {other:?}"),
    }
}
