//! Sign-in use cases: password, phone code, Google; sessions (access + refresh tokens).

mod authenticate;
mod change_email;
mod change_password;
mod email_links;
mod emails;
mod google_sign_in;
mod password;
mod password_reset;
mod phone_code;
mod session;
mod verify_email;

pub use authenticate::AuthenticationError;
pub use password::{Registration, check_password};
pub use session::Session;

/// How a refresh token is stored (its SHA-256): what another store matches a sign-in by (the
/// device registered in it is removed at logout).
pub fn refresh_token_hash(token: &str) -> Vec<u8> {
    session::token_hash(token)
}

use crate::AccessTokens;
use crate::ports::{
    EmailSender, EmailTokenStore, IdentityVerifier, OtpStore, PasswordHasher, RefreshTokenStore,
    SecretGenerator, SmsSender, Unavailable, UserRepository, UserStoreError,
};
use crate::revocation::RevocationCache;
use crate::sms_policy::SmsPolicy;
use lingo_kernel::Clock;
use lingo_kernel::failed_attempts::{AttemptDecision, FailedAttempts, ProgressiveDelay};
use lingo_kernel::rate_limit::{RateDecision, RateLimit, RateLimiter};
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct AuthSettings {
    /// A refresh token's sliding lifetime, from its rotation.
    pub refresh_ttl: Duration,
    /// A sign-in's absolute lifetime: no refresh past this much after it started.
    pub refresh_max_age: Duration,
    pub otp_ttl: Duration,
    /// Wrong codes before a code is burned.
    pub otp_max_attempts: u32,
    /// Server secret mixed into stored code hashes, so a Redis dump does not reveal codes.
    pub otp_pepper: Vec<u8>,
    /// Code requests per phone.
    pub otp_request_limit: RateLimit,
    /// Code verifications per phone, from every address together: the loose ceiling against
    /// distributed guessing (on top of the per-code attempt limit).
    pub otp_verify_limit: RateLimit,
    /// Password attempts per account identifier, from every address together: the loose
    /// ceiling against distributed guessing.
    pub login_limit: RateLimit,
    /// Where the links in emails point: `{base}/verify-email?token=…`,
    /// `{base}/reset-password?token=…` (the app or web page posts the token to the api).
    pub email_link_base: String,
    /// How long a verification link (sign-up, new address) works.
    pub verify_email_ttl: Duration,
    /// How long a password-reset link works.
    pub reset_password_ttl: Duration,
    /// Sign-up emails per recipient address (nobody can mail-bomb an address through sign-up).
    pub signup_email_limit: RateLimit,
    /// Reset requests per email address.
    pub reset_request_limit: RateLimit,
    /// Reset requests per client address.
    pub reset_client_limit: RateLimit,
    /// Verification and address-change emails a signed-in learner may ask for.
    pub account_email_limit: RateLimit,
    /// Progressive delay of password attempts per (email, client address).
    pub login_delay: ProgressiveDelay,
    /// Progressive delay of code verifications per (phone, client address).
    pub otp_verify_delay: ProgressiveDelay,
    /// Refreshes per token family (not per address: many learners share a carrier's address).
    pub refresh_limit: RateLimit,
    /// Which numbers get codes, and how many per day.
    pub sms: SmsPolicy,
}

