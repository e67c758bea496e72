//! Who is calling: a bearer access token checked against the injected clock and against the
//! account's current token generation (revocation within seconds, see `revocation`).

use super::AuthService;
use crate::{AccessClaims, AccessTokenError};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthenticationError {
    #[error("the token has expired")]
    Expired,
    #[error("the token is invalid")]
    Invalid,
    /// Valid when issued, but the account is gone, disabled, demoted or signed out everywhere
    /// since.
    #[error("the token has been revoked")]
    Revoked,
    #[error("{0}")]
    Unavailable(String),
}

impl AuthService {
    /// The claims of a valid, unrevoked access token.
    pub async fn authenticate(&self, token: &str) -> Result<AccessClaims, AuthenticationError> {
        let claims = self
            .deps
            .access_tokens
            .verify(token, self.deps.clock.now())
            .map_err(|e| match e {
                AccessTokenError::Expired => AuthenticationError::Expired,
                _ => AuthenticationError::Invalid,
            })?;
        let current = self
            .deps
            .revocations
            .is_current(claims.user, claims.generation)
            .await
            .map_err(|e| AuthenticationError::Unavailable(e.0))?;
        if current {
            Ok(claims)
        } else {
            Err(AuthenticationError::Revoked)
        }
    }
}
