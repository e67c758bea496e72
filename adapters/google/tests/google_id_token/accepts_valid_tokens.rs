use std::time::Duration;

use chrono::TimeDelta;
use lingo_users::ports::{ExternalIdentity, IdentityVerifier};
use serde_json::json;

use crate::tokens::{self, KID_A, KID_B, TestKey};
use crate::{keys, verifier};
use lingo_http::testing::HttpDouble;

async fn server() -> HttpDouble {
    HttpDouble::start(keys(tokens::jwks(&[KID_A, KID_B]), 3600)).await
}

#[tokio::test]
async fn a_valid_token_yields_the_google_identity() {
    let server = server().await;
    let token = tokens::sign(TestKey::A, KID_A, &tokens::claims());

    let identity = verifier(&server, Duration::from_secs(60))
        .verify(&token, tokens::now())
        .await
        .unwrap();

    assert_eq!(
        identity,
        ExternalIdentity {
            provider: "google".into(),
            subject: "110169484474386276334".into(),
            email: Some("ada@example.com".into()),
            email_verified: true,
            name: Some("Ada Lovelace".into()),
        }
    );
}

#[tokio::test]
async fn email_verified_sent_as_the_string_true_counts_as_verified() {
    let server = server().await;
    let claims = tokens::claims_with(json!({"email_verified": "true"}));
    let token = tokens::sign(TestKey::B, KID_B, &claims);

    let identity = verifier(&server, Duration::from_secs(60))
        .verify(&token, tokens::now())
        .await;

    assert!(identity.unwrap().email_verified);
}

#[tokio::test]
async fn a_token_without_email_scope_has_no_email_and_is_not_verified() {
    let server = server().await;
    let mut claims = tokens::claims();
    for name in ["email", "email_verified", "name"] {
        claims.as_object_mut().unwrap().remove(name);
    }
    let token = tokens::sign(TestKey::A, KID_A, &claims);

    let identity = verifier(&server, Duration::from_secs(60))
        .verify(&token, tokens::now())
        .await
        .unwrap();

    assert_eq!(
        (identity.email, identity.email_verified, identity.name),
        (None, false, None)
    );
}

#[tokio::test]
async fn the_short_issuer_form_and_an_audience_list_are_accepted() {
    let server = server().await;
    let claims = tokens::claims_with(json!({
        "iss": "accounts.google.com",
        "aud": ["someone-else", tokens::CLIENT_ID],
    }));
    let token = tokens::sign(TestKey::A, KID_A, &claims);

    let identity = verifier(&server, Duration::from_secs(60))
        .verify(&token, tokens::now())
        .await;

    assert_eq!(identity.unwrap().subject, "110169484474386276334");
}

#[tokio::test]
async fn a_token_expired_within_the_one_minute_leeway_is_accepted() {
    let server = server().await;
    let expired = tokens::now() - TimeDelta::seconds(30);
    let claims = tokens::claims_with(json!({"exp": expired.timestamp()}));
    let token = tokens::sign(TestKey::A, KID_A, &claims);

    let identity = verifier(&server, Duration::from_secs(60))
        .verify(&token, tokens::now())
        .await;

    assert!(identity.is_ok(), "{identity:?}");
}
