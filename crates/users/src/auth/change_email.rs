//! A signed-in learner moves their account to another address: it takes effect only when the
//! link sent to the new address is opened, and the answer is the same whether the address is
//! free or taken (its owner is told by email instead).

use super::{AuthError, AuthService, emails};
use crate::Email;
use crate::email_token::EmailTokenPurpose;
use lingo_kernel::UserId;

impl AuthService {
    /// Starts a change of address. An account with a password must give it (a stolen access
    /// token alone cannot move the account, then reset its password).
    #[tracing::instrument(skip_all, fields(user_id = %user))]
    pub async fn request_email_change(
        &self,
        user: UserId,
        new: &Email,
        password: Option<&str>,
    ) -> Result<(), AuthError> {
        let account = self
            .deps
            .users
            .by_id(user)
            .await?
            .ok_or(AuthError::InvalidCredentials)?;
        if let Some(hash) = &account.password_hash {
            let given = password.unwrap_or_default();
            if !self.deps.passwords.verify(given, Some(hash)).await {
                return Err(AuthError::WrongPassword);
            }
        }
        self.throttle(
            &format!("email:account:{user}"),
            self.settings.account_email_limit,
        )
        .await?;
        if account.email.as_ref() == Some(new) {
            return Ok(());
        }
        if self.deps.users.by_email(new).await?.is_some() {
            tracing::info!("email change to an address in use; its owner is told by email");
            return self.deliver(emails::address_in_use(new)).await;
        }
        let link = self
            .issue_email_link(user, EmailTokenPurpose::ChangeEmail, new)
            .await?;
        self.deliver(emails::confirm_new_address(
            new,
            &link,
            self.settings.verify_email_ttl.as_secs() / 3600,
        ))
        .await
    }
}