impl Default for AuthSettings {
    fn default() -> Self {
        Self {
            refresh_ttl: Duration::from_secs(30 * 86_400),
            refresh_max_age: Duration::from_secs(60 * 86_400),
            otp_ttl: Duration::from_secs(120),
            otp_max_attempts: 5,
            otp_pepper: b"development-otp-pepper".to_vec(),
            otp_request_limit: RateLimit::per(3, Duration::from_secs(600)),
            otp_verify_limit: RateLimit::per(10, Duration::from_secs(600)),
            login_limit: RateLimit::per(50, Duration::from_secs(900)),
            email_link_base: "http://localhost:8080".to_owned(),
            verify_email_ttl: Duration::from_secs(24 * 3600),
            reset_password_ttl: Duration::from_secs(30 * 60),
            signup_email_limit: RateLimit::per(3, Duration::from_secs(3600)),
            reset_request_limit: RateLimit::per(3, Duration::from_secs(900)),
            reset_client_limit: RateLimit::per(10, Duration::from_secs(900)),
            account_email_limit: RateLimit::per(3, Duration::from_secs(3600)),
            login_delay: ProgressiveDelay::default(),
            otp_verify_delay: ProgressiveDelay::default(),
            refresh_limit: RateLimit::per(10, Duration::from_secs(60)),
            sms: SmsPolicy::default(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    /// Deliberately vague: never says whether the account exists (or is verified).
    #[error("the email or the password is wrong, or the address is not verified yet")]
    InvalidCredentials,
    #[error("the email address is already in use")]
    EmailTaken,
    #[error("the phone number is already in use")]
    PhoneTaken,
    #[error("too many attempts; try again later")]
    Throttled { retry_after: Duration },
    /// One answer for a wrong code, a burned code and no code at all: the answer never tells
    /// whether a code is pending for the number.
    #[error("the code is wrong or has expired")]
    NoCode,
    #[error("the refresh token is invalid or expired")]
    InvalidRefreshToken,
    #[error("the refresh token was already used; every session of this sign-in is revoked")]
    RefreshTokenReused,
    #[error("{0}")]
    InvalidIdentity(String),
    #[error("this account is disabled")]
    AccountDisabled,
    #[error("{0}")]
    WeakPassword(String),
    /// A verification or reset link that is unknown, used, expired or for something else.
    #[error("the link is invalid, used or expired; ask for a new one")]
    InvalidEmailToken,
    /// Google vouches for an address held by an account whose address Lingo has not verified:
    /// linking it automatically could hand that account to whoever registered the address.
    #[error(
        "an account with this email exists but its address is not verified; sign in to it (or \
         reset its password) and link Google from the signed-in session"
    )]
    AccountLinkRequired,
    #[error("this Google account is linked to another Lingo account")]
    IdentityLinkedElsewhere,
    /// The current password given to a signed-in change is wrong (or the account has none).
    #[error("the current password is wrong")]
    WrongPassword,
    #[error("the email address is already verified")]
    AlreadyVerified,
    #[error("the account has no email address")]
    NoEmail,
    #[error("{0}")]
    SmsRejected(String),
    #[error("{0}")]
    Unavailable(String),
    #[error("sign-in codes are not sent to this country calling code")]
    CountryNotAllowed,
}

impl From<Unavailable> for AuthError {
    fn from(e: Unavailable) -> Self {
        Self::Unavailable(e.0)
    }
}

impl From<UserStoreError> for AuthError {
    fn from(e: UserStoreError) -> Self {
        match e {
            UserStoreError::EmailTaken => Self::EmailTaken,
            UserStoreError::PhoneTaken => Self::PhoneTaken,
            UserStoreError::Unavailable(e) => e.into(),
        }
    }
}

/// What the sign-in use cases need.
#[derive(Clone)]
pub struct AuthDeps {
    pub users: Arc<dyn UserRepository>,
    pub refresh_tokens: Arc<dyn RefreshTokenStore>,
    pub otps: Arc<dyn OtpStore>,
    pub sms: Arc<dyn SmsSender>,
    pub email: Arc<dyn EmailSender>,
    pub email_tokens: Arc<dyn EmailTokenStore>,
    pub identity: Arc<dyn IdentityVerifier>,
    pub passwords: Arc<dyn PasswordHasher>,
    pub access_tokens: Arc<dyn AccessTokens>,
    pub secrets: Arc<dyn SecretGenerator>,
    /// Token generations, shared with the other account use cases of this process.
    pub revocations: Arc<RevocationCache>,
    pub limiter: Arc<dyn RateLimiter>,
    pub clock: Arc<dyn Clock>,
    /// Failed password and code attempts, for the progressive delay.
    pub attempts: Arc<dyn FailedAttempts>,
}

#[derive(Clone)]
pub struct AuthService {
    deps: AuthDeps,
    settings: AuthSettings,
}

impl AuthService {
    pub fn new(deps: AuthDeps, settings: AuthSettings) -> Self {
        Self { deps, settings }
    }

    /// Counts one attempt of `key`; `Throttled` past the limit.
    async fn throttle(&self, key: &str, limit: RateLimit) -> Result<(), AuthError> {
        match self.deps.limiter.hit(key, limit).await {
            Ok(RateDecision::Allowed) => Ok(()),
            Ok(RateDecision::Limited { retry_after }) => Err(AuthError::Throttled { retry_after }),
            Err(e) => Err(AuthError::Unavailable(e.to_string())),
        }
    }

    /// Starts one guess of a secret under `key`'s progressive delay; `Throttled` while the
    /// wait is not over. The guess counts as failed until [`Self::guess_succeeded`].
    async fn begin_guess(&self, key: &str, rule: ProgressiveDelay) -> Result<(), AuthError> {
        let now = self.deps.clock.now();
        match self.deps.attempts.begin(key, rule, now).await {
            Ok(AttemptDecision::Allowed) => Ok(()),
            Ok(AttemptDecision::Wait { retry_after }) => Err(AuthError::Throttled { retry_after }),
            Err(e) => Err(AuthError::Unavailable(e.to_string())),
        }
    }

    /// Forgets the failed guesses of `key`; a failure to forget only costs the learner a delay.
    async fn guess_succeeded(&self, key: &str) {
        if let Err(e) = self.deps.attempts.succeeded(key).await {
            tracing::warn!(error = %e, "failed attempts not reset");
        }
    }
}
