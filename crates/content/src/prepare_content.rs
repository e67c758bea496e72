//! The `content.prepare` job's handler: for each word that reached a learner's deck, the content
//! for the learner's language and level band is generated ahead of the study session. Each
//! missing word gets the same `content.generate` job a request would enqueue (its id is fixed by
//! the content key), so a word prepared and requested at once is generated once, and the session
//! or `GET /words/{id}/content` follows that job. Nothing is charged to the learner's daily
//! quota: the generation job itself keeps to the global money budget (past it the extractive
//! generator writes the content).

use crate::generate_content::{GenerateContent, content_key};
use crate::ports::{ContentStore, LearnerLanguages};
use lingo_dictionary::ports::StoreError;
use lingo_kernel::jobs::{Enqueued, JobError, JobQueue, NewJob, QueueError};
use lingo_kernel::{UserId, WordId};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// What one `content.prepare` run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prepared {
    /// Content already stored.
    pub ready: usize,
    /// Generations enqueued now.
    pub enqueued: usize,
    /// Generations already queued, running or finished (another request or preparation).
    pub already_requested: usize,
}

pub struct ContentPreparationService {
    store: Arc<dyn ContentStore>,
    learners: Arc<dyn LearnerLanguages>,
    queue: Arc<dyn JobQueue>,
}

fn retryable_store(e: StoreError) -> JobError {
    JobError::Retryable(e.to_string())
}

fn retryable_queue(e: QueueError) -> JobError {
    JobError::Retryable(e.to_string())
}

impl ContentPreparationService {
    pub fn new(
        store: Arc<dyn ContentStore>,
        learners: Arc<dyn LearnerLanguages>,
        queue: Arc<dyn JobQueue>,
    ) -> Self {
        Self {
            store,
            learners,
            queue,
        }
    }

    /// Enqueues the generation of every word of `words` without content for `learner`.
    /// Idempotent: a rerun finds the content or the jobs it enqueued.
    #[tracing::instrument(skip(self, words), fields(words = words.len()))]
    pub async fn prepare(&self, learner: UserId, words: &[WordId]) -> Result<Prepared, JobError> {
        let (native, level) = match self.learners.native_and_level(learner).await {
            Ok(languages) => languages,
            // A profile that does not decode will not decode on a retry either.
            Err(e @ StoreError::Corrupt(_)) => return Err(JobError::Permanent(e.to_string())),
            Err(e) => return Err(retryable_store(e)),
        };
        let keys: Vec<_> = words
            .iter()
            .map(|&word| content_key(word, native.clone(), level))
            .collect();
        let stored = self.store.latest_of(&keys).await.map_err(retryable_store)?;
        let mut prepared = Prepared::default();
        for key in keys {
            if stored.contains_key(&key.id()) {
                prepared.ready += 1;
                continue;
            }
            let job = GenerateContent {
                key: key.clone(),
                regenerate: false,
                requested_by: None,
            };
            let job = NewJob::of(&job)
                .map_err(|e| JobError::Permanent(e.to_string()))?
                .with_id(key.job_id())
                .owned_by(learner);
            match self.queue.enqueue(job).await.map_err(retryable_queue)? {
                Enqueued::Created => prepared.enqueued += 1,
                Enqueued::AlreadyExists => prepared.already_requested += 1,
            }
        }
        Ok(prepared)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ports::ContentVersion;
    use crate::{ContentKey, LevelBand};
    use async_trait::async_trait;
    use lingo_kernel::jobs::{JobId, JobRecord, QueueStats};
    use lingo_kernel::{CefrLevel, LanguageCode};
    use std::collections::HashMap;
    use std::sync::Mutex;

    /// Content exists for the keys listed.
    struct Stored(Vec<String>);
    #[async_trait]
    impl ContentStore for Stored {
        async fn latest(&self, _: &ContentKey) -> Result<Option<ContentVersion>, StoreError> {
            Ok(None)
        }
        async fn put(&self, _: &ContentVersion) -> Result<(), StoreError> {
            Ok(())
        }
        async fn latest_of(
            &self,
            keys: &[ContentKey],
        ) -> Result<HashMap<String, ContentVersion>, StoreError> {
            let mut found = HashMap::new();
            for key in keys.iter().filter(|k| self.0.contains(&k.id())) {
                found.insert(key.id(), sample_version(key.clone()));
            }
            Ok(found)
        }
    }

    fn sample_version(key: ContentKey) -> ContentVersion {
        let raw = crate::learner_content::tests::valid_json().to_string();
        ContentVersion {
            key,
            version: 1,
            content: crate::LearnerContent::parse(&raw, "house").expect("valid sample"),
            provenance: crate::ports::ContentProvenance {
                generator: "extractive".into(),
                model: "dictionary".into(),
                prompt_version: "v1".into(),
                created_at: chrono::DateTime::UNIX_EPOCH,
                repaired: false,
                usage: crate::ports::TokenUsage::default(),
            },
        }
    }

    struct Persian;
    #[async_trait]
    impl LearnerLanguages for Persian {
        async fn native_and_level(
            &self,
            _: UserId,
        ) -> Result<(LanguageCode, CefrLevel), StoreError> {
            Ok((
                LanguageCode::parse("fa").expect("test value"),
                CefrLevel::B1,
            ))
        }
    }

    #[derive(Default)]
    struct Queue(Mutex<Vec<NewJob>>);
    #[async_trait]
    impl JobQueue for Queue {
        async fn enqueue(&self, job: NewJob) -> Result<Enqueued, QueueError> {
            let mut jobs = self.0.lock().expect("test value");
            if jobs.iter().any(|j| j.id == job.id) {
                return Ok(Enqueued::AlreadyExists);
            }
            jobs.push(job);
            Ok(Enqueued::Created)
        }
        async fn status(&self, _: JobId) -> Result<Option<JobRecord>, QueueError> {
            Ok(None)
        }
        async fn stats(&self) -> Result<QueueStats, QueueError> {
            Ok(QueueStats::default())
        }
    }

    #[tokio::test]
    async fn missing_content_gets_the_generation_a_request_would_enqueue_once() {
        let (have, lack) = (WordId::new(), WordId::new());
        let fa = LanguageCode::parse("fa").expect("test value");
        let stored_key = content_key(have, fa.clone(), CefrLevel::B1);
        let queue = Arc::new(Queue::default());
        let service = ContentPreparationService::new(
            Arc::new(Stored(vec![stored_key.id()])),
            Arc::new(Persian),
            queue.clone(),
        );
        let learner = UserId::new();
        let first = service
            .prepare(learner, &[have, lack])
            .await
            .expect("test value");
        assert_eq!(
            first,
            Prepared {
                ready: 1,
                enqueued: 1,
                already_requested: 0
            }
        );
        let again = service
            .prepare(learner, &[have, lack])
            .await
            .expect("test value");
        assert_eq!(again.enqueued, 0);
        assert_eq!(again.already_requested, 1);

        let jobs = queue.0.lock().expect("test value");
        assert_eq!(jobs.len(), 1);
        let key = ContentKey {
            word_id: lack,
            native: fa.clone(),
            band: LevelBand::Intermediate,
        };
        assert_eq!(jobs[0].id, key.job_id(), "the request path's job id");
        assert_eq!(jobs[0].kind, "content.generate");
        assert_eq!(jobs[0].owner, Some(learner));
    }
}
