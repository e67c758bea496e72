use super::{AuthError, AuthService};
use crate::User;
use crate::ports::{RefreshLifetime, RefreshRecord, RotateError};
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

/// A signed-in session: a short-lived access token and a rotating refresh token.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: User,
    pub access_token: String,
    pub access_expires_at: DateTime<Utc>,
    /// When the tokens were issued (the clock's "now"), so lifetimes need no second clock read.
    pub issued_at: DateTime<Utc>,
    pub refresh_token: String,
    pub refresh_expires_at: DateTime<Utc>,
    /// True when this sign-in created the account.
    pub created: bool,
}

pub(super) fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

impl AuthService {
    fn refresh_lifetime(&self) -> RefreshLifetime {
        let sliding = chrono::Duration::from_std(self.settings.refresh_ttl)
            .unwrap_or_else(|_| chrono::Duration::days(30));
        let absolute = chrono::Duration::from_std(self.settings.refresh_max_age)
            .unwrap_or_else(|_| chrono::Duration::days(60));
        RefreshLifetime {
            sliding: sliding.min(absolute),
            absolute,
        }
    }

    fn refresh_expiry(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        now + self.refresh_lifetime().sliding
    }

    fn access(
        &self,
        user: &User,
        now: DateTime<Utc>,
    ) -> Result<(String, DateTime<Utc>), AuthError> {
        let token = self
            .deps
            .access_tokens
            .issue(user.id, user.role, user.token_generation, now)
            .map_err(|e| AuthError::Unavailable(e.to_string()))?;
        let claims = self
            .deps
            .access_tokens
            .verify(&token, now)
            .map_err(|e| AuthError::Unavailable(e.to_string()))?;
        Ok((token, claims.expires_at))
    }

    /// Starts a new token family for `user`.
    pub(super) async fn start_session(
        &self,
        user: User,
        created: bool,
    ) -> Result<Session, AuthError> {
        if !user.is_active() {
            return Err(AuthError::AccountDisabled);
        }
        let now = self.deps.clock.now();
        let (access_token, access_expires_at) = self.access(&user, now)?;
        let refresh_token = self.deps.secrets.refresh_token();
        let refresh_expires_at = self.refresh_expiry(now);
        self.deps
            .refresh_tokens
            .issue(
                &token_hash(&refresh_token),
                &RefreshRecord {
                    user: user.id,
                    family: uuid::Uuid::new_v4(),
                    expires_at: refresh_expires_at,
                },
                now,
            )
            .await?;
        Ok(Session {
            user,
            access_token,
            access_expires_at,
            issued_at: now,
            refresh_token,
            refresh_expires_at,
            created,
        })
    }

    /// Exchanges a refresh token for a new pair. The old token is spent; presenting it again
    /// revokes the whole family (someone else has a copy).
    ///
    /// Counted per token family (one sign-in on one device), never per address: behind a
    /// carrier-grade NAT many learners share one.
    pub async fn refresh(&self, refresh_token: &str) -> Result<Session, AuthError> {
        let family = self
            .deps
            .refresh_tokens
            .family_of(&token_hash(refresh_token))
            .await?
            .ok_or(AuthError::InvalidRefreshToken)?;
        self.throttle(&format!("refresh:{family}"), self.settings.refresh_limit)
            .await?;
        let now = self.deps.clock.now();
        let new_token = self.deps.secrets.refresh_token();
        let record = self
            .deps
            .refresh_tokens
            .rotate(
                &token_hash(refresh_token),
                &token_hash(&new_token),
                now,
                self.refresh_lifetime(),
            )
            .await
            .map_err(|e| match e {
                RotateError::Invalid => AuthError::InvalidRefreshToken,
                RotateError::Reused => AuthError::RefreshTokenReused,
                RotateError::Unavailable(e) => e.into(),
            })?;
        let user = self
            .deps
            .users
            .by_id(record.user)
            .await?
            .ok_or(AuthError::InvalidRefreshToken)?;
        if !user.is_active() {
            return Err(AuthError::AccountDisabled);
        }
        let (access_token, access_expires_at) = self.access(&user, now)?;
        Ok(Session {
            user,
            access_token,
            access_expires_at,
            issued_at: now,
            refresh_token: new_token,
            refresh_expires_at: record.expires_at,
            created: false,
        })
    }

    /// Ends the sign-in this refresh token belongs to (this device).
    pub async fn logout(&self, refresh_token: &str) -> Result<(), AuthError> {
        let now = self.deps.clock.now();
        self.deps
            .refresh_tokens
            .revoke_family_of(&token_hash(refresh_token), now)
            .await?;
        Ok(())
    }

    /// Ends every sign-in of the user: refresh tokens are revoked and access tokens stop
    /// working within the revocation cache's lifetime (at once on this node).
    pub async fn logout_everywhere(&self, user: lingo_kernel::UserId) -> Result<(), AuthError> {
        let now = self.deps.clock.now();
        self.deps.refresh_tokens.revoke_all(user, now).await?;
        self.deps.revocations.bump(user).await?;
        Ok(())
    }
}
