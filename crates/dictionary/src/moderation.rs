//! Administrators review the words learners added by lemma, which stay private to them until a
//! dictionary source or an administrator confirms them (then public search, lookups, the
//! lemmatiser and other learners see them).

use crate::ports::StoreError;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use lingo_kernel::{LanguageCode, UserId, WordId};
use std::sync::Arc;

/// A learner's word awaiting review.
#[derive(Debug, Clone, PartialEq)]
pub struct PrivateWord {
    pub id: WordId,
    pub language: LanguageCode,
    pub lemma: String,
    /// Empty when the learner gave none.
    pub part_of_speech: String,
    /// The learner who first added it; `None` once that account is gone.
    pub added_by: Option<UserId>,
    /// How many learners hold a card for it.
    pub learners: u64,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirmation {
    /// The word was private and is public now.
    Confirmed,
    /// Nothing to do: a source or another administrator confirmed it already.
    AlreadyPublic,
    NotFound,
}

/// The private words and their confirmation (PostgreSQL).
#[async_trait]
pub trait WordModeration: Send + Sync {
    /// Private words, oldest first, after `after` (exclusive; a keyset cursor), at most `limit`.
    async fn private_words(
        &self,
        language: Option<&LanguageCode>,
        after: Option<WordId>,
        limit: u32,
    ) -> Result<Vec<PrivateWord>, StoreError>;
    async fn confirm(&self, id: WordId) -> Result<Confirmation, StoreError>;
}

#[derive(Clone)]
pub struct WordModerationService {
    store: Arc<dyn WordModeration>,
}

impl WordModerationService {
    pub fn new(store: Arc<dyn WordModeration>) -> Self {
        Self { store }
    }

    /// One page of private words and the cursor of the next (the last id when the page is full).
    pub async fn private_words(
        &self,
        language: Option<&LanguageCode>,
        after: Option<WordId>,
        limit: u32,
    ) -> Result<(Vec<PrivateWord>, Option<WordId>), StoreError> {
        let limit = limit.clamp(1, 200);
        let words = self.store.private_words(language, after, limit).await?;
        let next = (words.len() == limit as usize)
            .then(|| words.last().map(|w| w.id))
            .flatten();
        Ok((words, next))
    }

    /// Makes a learner's word public. `admin` is recorded in the log line.
    #[tracing::instrument(skip(self), fields(word_id = %id, admin = %admin))]
    pub async fn confirm(&self, admin: UserId, id: WordId) -> Result<Confirmation, StoreError> {
        let outcome = self.store.confirm(id).await?;
        if outcome == Confirmation::Confirmed {
            tracing::info!("learner word confirmed by an administrator");
        }
        Ok(outcome)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    struct Listed(Mutex<Vec<u32>>);

    #[async_trait]
    impl WordModeration for Listed {
        async fn private_words(
            &self,
            _: Option<&LanguageCode>,
            _: Option<WordId>,
            limit: u32,
        ) -> Result<Vec<PrivateWord>, StoreError> {
            self.0.lock().expect("lock").push(limit);
            Ok((0..limit.min(3))
                .map(|i| PrivateWord {
                    id: WordId::new(),
                    language: LanguageCode::parse("en").expect("en"),
                    lemma: format!("w{i}"),
                    part_of_speech: String::new(),
                    added_by: None,
                    learners: 1,
                    created_at: Utc::now(),
                })
                .collect())
        }
        async fn confirm(&self, _: WordId) -> Result<Confirmation, StoreError> {
            Ok(Confirmation::NotFound)
        }
    }

    #[tokio::test]
    async fn a_full_page_has_a_cursor_and_a_short_one_has_none() {
        let store = Arc::new(Listed(Mutex::new(Vec::new())));
        let service = WordModerationService::new(store.clone());
        let (full, next) = service.private_words(None, None, 3).await.expect("page");
        assert_eq!(next, Some(full[2].id));
        let (short, next) = service.private_words(None, None, 10).await.expect("page");
        assert_eq!(short.len(), 3);
        assert_eq!(next, None);
        service
            .private_words(None, None, 100_000)
            .await
            .expect("page");
        assert_eq!(*store.0.lock().expect("lock"), vec![3, 10, 200]);
    }
}
