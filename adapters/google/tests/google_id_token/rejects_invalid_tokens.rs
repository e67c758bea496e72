use std::time::Duration;

use chrono::TimeDelta;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use lingo_google::GoogleIdTokenVerifier;
use lingo_users::ports::IdentityVerifier;
use serde_json::{Value, json};

use crate::tokens::{self, KID_A, KID_B, TestKey};
use crate::{assert_invalid, keys, verifier};
use lingo_http::testing::HttpDouble;

/// A verifier whose JWKS publishes both test keys, and its server.
async fn setup() -> (HttpDouble, GoogleIdTokenVerifier) {
    let server = HttpDouble::start(keys(tokens::jwks(&[KID_A, KID_B]), 3600)).await;
    let verifier = verifier(&server, Duration::from_secs(60));
    (server, verifier)
}

async fn verify_claims(changes: Value) -> Result<(), lingo_users::ports::IdentityError> {
    let (_server, verifier) = setup().await;
    let token = tokens::sign(TestKey::A, KID_A, &tokens::claims_with(changes));
    verifier.verify(&token, tokens::now()).await.map(drop)
}

#[tokio::test]
async fn a_token_for_another_audience_is_invalid() {
    assert_invalid(
        verify_claims(json!({"aud": "evil-app"})).await,
        "another client",
    );
}

#[tokio::test]
async fn a_token_from_another_issuer_is_invalid() {
    let result = verify_claims(json!({"iss": "https://evil.example.com"})).await;
    assert_invalid(result, "not issued by Google");
}

#[tokio::test]
async fn an_expired_token_is_invalid() {
    let expired = tokens::now() - TimeDelta::minutes(2);
    assert_invalid(
        verify_claims(json!({"exp": expired.timestamp()})).await,
        "expired",
    );
}

#[tokio::test]
async fn a_token_issued_far_in_the_future_is_invalid() {
    let future = tokens::now() + TimeDelta::hours(1);
    let changes =
        json!({"iat": future.timestamp(), "exp": (future + TimeDelta::hours(1)).timestamp()});
    assert_invalid(verify_claims(changes).await, "in the future");
}

#[tokio::test]
async fn a_token_without_subject_is_invalid() {
    let (_server, verifier) = setup().await;
    let mut claims = tokens::claims();
    claims.as_object_mut().unwrap().remove("sub");
    let token = tokens::sign(TestKey::A, KID_A, &claims);

    assert_invalid(
        verifier.verify(&token, tokens::now()).await,
        "missing field `sub`",
    );
}

#[tokio::test]
async fn a_token_with_a_tampered_payload_is_invalid() {
    let (_server, verifier) = setup().await;
    let genuine = tokens::sign(TestKey::A, KID_A, &tokens::claims());
    let other = tokens::sign(
        TestKey::A,
        KID_A,
        &tokens::claims_with(json!({"sub": "42"})),
    );
    let [header, _, signature]: [&str; 3] =
        genuine.split('.').collect::<Vec<_>>().try_into().unwrap();
    let payload = other.split('.').nth(1).unwrap();
    let tampered = format!("{header}.{payload}.{signature}");

    assert_invalid(verifier.verify(&tampered, tokens::now()).await, "signature");
}

#[tokio::test]
async fn a_token_signed_by_another_key_than_its_kid_names_is_invalid() {
    let (_server, verifier) = setup().await;
    let token = tokens::sign(TestKey::B, KID_A, &tokens::claims());

    assert_invalid(verifier.verify(&token, tokens::now()).await, "signature");
}

#[tokio::test]
async fn an_unsigned_alg_none_token_is_invalid() {
    let (_server, verifier) = setup().await;
    let header = json!({"alg": "none", "typ": "JWT", "kid": KID_A});
    let token = tokens::forge(&header, &tokens::claims(), b"");

    assert_invalid(verifier.verify(&token, tokens::now()).await, "header");
}

#[tokio::test]
async fn an_hs256_token_keyed_with_the_public_key_is_invalid() {
    let (server, verifier) = setup().await;
    let mut header = Header::new(Algorithm::HS256);
    header.kid = Some(KID_A.to_owned());
    let key = EncodingKey::from_secret(tokens::PUBLIC_KEY_A.as_bytes());
    let token = jsonwebtoken::encode(&header, &tokens::claims(), &key).unwrap();

    assert_invalid(verifier.verify(&token, tokens::now()).await, "only RS256");
    assert_eq!(
        server.request_count(),
        0,
        "rejected before any key is looked up"
    );
}

#[tokio::test]
async fn a_token_without_kid_is_invalid() {
    let (_server, verifier) = setup().await;
    let header = json!({"alg": "RS256", "typ": "JWT"});
    let token = tokens::forge(&header, &tokens::claims(), b"signature");

    assert_invalid(verifier.verify(&token, tokens::now()).await, "kid");
}

#[tokio::test]
async fn strings_that_are_not_jwts_are_invalid() {
    let (_server, verifier) = setup().await;
    for token in ["", "not a token", "a.b.c", "...."] {
        assert_invalid(verifier.verify(token, tokens::now()).await, "");
    }
}
