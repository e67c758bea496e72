//! Email: the sender of messages and the store of the single-use tokens their links carry.

use super::Unavailable;
use crate::Email;
use crate::email_token::{EmailTokenPurpose, StoredEmailToken};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use lingo_kernel::UserId;

/// One plain-text message to one recipient.
#[derive(Clone, PartialEq, Eq)]
pub struct EmailMessage {
    pub to: Email,
    pub subject: String,
    /// Plain text; it may hold a live link (a token), so it is never logged.
    pub text: String,
}

impl std::fmt::Debug for EmailMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmailMessage")
            .field("to", &self.to)
            .field("subject", &self.subject)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    /// The server refused this message (bad recipient, policy): retrying will not help.
    #[error("the mail server refused the message: {0}")]
    Rejected(String),
    /// The server is down, slow, or answered with a transient failure.
    #[error("the mail server is unavailable: {0}")]
    Unavailable(String),
}

#[async_trait]
pub trait EmailSender: Send + Sync {
    async fn send(&self, message: &EmailMessage) -> Result<(), EmailError>;
}

/// Tokens by their SHA-256 hash; the token itself is never stored.
#[async_trait]
pub trait EmailTokenStore: Send + Sync {
    async fn issue(&self, hash: &[u8], token: &StoredEmailToken) -> Result<(), Unavailable>;
    /// Atomically marks the token used (at `now`, unless it was already) and answers it as it
    /// was *before*: a `used_at` in the answer means it had been spent already. `None` for an
    /// unknown hash.
    async fn take(
        &self,
        hash: &[u8],
        now: DateTime<Utc>,
    ) -> Result<Option<StoredEmailToken>, Unavailable>;
    /// Spends every unused token of `user` for `purpose` (a completed reset voids the others).
    async fn spend_all(
        &self,
        user: UserId,
        purpose: EmailTokenPurpose,
        now: DateTime<Utc>,
    ) -> Result<(), Unavailable>;
}
