use super::unavailable;
use crate::pool::PgPool;
use crate::schema::{cards, words};
use async_trait::async_trait;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use lingo_dictionary::ports::{LearnerVocabulary, StoreError};
use lingo_kernel::{LanguageCode, UserId};
use std::collections::HashSet;

/// The words a learner has cards for, from `cards` and `words`.
#[derive(Clone)]
pub struct PgLearnerVocabulary {
    pool: PgPool,
}

impl PgLearnerVocabulary {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

#[async_trait]
impl LearnerVocabulary for PgLearnerVocabulary {
    async fn known_by(
        &self,
        user: UserId,
        language: &LanguageCode,
        keys: &[String],
    ) -> Result<HashSet<String>, StoreError> {
        if keys.is_empty() {
            return Ok(HashSet::new());
        }
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        let known: Vec<String> = cards::table
            .inner_join(words::table)
            .filter(cards::user_id.eq(user.as_uuid()))
            .filter(words::language.eq(language.as_str()))
            .filter(words::lemma_key.eq_any(keys))
            .select(words::lemma_key)
            .distinct()
            .load(&mut conn)
            .await
            .map_err(unavailable)?;
        Ok(known.into_iter().collect())
    }
}
