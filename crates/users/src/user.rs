use crate::ports::PasswordHash;
use crate::{DisplayName, Email, LearningProfile, PhoneNumber, Role};
use chrono::{DateTime, Utc};
use lingo_kernel::UserId;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UserStatus {
    Active,
    /// Signed out everywhere and refused sign-in (by an admin).
    Disabled,
}

impl UserStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Disabled => "disabled",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "active" => Some(Self::Active),
            "disabled" => Some(Self::Disabled),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct User {
    pub id: UserId,
    pub email: Option<Email>,
    /// When Lingo last proved that the account holds `email` (a verification link, a password
    /// reset, or Google vouching for it). `None`: unproven, never linked to Google by address.
    pub email_verified_at: Option<DateTime<Utc>>,
    pub phone: Option<PhoneNumber>,
    pub password_hash: Option<PasswordHash>,
    pub display_name: DisplayName,
    pub role: Role,
    pub status: UserStatus,
    pub profile: LearningProfile,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Bumped when every access token of the account must stop working (logout everywhere,
    /// disabled, demoted); carried in each access token.
    pub token_generation: u64,
}

impl User {
    pub fn is_active(&self) -> bool {
        self.status == UserStatus::Active
    }

    /// The account's address, when Lingo has proved it.
    pub fn verified_email(&self) -> Option<&Email> {
        self.email
            .as_ref()
            .filter(|_| self.email_verified_at.is_some())
    }
}

/// A user about to be created.
#[derive(Debug, Clone, PartialEq)]
pub struct NewUser {
    pub id: UserId,
    pub email: Option<Email>,
    /// Set only when the address is already proven (Google vouched for it).
    pub email_verified_at: Option<DateTime<Utc>>,
    pub phone: Option<PhoneNumber>,
    pub password_hash: Option<PasswordHash>,
    pub display_name: DisplayName,
    pub role: Role,
    pub profile: LearningProfile,
    pub now: DateTime<Utc>,
}

/// Changes to an account; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AccountPatch {
    pub display_name: Option<DisplayName>,
    /// Only the email use cases set this, together with `email_verified_at` (an address takes
    /// effect once proven).
    pub email: Option<Email>,
    pub email_verified_at: Option<DateTime<Utc>>,
    pub password_hash: Option<PasswordHash>,
    pub profile: Option<LearningProfile>,
    pub now: Option<DateTime<Utc>>,
}
