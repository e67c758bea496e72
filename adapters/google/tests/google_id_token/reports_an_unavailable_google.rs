use std::time::Duration;

use lingo_google::{GoogleIdTokenVerifier, GoogleSettings};
use lingo_users::ports::IdentityVerifier;

use crate::tokens::{self, KID_A, KID_B, TestKey};
use crate::{assert_invalid, assert_unavailable, error, keys, verifier};
use lingo_http::testing::HttpDouble;

fn token() -> String {
    tokens::sign(TestKey::A, KID_A, &tokens::claims())
}

#[tokio::test]
async fn a_jwks_endpoint_answering_500_makes_google_unavailable() {
    let server = HttpDouble::start(error(500)).await;
    let verifier = verifier(&server, Duration::from_secs(60));

    let result = verifier.verify(&token(), tokens::now()).await;

    assert_unavailable(result, "500");
}

#[tokio::test]
async fn a_malformed_key_set_makes_google_unavailable() {
    let server = HttpDouble::start(keys("{\"keys\": [".into(), 3600)).await;
    let verifier = verifier(&server, Duration::from_secs(60));

    let result = verifier.verify(&token(), tokens::now()).await;

    assert_unavailable(result, "not a valid key set");
}

#[tokio::test]
async fn an_unreachable_jwks_endpoint_makes_google_unavailable() {
    let verifier = GoogleIdTokenVerifier::new(GoogleSettings {
        jwks_url: "http://127.0.0.1:1/oauth2/v3/certs".into(),
        ..GoogleSettings::new(vec![tokens::CLIENT_ID.into()])
    });

    assert_unavailable(
        verifier.verify(&token(), tokens::now()).await,
        "request failed",
    );
}

#[tokio::test]
async fn failed_fetches_are_not_retried_within_the_refresh_interval() {
    let server = HttpDouble::start(error(503)).await;
    let verifier = verifier(&server, Duration::from_secs(600));

    for _ in 0..5 {
        assert_unavailable(verifier.verify(&token(), tokens::now()).await, "503");
    }

    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn known_keys_stay_usable_while_a_refresh_fails() {
    let server = HttpDouble::start(keys(tokens::jwks(&[KID_A]), 0)).await;
    let verifier = verifier(&server, Duration::ZERO);
    verifier.verify(&token(), tokens::now()).await.unwrap();

    server.serve(error(502));
    verifier.verify(&token(), tokens::now()).await.unwrap();
    let unknown = tokens::sign(TestKey::B, KID_B, &tokens::claims());
    assert_unavailable(verifier.verify(&unknown, tokens::now()).await, "502");

    server.serve(keys(tokens::jwks(&[KID_A]), 3600));
    assert_invalid(
        verifier.verify(&unknown, tokens::now()).await,
        "does not publish",
    );
    assert_eq!(server.request_count(), 4);
}
