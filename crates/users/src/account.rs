//! The signed-in learner's own account: read, change, export, delete.

use crate::ports::{Unavailable, UserRepository, UserStoreError};
use crate::revocation::RevocationCache;
use crate::{
    AccountPatch, CefrLevel, DailyGoal, DesiredRetention, DisplayName, LearningProfile, Steps,
    Timezone, User,
};
use lingo_kernel::jobs::Job;
use lingo_kernel::{Clock, LanguageCode, UserId};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccountError {
    #[error("no such account")]
    NotFound,
    #[error("the email address is already in use")]
    EmailTaken,
    #[error("{0}")]
    Unavailable(String),
}

impl From<Unavailable> for AccountError {
    fn from(e: Unavailable) -> Self {
        Self::Unavailable(e.0)
    }
}

impl From<UserStoreError> for AccountError {
    fn from(e: UserStoreError) -> Self {
        match e {
            UserStoreError::EmailTaken | UserStoreError::PhoneTaken => Self::EmailTaken,
            UserStoreError::Unavailable(e) => e.into(),
        }
    }
}

/// Changes to the learning profile; `None` keeps the current value. Values are already valid
/// (their types, or the range checks of `profile`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProfileChanges {
    pub native_language: Option<LanguageCode>,
    pub target_language: Option<LanguageCode>,
    pub level: Option<CefrLevel>,
    pub timezone: Option<Timezone>,
    pub day_rollover_hour: Option<u8>,
    pub daily_new_limit: Option<u32>,
    pub daily_review_limit: Option<u32>,
    pub desired_retention: Option<DesiredRetention>,
    pub learning_steps: Option<Steps>,
    pub relearning_steps: Option<Steps>,
    pub leech_threshold: Option<u32>,
    pub suspend_leeches: Option<bool>,
    pub daily_goal: Option<DailyGoal>,
}

impl ProfileChanges {
    pub fn is_empty(&self) -> bool {
        self == &Self::default()
    }

    pub fn applied_to(&self, profile: &LearningProfile) -> LearningProfile {
        let mut p = profile.clone();
        macro_rules! set {
            ($($field:ident),*) => {$(if let Some(v) = &self.$field { p.$field = v.clone(); })*};
        }
        set!(
            native_language,
            target_language,
            level,
            timezone,
            day_rollover_hour,
            daily_new_limit,
            daily_review_limit,
            desired_retention,
            learning_steps,
            relearning_steps,
            leech_threshold,
            suspend_leeches,
            daily_goal
        );
        p
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct AccountChanges {
    pub display_name: Option<DisplayName>,
    /// The email address is not here: it changes only through a verified link
    /// (`AuthService::request_email_change`).
    pub profile: ProfileChanges,
}

/// Erases what the user left outside PostgreSQL (Redis keys, MongoDB documents); staged in the
/// transaction that deletes the account. Idempotent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PurgeUserData {
    pub user_id: UserId,
    pub email: Option<String>,
    pub phone: Option<String>,
}

impl Job for PurgeUserData {
    const NAME: &'static str = "users.purge";
}

/// What `users.purge` reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserDataPurged {
    /// Redis keys deleted (or found already gone).
    pub redis_keys: usize,
}

#[derive(Clone)]
pub struct AccountService {
    users: Arc<dyn UserRepository>,
    revocations: Arc<RevocationCache>,
    clock: Arc<dyn Clock>,
}

impl AccountService {
    pub fn new(
        users: Arc<dyn UserRepository>,
        revocations: Arc<RevocationCache>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            users,
            revocations,
            clock,
        }
    }

    pub async fn get(&self, id: UserId) -> Result<User, AccountError> {
        self.users.by_id(id).await?.ok_or(AccountError::NotFound)
    }

    #[tracing::instrument(skip_all, fields(user_id = %id))]
    pub async fn update(&self, id: UserId, changes: AccountChanges) -> Result<User, AccountError> {
        let current = self.get(id).await?;
        let profile =
            (!changes.profile.is_empty()).then(|| changes.profile.applied_to(&current.profile));
        let patch = AccountPatch {
            display_name: changes.display_name,
            profile,
            now: Some(self.clock.now()),
            ..AccountPatch::default()
        };
        self.users
            .update(id, &patch)
            .await?
            .ok_or(AccountError::NotFound)
    }

    /// Deletes the account at once (it can no longer sign in or be seen, and its access tokens
    /// are refused); data in the other stores follows through the `users.purge` job.
    #[tracing::instrument(skip_all, fields(user_id = %id))]
    pub async fn delete(&self, id: UserId) -> Result<(), AccountError> {
        let deleted = self.users.delete(id).await?;
        self.revocations.record(id, None);
        if deleted {
            tracing::info!("account deleted");
            Ok(())
        } else {
            Err(AccountError::NotFound)
        }
    }

    pub async fn export(&self, id: UserId) -> Result<serde_json::Value, AccountError> {
        self.users.export(id).await?.ok_or(AccountError::NotFound)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_changes_touch_only_the_given_fields() {
        let profile = LearningProfile::default();
        let changes = ProfileChanges {
            native_language: Some(LanguageCode::parse("fa").expect("valid")),
            daily_new_limit: Some(5),
            ..Default::default()
        };
        let changed = changes.applied_to(&profile);
        assert_eq!(changed.native_language.as_str(), "fa");
        assert_eq!(changed.daily_new_limit, 5);
        assert_eq!(changed.target_language, profile.target_language);
        assert_eq!(changed.desired_retention, profile.desired_retention);
        assert!(ProfileChanges::default().is_empty() && !changes.is_empty());
    }
}
