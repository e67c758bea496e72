//! Test tokens, signed with the throwaway keys in `tests/fixtures`.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, TimeDelta, Utc};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};

pub const CLIENT_ID: &str = "1234-lingo.apps.googleusercontent.com";
pub const KID_A: &str = "test-key-a";
pub const KID_B: &str = "test-key-b";

const KEY_A: &str = include_str!("../fixtures/signing_key_a.pem");
const KEY_B: &str = include_str!("../fixtures/signing_key_b.pem");
pub const PUBLIC_KEY_A: &str = include_str!("../fixtures/public_key_a.pem");
const JWKS: &str = include_str!("../fixtures/jwks.json");

#[derive(Clone, Copy)]
pub enum TestKey {
    A,
    B,
}

/// The verification time used throughout.
pub fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2025-06-01T12:00:00Z")
        .unwrap()
        .to_utc()
}

/// The JWKS body publishing only the keys named.
pub fn jwks(kids: &[&str]) -> String {
    let mut set: Value = serde_json::from_str(JWKS).unwrap();
    let keys = set["keys"].as_array_mut().unwrap();
    keys.retain(|key| kids.contains(&key["kid"].as_str().unwrap()));
    set.to_string()
}

/// Claims of a fresh, valid Google ID token for our client.
pub fn claims() -> Value {
    let issued = now() - TimeDelta::minutes(5);
    json!({
        "iss": "https://accounts.google.com",
        "azp": CLIENT_ID,
        "aud": CLIENT_ID,
        "sub": "110169484474386276334",
        "email": "ada@example.com",
        "email_verified": true,
        "name": "Ada Lovelace",
        "iat": issued.timestamp(),
        "exp": (issued + TimeDelta::hours(1)).timestamp(),
    })
}

/// `claims` with `changes` merged in.
pub fn claims_with(changes: Value) -> Value {
    let mut claims = claims();
    for (name, value) in changes.as_object().unwrap() {
        claims[name] = value.clone();
    }
    claims
}

/// An RS256 token signed with `key` whose header names `kid`.
pub fn sign(key: TestKey, kid: &str, claims: &Value) -> String {
    let pem = match key {
        TestKey::A => KEY_A,
        TestKey::B => KEY_B,
    };
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(kid.to_owned());
    let key = EncodingKey::from_rsa_pem(pem.as_bytes()).unwrap();
    jsonwebtoken::encode(&header, claims, &key).unwrap()
}

/// A token with whatever header, claims and signature given, none of it checked.
pub fn forge(header: &Value, claims: &Value, signature: &[u8]) -> String {
    let segment = |bytes: &[u8]| URL_SAFE_NO_PAD.encode(bytes);
    format!(
        "{}.{}.{}",
        segment(header.to_string().as_bytes()),
        segment(claims.to_string().as_bytes()),
        segment(signature)
    )
}
