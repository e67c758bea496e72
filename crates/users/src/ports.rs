//! What the users use cases need from the outside world, named by role. Adapters implement these.

mod email;

pub use email::{EmailError, EmailMessage, EmailSender, EmailTokenStore};

use crate::user::{AccountPatch, NewUser, User};
use crate::{Email, PhoneNumber};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use lingo_kernel::UserId;
use std::time::Duration;

/// A store that is down or failing: the use case cannot go on; retrying later may work.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Unavailable(pub String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UserStoreError {
    #[error("the email address is already in use")]
    EmailTaken,
    #[error("the phone number is already in use")]
    PhoneTaken,
    #[error(transparent)]
    Unavailable(#[from] Unavailable),
}

#[async_trait]
pub trait UserRepository: Send + Sync {
    async fn insert(&self, user: &NewUser) -> Result<User, UserStoreError>;
    async fn by_id(&self, id: UserId) -> Result<Option<User>, Unavailable>;
    async fn by_email(&self, email: &Email) -> Result<Option<User>, Unavailable>;
    async fn by_phone(&self, phone: &PhoneNumber) -> Result<Option<User>, Unavailable>;
    /// The user linked to an external identity (`google`, subject).
    async fn by_identity(&self, provider: &str, subject: &str)
    -> Result<Option<User>, Unavailable>;
    async fn link_identity(
        &self,
        user: UserId,
        provider: &str,
        subject: &str,
    ) -> Result<(), Unavailable>;
    /// Applies the patch and returns the user as stored; `None` when the user is gone.
    async fn update(
        &self,
        id: UserId,
        patch: &AccountPatch,
    ) -> Result<Option<User>, UserStoreError>;
    /// Deletes the user and everything PostgreSQL holds for them, and stages (in the same
    /// transaction) the job that purges their data from the other stores.
    async fn delete(&self, id: UserId) -> Result<bool, Unavailable>;
    /// Everything PostgreSQL holds about the user, as JSON, for the data export.
    async fn export(&self, id: UserId) -> Result<Option<serde_json::Value>, Unavailable>;
}

/// A hashed password, in PHC string form.
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordHash(pub String);

impl std::fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordHash(…)")
    }
}

#[async_trait]
pub trait PasswordHasher: Send + Sync {
    async fn hash(&self, password: &str) -> Result<PasswordHash, Unavailable>;
    /// Whether `password` matches. With `None`, verifies against a dummy hash and returns false,
    /// so an unknown account costs the same time as a wrong password.
    async fn verify(&self, password: &str, hash: Option<&PasswordHash>) -> bool;
}

/// One refresh token as stored (its hash, never the token).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefreshRecord {
    pub user: UserId,
    pub family: uuid::Uuid,
    pub expires_at: DateTime<Utc>,
}

/// How long a refresh token lives: `sliding` from each rotation, but never past `absolute`
/// from the sign-in that started its family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefreshLifetime {
    pub sliding: chrono::Duration,
    pub absolute: chrono::Duration,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RotateError {
    #[error("unknown, expired or revoked refresh token")]
    Invalid,
    /// The token had been used already: its family is revoked (a stolen token was replayed).
    #[error("refresh token reused")]
    Reused,
    #[error(transparent)]
    Unavailable(#[from] Unavailable),
}

#[async_trait]
pub trait RefreshTokenStore: Send + Sync {
    /// Stores a new token (by hash), created at `now`, starting or continuing `record.family`.
    async fn issue(
        &self,
        hash: &[u8],
        record: &RefreshRecord,
        now: DateTime<Utc>,
    ) -> Result<(), Unavailable>;
    /// Atomically marks `old_hash` used and stores `new_hash` in the same family, expiring
    /// `lifetime.sliding` from now but no later than `lifetime.absolute` after the family
    /// started. A family past its absolute lifetime fails with `Invalid`. A token used before
    /// revokes its whole family and fails with `Reused`.
    async fn rotate(
        &self,
        old_hash: &[u8],
        new_hash: &[u8],
        now: DateTime<Utc>,
        lifetime: RefreshLifetime,
    ) -> Result<RefreshRecord, RotateError>;
    /// Revokes the family of this token (logout on this device); false when unknown.
    async fn revoke_family_of(&self, hash: &[u8], now: DateTime<Utc>) -> Result<bool, Unavailable>;
    /// Revokes every token of the user (logout everywhere).
    async fn revoke_all(&self, user: UserId, now: DateTime<Utc>) -> Result<(), Unavailable>;
    /// The family of a stored token (used or not), `None` when no token has this hash; what
    /// refresh limits are counted on.
    async fn family_of(&self, hash: &[u8]) -> Result<Option<uuid::Uuid>, Unavailable>;
}

/// The per-account token generation that access tokens are checked against.
#[async_trait]
pub trait TokenGenerations: Send + Sync {
    /// The account's current generation; `None` when the account does not exist (deleted).
    async fn current(&self, user: UserId) -> Result<Option<u64>, Unavailable>;
    /// Increments the generation, so every access token issued before is refused; answers the
    /// new generation, `None` when the account does not exist.
    async fn bump(&self, user: UserId) -> Result<Option<u64>, Unavailable>;
}

/// What an administrator does to an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AdminAction {
    /// Refuses sign-in and revokes every token and session.
    Disable,
    Enable,
    GrantAdmin,
    /// Makes the account a learner; its admin tokens stop working.
    RevokeAdmin,
}

