//! Verifying one Google ID token.

use async_trait::async_trait;
use chrono::{DateTime, TimeDelta, Utc};
use jsonwebtoken::errors::{Error as JwtError, ErrorKind};
use jsonwebtoken::{Algorithm, Validation};
use lingo_users::ports::{ExternalIdentity, IdentityError, IdentityVerifier};
use serde::Deserialize;

use crate::key_cache::{KeyCache, jwks_client};
use crate::settings::GoogleSettings;

/// Tolerated clock difference between Google and us when checking `exp`.
const EXPIRY_LEEWAY: TimeDelta = TimeDelta::seconds(60);
/// A token issued further in the future than this is forged or from a broken clock.
const ISSUED_AT_LEEWAY: TimeDelta = TimeDelta::minutes(5);

/// Verifies Google ID tokens: RS256 only, signed by a key in Google's published key set, issued
/// by Google to one of our client ids, and not expired at the caller's `now`.
pub struct GoogleIdTokenVerifier {
    keys: KeyCache,
    validation: Validation,
}

#[derive(Deserialize)]
struct Claims {
    sub: String,
    exp: i64,
    iat: i64,
    email: Option<String>,
    #[serde(default)]
    email_verified: Option<Flag>,
    name: Option<String>,
}

/// Google sends `email_verified` as a boolean, and in some tokens as the string `"true"`.
#[derive(Deserialize)]
#[serde(untagged)]
enum Flag {
    Bool(bool),
    Text(String),
}

impl Flag {
    fn is_set(&self) -> bool {
        match self {
            Flag::Bool(value) => *value,
            Flag::Text(text) => text.eq_ignore_ascii_case("true"),
        }
    }
}

impl GoogleIdTokenVerifier {
    /// Keys are fetched on the first verification, not here.
    ///
    /// # Panics
    /// If the HTTP client cannot be built (no TLS backend), like `reqwest::Client::new`: a
    /// start-up failure.
    pub fn new(settings: GoogleSettings) -> Self {
        let keys = KeyCache::new(
            jwks_client(settings.http_timeout),
            settings.jwks_url,
            settings.min_refresh_interval,
        );
        let mut validation = Validation::new(Algorithm::RS256);
        validation.set_issuer(&settings.issuers);
        validation.set_audience(&settings.client_ids);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        // Expiry is checked against the caller's `now` below, not the system clock.
        validation.validate_exp = false;
        validation.validate_nbf = false;
        validation.leeway = 0;
        Self { keys, validation }
    }

    fn identity(claims: Claims, now: DateTime<Utc>) -> Result<ExternalIdentity, IdentityError> {
        let expires_at = DateTime::<Utc>::from_timestamp(claims.exp, 0)
            .ok_or_else(|| invalid("the exp claim is out of range"))?;
        if expires_at + EXPIRY_LEEWAY <= now {
            return Err(invalid(format!("the token expired at {expires_at}")));
        }
        let issued_at = DateTime::<Utc>::from_timestamp(claims.iat, 0)
            .ok_or_else(|| invalid("the iat claim is out of range"))?;
        if issued_at > now + ISSUED_AT_LEEWAY {
            return Err(invalid(format!(
                "the token claims to be issued at {issued_at}, in the future"
            )));
        }
        if claims.sub.is_empty() {
            return Err(invalid("the sub claim is empty"));
        }
        Ok(ExternalIdentity {
            provider: "google".to_owned(),
            subject: claims.sub,
            email_verified: claims.email.is_some()
                && claims.email_verified.as_ref().is_some_and(Flag::is_set),
            email: claims.email,
            name: claims.name,
        })
    }
}

#[async_trait]
impl IdentityVerifier for GoogleIdTokenVerifier {
    #[tracing::instrument(
        name = "google.verify_id_token",
        skip_all,
        err(level = "info", Display)
    )]
    async fn verify(
        &self,
        id_token: &str,
        now: DateTime<Utc>,
    ) -> Result<ExternalIdentity, IdentityError> {
        let header = jsonwebtoken::decode_header(id_token)
            .map_err(|e| invalid(format!("the token header is malformed: {}", reason(&e))))?;
        // Checked before any key is looked at: `none`, HS256 keyed with our public key, …
        if header.alg != Algorithm::RS256 {
            return Err(invalid(format!(
                "the algorithm {:?} is not accepted, only RS256",
                header.alg
            )));
        }
        let kid = header
            .kid
            .ok_or_else(|| invalid("the token header names no key (kid)"))?;
        let key = self.keys.key(&kid).await?;
        let data = jsonwebtoken::decode::<Claims>(id_token, &key, &self.validation)
            .map_err(|e| invalid(reason(&e)))?;
        Self::identity(data.claims, now)
    }
}

fn invalid(reason: impl Into<String>) -> IdentityError {
    IdentityError::Invalid(reason.into())
}

fn reason(error: &JwtError) -> String {
    match error.kind() {
        ErrorKind::InvalidSignature => "the signature does not verify".to_owned(),
        ErrorKind::InvalidIssuer => "the token was not issued by Google".to_owned(),
        ErrorKind::InvalidAudience => "the token was issued to another client".to_owned(),
        ErrorKind::MissingRequiredClaim(claim) => format!("the {claim} claim is missing"),
        ErrorKind::Json(e) => format!("the claims are malformed: {e}"),
        ErrorKind::InvalidToken | ErrorKind::Base64(_) | ErrorKind::Utf8(_) => {
            "the token is not a well-formed JWT".to_owned()
        }
        _ => error.to_string(),
    }
}
