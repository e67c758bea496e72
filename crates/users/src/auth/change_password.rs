//! A signed-in learner changes their password.

use super::{AuthError, AuthService, Session, check_password};
use crate::AccountPatch;
use lingo_kernel::UserId;

impl AuthService {
    /// Needs the current password; ends every other session (refresh families revoked, the
    /// access tokens of other devices refused) and answers a fresh session for the caller.
    #[tracing::instrument(skip_all, fields(user_id = %user))]
    pub async fn change_password(
        &self,
        user: UserId,
        current: &str,
        new_password: &str,
    ) -> Result<Session, AuthError> {
        self.throttle(
            &format!("password:change:{user}"),
            self.settings.login_limit,
        )
        .await?;
        check_password(new_password)?;
        let account = self
            .deps
            .users
            .by_id(user)
            .await?
            .ok_or(AuthError::InvalidCredentials)?;
        if !self
            .deps
            .passwords
            .verify(current, account.password_hash.as_ref())
            .await
        {
            return Err(AuthError::WrongPassword);
        }
        let hash = self.deps.passwords.hash(new_password).await?;
        let now = self.deps.clock.now();
        let patch = AccountPatch {
            password_hash: Some(hash),
            now: Some(now),
            ..AccountPatch::default()
        };
        self.deps
            .users
            .update(user, &patch)
            .await?
            .ok_or(AuthError::InvalidCredentials)?;
        self.deps.refresh_tokens.revoke_all(user, now).await?;
        self.deps.revocations.bump(user).await?;
        // Read again: the fresh session must carry the new token generation.
        let account = self
            .deps
            .users
            .by_id(user)
            .await?
            .ok_or(AuthError::InvalidCredentials)?;
        tracing::info!("password changed; other sessions ended");
        self.start_session(account, false).await
    }
}