impl AdminAction {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Disable => "disable",
            Self::Enable => "enable",
            Self::GrantAdmin => "grant_admin",
            Self::RevokeAdmin => "revoke_admin",
        }
    }
}

/// Who made a change: an administrator through the api, or an operator at the console.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    Admin(UserId),
    Operator(String),
}

/// One administrative change, as recorded in the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub actor: Actor,
    pub action: AdminAction,
    pub target: UserId,
    pub at: DateTime<Utc>,
}

#[async_trait]
pub trait AccountAdministration: Send + Sync {
    /// Applies `entry.action` to `entry.target` and records the entry, in one transaction.
    /// Disable and revoke-admin bump the token generation; disable also revokes every refresh
    /// token. Answers the account as changed, `None` when it does not exist (nothing recorded).
    async fn apply(&self, entry: &AuditEntry) -> Result<Option<User>, Unavailable>;
    /// The latest entries about `target`, newest first.
    async fn audit_of(&self, target: UserId, limit: usize) -> Result<Vec<AuditEntry>, Unavailable>;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OtpCheck {
    Valid,
    Wrong {
        attempts_left: u32,
    },
    /// No code, expired, or burned after too many wrong attempts.
    Missing,
}

/// One-time codes by phone, stored hashed with a time to live.
#[async_trait]
pub trait OtpStore: Send + Sync {
    /// Replaces any pending code of this phone.
    async fn put(
        &self,
        phone: &PhoneNumber,
        code_hash: &[u8],
        ttl: Duration,
        max_attempts: u32,
    ) -> Result<(), Unavailable>;
    /// Checks a code; a valid code is consumed, a wrong one counts an attempt, and the last
    /// wrong attempt burns the code.
    async fn check(&self, phone: &PhoneNumber, code_hash: &[u8]) -> Result<OtpCheck, Unavailable>;
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SmsError {
    /// The provider refused the message (invalid number, blocked destination …): not retryable.
    #[error("the SMS provider refused the message: {0}")]
    Rejected(String),
    /// The provider is down, slow, rate-limiting or answered something unreadable.
    #[error("the SMS provider is unavailable: {0}")]
    Unavailable(String),
}

#[async_trait]
pub trait SmsSender: Send + Sync {
    async fn send(&self, to: &PhoneNumber, text: &str) -> Result<(), SmsError>;
}

/// Who an external identity provider says the bearer is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalIdentity {
    /// `google`
    pub provider: String,
    /// The provider's stable user id (`sub`).
    pub subject: String,
    pub email: Option<String>,
    pub email_verified: bool,
    pub name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdentityError {
    #[error("the identity token is invalid: {0}")]
    Invalid(String),
    #[error("the identity provider is unavailable: {0}")]
    Unavailable(String),
}

#[async_trait]
pub trait IdentityVerifier: Send + Sync {
    async fn verify(
        &self,
        id_token: &str,
        now: DateTime<Utc>,
    ) -> Result<ExternalIdentity, IdentityError>;
}

/// Unpredictable values: one-time codes and refresh tokens.
pub trait SecretGenerator: Send + Sync {
    /// Six decimal digits.
    fn otp_code(&self) -> String;
    /// An opaque token with at least 256 bits of entropy, URL-safe.
    fn refresh_token(&self) -> String;
}
