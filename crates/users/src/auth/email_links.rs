//! Issuing and redeeming the tokens that email links carry, and sending the emails.

use super::session::token_hash;
use super::{AuthError, AuthService};
use crate::email_token::{EmailTokenError, EmailTokenPurpose, Expectation, StoredEmailToken};
use crate::ports::{EmailError, EmailMessage};
use crate::{Email, User};
use lingo_kernel::UserId;
use std::time::Duration;

impl AuthService {
    /// A new single-use token bound to (user, address, purpose), stored by hash; answers the
    /// link that carries it.
    pub(super) async fn issue_email_link(
        &self,
        user: UserId,
        purpose: EmailTokenPurpose,
        address: &Email,
    ) -> Result<String, AuthError> {
        let (ttl, page) = match purpose {
            EmailTokenPurpose::VerifyEmail | EmailTokenPurpose::ChangeEmail => {
                (self.settings.verify_email_ttl, "verify-email")
            }
            EmailTokenPurpose::ResetPassword => {
                (self.settings.reset_password_ttl, "reset-password")
            }
        };
        let now = self.deps.clock.now();
        let token = self.deps.secrets.refresh_token();
        let ttl = chrono::Duration::from_std(ttl).unwrap_or_else(|_| chrono::Duration::hours(1));
        self.deps
            .email_tokens
            .issue(
                &token_hash(&token),
                &StoredEmailToken {
                    user,
                    purpose,
                    address: address.clone(),
                    created_at: now,
                    expires_at: now + ttl,
                    used_at: None,
                },
            )
            .await?;
        let base = self.settings.email_link_base.trim_end_matches('/');
        Ok(format!("{base}/{page}?token={token}"))
    }

    /// Spends the token and answers it with its account, when it may be redeemed for one of
    /// `purposes`; the account's current address must still be the one the link went to,
    /// unless the purpose is to move to that address.
    pub(super) async fn redeem_email_token(
        &self,
        token: &str,
        purposes: &[EmailTokenPurpose],
    ) -> Result<(StoredEmailToken, User), AuthError> {
        let now = self.deps.clock.now();
        let refused = |reason: EmailTokenError| {
            tracing::info!(%reason, "email link refused");
            AuthError::InvalidEmailToken
        };
        let stored = self
            .deps
            .email_tokens
            .take(&token_hash(token.trim()), now)
            .await?
            .ok_or_else(|| refused(EmailTokenError::Unknown))?;
        let user = self
            .deps
            .users
            .by_id(stored.user)
            .await?
            .ok_or_else(|| refused(EmailTokenError::WrongUser))?;
        let purpose = purposes
            .iter()
            .copied()
            .find(|p| *p == stored.purpose)
            .unwrap_or(purposes[0]);
        let address = match purpose {
            EmailTokenPurpose::ChangeEmail => None,
            _ => Some(
                user.email
                    .as_ref()
                    .ok_or_else(|| refused(EmailTokenError::WrongAddress))?,
            ),
        };
        stored
            .redeem(
                Expectation {
                    purpose,
                    user: Some(user.id),
                    address,
                },
                now,
            )
            .map_err(refused)?;
        Ok((stored, user))
    }

    /// Sends, answering a failure (signed-in routes, where the answer reveals nothing).
    pub(super) async fn deliver(&self, message: EmailMessage) -> Result<(), AuthError> {
        self.deps.email.send(&message).await.map_err(|e| match e {
            EmailError::Rejected(reason) => {
                AuthError::Unavailable(format!("email refused: {reason}"))
            }
            EmailError::Unavailable(reason) => AuthError::Unavailable(reason),
        })
    }

    /// Sends, logging a failure instead of answering it: the anonymous routes answer the same
    /// whether a message left or not (and whether there was anyone to send it to).
    pub(super) async fn deliver_quietly(&self, message: EmailMessage) {
        if let Err(error) = self.deps.email.send(&message).await {
            tracing::warn!(%error, "email not sent");
        }
    }
}

/// Minutes of a lifetime, for the text of an email.
pub(super) fn minutes(ttl: Duration) -> u64 {
    (ttl.as_secs() / 60).max(1)
}
