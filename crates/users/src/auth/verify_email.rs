//! Proving an address: the link sent at sign-up (or asked for again), and the link that moves
//! an account to a new address. Either signs the account in.

use super::{AuthError, AuthService, Session, emails};
use crate::AccountPatch;
use crate::email_token::EmailTokenPurpose;
use crate::ports::UserStoreError;
use lingo_kernel::UserId;

impl AuthService {
    /// Redeems a verification link: marks the address verified (or, for a change of address,
    /// makes the new address the account's, verified) and signs the account in.
    #[tracing::instrument(skip_all)]
    pub async fn verify_email(&self, token: &str) -> Result<Session, AuthError> {
        let (stored, user) = self
            .redeem_email_token(
                token,
                &[
                    EmailTokenPurpose::VerifyEmail,
                    EmailTokenPurpose::ChangeEmail,
                ],
            )
            .await?;
        let now = self.deps.clock.now();
        let moving = stored.purpose == EmailTokenPurpose::ChangeEmail;
        let patch = AccountPatch {
            email: moving.then(|| stored.address.clone()),
            email_verified_at: Some(now),
            now: Some(now),
            ..AccountPatch::default()
        };
        let updated = match self.deps.users.update(user.id, &patch).await {
            Ok(Some(updated)) => updated,
            Ok(None) => return Err(AuthError::InvalidEmailToken),
            // Taken since the request: only the holder of the new address sees this.
            Err(UserStoreError::EmailTaken) => return Err(AuthError::EmailTaken),
            Err(e) => return Err(e.into()),
        };
        if moving {
            tracing::info!(user_id = %user.id, "email address changed");
            if let Some(old) = &user.email {
                self.deliver_quietly(emails::address_changed(old, &stored.address))
                    .await;
            }
        } else {
            tracing::info!(user_id = %user.id, "email address verified");
        }
        self.start_session(updated, false).await
    }

    /// Sends a new verification link to the signed-in learner's unverified address.
    #[tracing::instrument(skip_all, fields(user_id = %user))]
    pub async fn resend_verification(&self, user: UserId) -> Result<(), AuthError> {
        let account = self
            .deps
            .users
            .by_id(user)
            .await?
            .ok_or(AuthError::InvalidCredentials)?;
        let email = account.email.clone().ok_or(AuthError::NoEmail)?;
        if account.email_verified_at.is_some() {
            return Err(AuthError::AlreadyVerified);
        }
        self.throttle(
            &format!("email:account:{user}"),
            self.settings.account_email_limit,
        )
        .await?;
        let link = self
            .issue_email_link(user, EmailTokenPurpose::VerifyEmail, &email)
            .await?;
        self.deliver(emails::verify_address(
            &email,
            &link,
            self.settings.verify_email_ttl.as_secs() / 3600,
        ))
        .await
    }
}
