//! Users and authentication: accounts, sign-in (password, phone code, Google), tokens, the
//! learning profile, and the ports these use cases need.

mod access_token;
pub mod account;
pub mod administer_accounts;
pub mod auth;
mod display_name;
mod email;
pub mod email_token;
pub mod export_account;
mod phone;
pub mod ports;
mod profile;
mod reminder_settings;
pub mod revocation;
mod role;
pub mod sms_policy;
mod user;

pub use access_token::{AccessClaims, AccessTokenError, AccessTokens};
pub use display_name::{DisplayName, DisplayNameError};
pub use email::{Email, EmailError};
pub use phone::{PhoneError, PhoneNumber};
pub use profile::{
    CefrLevel, DailyGoal, DesiredRetention, LearningProfile, ProfileError, Steps, Timezone,
    check_leech_threshold, check_new_limit, check_review_limit, check_rollover_hour,
};
pub use reminder_settings::{ClockTime, QuietHours, ReminderSettings, ReminderSettingsError};
pub use role::{Role, RoleError};
pub use user::{AccountPatch, NewUser, User, UserStatus};
