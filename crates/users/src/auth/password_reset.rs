//! Forgotten password: a link by email, then a new password that ends every session.

use super::email_links::minutes;
use super::{AuthError, AuthService, check_password, emails};
use crate::email_token::EmailTokenPurpose;
use crate::{AccountPatch, Email};
use lingo_kernel::ClientAddress;

impl AuthService {
    /// Sends a reset link if an active account has this address; answers the same either way
    /// (`client` is the caller's network address, for the per-client limit).
    #[tracing::instrument(skip_all)]
    pub async fn request_password_reset(
        &self,
        email: &Email,
        client: ClientAddress,
    ) -> Result<(), AuthError> {
        self.throttle(
            &format!("email:reset:client:{}", client.limit_key()),
            self.settings.reset_client_limit,
        )
        .await?;
        self.throttle(
            &format!("email:reset:{email}"),
            self.settings.reset_request_limit,
        )
        .await?;
        let Some(user) = self.deps.users.by_email(email).await? else {
            tracing::info!("password reset asked for an unknown address");
            return Ok(());
        };
        if !user.is_active() {
            return Ok(());
        }
        let link = self
            .issue_email_link(user.id, EmailTokenPurpose::ResetPassword, email)
            .await?;
        self.deliver_quietly(emails::reset_password(
            email,
            &link,
            minutes(self.settings.reset_password_ttl),
        ))
        .await;
        tracing::info!(user_id = %user.id, "password reset link sent");
        Ok(())
    }

    /// Redeems a reset link: sets the new password, marks the address verified (the link
    /// proved it), and ends every session of the account (refresh families revoked, access
    /// tokens refused). The learner then signs in with the new password.
    #[tracing::instrument(skip_all)]
    pub async fn reset_password(&self, token: &str, new_password: &str) -> Result<(), AuthError> {
        // A weak password is refused before the link is spent, so the learner can try again.
        check_password(new_password)?;
        let (_, user) = self
            .redeem_email_token(token, &[EmailTokenPurpose::ResetPassword])
            .await?;
        let hash = self.deps.passwords.hash(new_password).await?;
        let now = self.deps.clock.now();
        let patch = AccountPatch {
            password_hash: Some(hash),
            email_verified_at: Some(user.email_verified_at.unwrap_or(now)),
            now: Some(now),
            ..AccountPatch::default()
        };
        self.deps
            .users
            .update(user.id, &patch)
            .await?
            .ok_or(AuthError::InvalidEmailToken)?;
        self.deps
            .email_tokens
            .spend_all(user.id, EmailTokenPurpose::ResetPassword, now)
            .await?;
        self.deps.refresh_tokens.revoke_all(user.id, now).await?;
        self.deps.revocations.bump(user.id).await?;
        tracing::info!(user_id = %user.id, "password reset; every session ended");
        Ok(())
    }
}
