//! The learning profile as stored in `users.profile` (JSONB), decoded in this one place: a
//! profile that no longer decodes is reported as corrupt, never replaced by defaults.

use crate::pool::PgPool;
use crate::schema::users;
use async_trait::async_trait;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use lingo_kernel::UserId;
use lingo_learning::ports::{LearnerProfiles, LearningStoreError};
use lingo_users::LearningProfile;

/// The stored JSON as a profile; the error names what is wrong with it.
pub(crate) fn decode_profile(value: serde_json::Value) -> Result<LearningProfile, String> {
    serde_json::from_value(value).map_err(|e| format!("corrupt stored learning profile: {e}"))
}

#[derive(Clone)]
pub struct PgLearnerProfiles {
    pool: PgPool,
}

impl PgLearnerProfiles {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

#[async_trait]
impl LearnerProfiles for PgLearnerProfiles {
    async fn profile(&self, learner: UserId) -> Result<LearningProfile, LearningStoreError> {
        let unavailable = |e: String| LearningStoreError::Unavailable(e);
        let mut conn = self
            .pool
            .get()
            .await
            .map_err(|e| unavailable(e.to_string()))?;
        let stored: Option<serde_json::Value> = users::table
            .filter(users::id.eq(learner.as_uuid()))
            .select(users::profile)
            .first(&mut conn)
            .await
            .optional()
            .map_err(|e| unavailable(e.to_string()))?;
        decode_profile(stored.ok_or(LearningStoreError::NotFound)?).map_err(unavailable)
    }
}

#[async_trait]
impl lingo_content::ports::LearnerLanguages for PgLearnerProfiles {
    async fn native_and_level(
        &self,
        learner: UserId,
    ) -> Result<
        (lingo_kernel::LanguageCode, lingo_kernel::CefrLevel),
        lingo_dictionary::ports::StoreError,
    > {
        use lingo_dictionary::ports::StoreError;
        match self.profile(learner).await {
            Ok(profile) => Ok((profile.native_language, profile.level)),
            Err(LearningStoreError::NotFound) => Ok((
                lingo_users::LearningProfile::default().native_language,
                lingo_users::LearningProfile::default().level,
            )),
            Err(LearningStoreError::Unavailable(e)) => Err(StoreError::Unavailable(e)),
        }
    }
}
