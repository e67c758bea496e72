use crate::Role;
use chrono::{DateTime, Utc};
use lingo_kernel::UserId;

/// What a valid access token says about its bearer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessClaims {
    pub user: UserId,
    pub role: Role,
    /// The account's token generation when the token was issued: a token of an older
    /// generation than the account's current one is revoked.
    pub generation: u64,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccessTokenError {
    #[error("the access token has expired")]
    Expired,
    #[error("the access token is invalid")]
    Invalid,
    #[error("the access token could not be issued: {0}")]
    Issue(String),
}

/// Issues and verifies short-lived access tokens.
pub trait AccessTokens: Send + Sync {
    fn issue(
        &self,
        user: UserId,
        role: Role,
        generation: u64,
        now: DateTime<Utc>,
    ) -> Result<String, AccessTokenError>;
    fn verify(&self, token: &str, now: DateTime<Utc>) -> Result<AccessClaims, AccessTokenError>;
}
