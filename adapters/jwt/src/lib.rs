//! Access tokens as HS256 JSON Web Tokens. Only HS256 is accepted: a token whose header names
//! another algorithm (`none` included) is rejected before its signature is looked at.

use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, errors::ErrorKind};
use lingo_kernel::UserId;
use lingo_users::{AccessClaims, AccessTokenError, AccessTokens, Role};
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: uuid::Uuid,
    role: String,
    iss: String,
    aud: String,
    iat: i64,
    exp: i64,
    /// The account's token generation; tokens issued before the claim existed count as 0.
    #[serde(default)]
    #[serde(rename = "gen")]
    generation: u64,
}

pub struct JwtAccessTokens {
    encoding: EncodingKey,
    decoding: DecodingKey,
    issuer: String,
    audience: String,
    ttl: Duration,
}

impl JwtAccessTokens {
    pub fn new(secret: &[u8], issuer: &str, audience: &str, ttl: Duration) -> Self {
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            issuer: issuer.to_owned(),
            audience: audience.to_owned(),
            ttl,
        }
    }

    fn validation(&self) -> Validation {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[&self.issuer]);
        validation.set_audience(&[&self.audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        // Expiry is checked against the caller's clock below, not the system's.
        validation.validate_exp = false;
        validation.leeway = 0;
        validation
    }
}

impl AccessTokens for JwtAccessTokens {
    fn issue(
        &self,
        user: UserId,
        role: Role,
        generation: u64,
        now: DateTime<Utc>,
    ) -> Result<String, AccessTokenError> {
        let claims = Claims {
            sub: user.as_uuid(),
            role: role.as_str().to_owned(),
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            iat: now.timestamp(),
            exp: (now + self.ttl).timestamp(),
            generation,
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| AccessTokenError::Issue(e.to_string()))
    }

    fn verify(&self, token: &str, now: DateTime<Utc>) -> Result<AccessClaims, AccessTokenError> {
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation())
            .map_err(|e| match e.kind() {
                ErrorKind::ExpiredSignature => AccessTokenError::Expired,
                _ => AccessTokenError::Invalid,
            })?;
        let claims = data.claims;
        let expires_at =
            DateTime::<Utc>::from_timestamp(claims.exp, 0).ok_or(AccessTokenError::Invalid)?;
        if expires_at <= now {
            return Err(AccessTokenError::Expired);
        }
        Ok(AccessClaims {
            user: UserId::from_uuid(claims.sub),
            role: Role::parse(&claims.role).map_err(|_| AccessTokenError::Invalid)?,
            generation: claims.generation,
            expires_at,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"test-secret-test-secret-test-secret!";

    fn tokens() -> JwtAccessTokens {
        JwtAccessTokens::new(SECRET, "lingo", "lingo-app", Duration::minutes(15))
    }

    #[test]
    fn an_issued_token_verifies_to_its_user_and_role() {
        let now = Utc::now();
        let user = UserId::new();
        let token = tokens().issue(user, Role::Admin, 7, now).expect("issued");
        let claims = tokens().verify(&token, now).expect("valid");
        assert_eq!(claims.user, user);
        assert_eq!(claims.role, Role::Admin);
        assert_eq!(claims.generation, 7);
    }

    #[test]
    fn an_expired_token_is_refused() {
        let now = Utc::now();
        let token = tokens()
            .issue(UserId::new(), Role::Learner, 0, now)
            .expect("issued");
        let later = now + Duration::minutes(16);
        assert_eq!(
            tokens().verify(&token, later),
            Err(AccessTokenError::Expired)
        );
    }

    #[test]
    fn tampered_foreign_audience_and_unsigned_tokens_are_invalid() {
        let now = Utc::now();
        let token = tokens()
            .issue(UserId::new(), Role::Learner, 0, now)
            .expect("issued");
        let mut tampered = token.clone();
        tampered.pop();
        tampered.push(if token.ends_with('A') { 'B' } else { 'A' });
        assert_eq!(
            tokens().verify(&tampered, now),
            Err(AccessTokenError::Invalid)
        );

        let other = JwtAccessTokens::new(SECRET, "lingo", "another-app", Duration::minutes(15));
        let foreign = other
            .issue(UserId::new(), Role::Learner, 0, now)
            .expect("issued");
        assert_eq!(
            tokens().verify(&foreign, now),
            Err(AccessTokenError::Invalid)
        );

        // {"alg":"none","typ":"JWT"} with valid-looking claims and no signature.
        let parts: Vec<&str> = token.split('.').collect();
        let unsigned = format!("eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.{}.", parts[1]);
        assert_eq!(
            tokens().verify(&unsigned, now),
            Err(AccessTokenError::Invalid)
        );
    }
}
