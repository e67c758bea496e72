//! A learner asks for a word's content: served when it exists, otherwise one generation is
//! enqueued (its job id is fixed by the content key, so concurrent requests share it), counted
//! against the learner's daily quota. A generation that failed is tried again (same job, fresh
//! attempts) by the first request after a cool-down: a failure never poisons the word.

use crate::content_key::ContentKey;
use crate::generate_content::GenerateContent;
use crate::generate_content::content_key;
use crate::ports::{ContentStore, ContentVersion, LearnerLanguages};
use lingo_dictionary::ports::{StoreError, WordRepository};
use lingo_kernel::jobs::{DeadLetters, JobId, JobQueue, JobStatus, NewJob, QueueError};
use lingo_kernel::rate_limit::{RateDecision, RateLimit, RateLimiter};
use lingo_kernel::{Caller, CefrLevel, Clock, LanguageCode, UserId, WordId};
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, Clone, PartialEq)]
pub enum ContentAnswer {
    Ready(Box<ContentVersion>),
    /// Being generated: follow the job.
    Pending(JobId),
}

#[derive(Debug, thiserror::Error)]
pub enum RequestError {
    #[error("this action is for administrators")]
    Forbidden,
    #[error("no word with this id")]
    UnknownWord,
    #[error("daily generation quota reached")]
    QuotaExceeded { retry_after: Duration },
    /// The generation for this key failed (the reason is the job's, for logs); it is tried again
    /// on the first request after `retry_after`.
    #[error("content generation failed: {reason}")]
    GenerationFailed {
        reason: String,
        retry_after: Duration,
    },
    #[error("{0}")]
    Unavailable(String),
}

impl From<StoreError> for RequestError {
    fn from(e: StoreError) -> Self {
        Self::Unavailable(e.to_string())
    }
}

impl From<QueueError> for RequestError {
    fn from(e: QueueError) -> Self {
        Self::Unavailable(e.to_string())
    }
}

/// What the request use case needs.
pub struct ContentRequestDeps {
    pub store: Arc<dyn ContentStore>,
    pub words: Arc<dyn WordRepository>,
    /// Where the defaults of a request (native language, level) come from.
    pub learners: Arc<dyn LearnerLanguages>,
    pub queue: Arc<dyn JobQueue>,
    /// Where a failed generation is put back to run again.
    pub failed_jobs: Arc<dyn DeadLetters>,
    pub limiter: Arc<dyn RateLimiter>,
    /// New generations per learner per day.
    pub daily_quota: u32,
    /// How long after a failed generation the next request tries again.
    pub retry_failed_after: Duration,
    pub clock: Arc<dyn Clock>,
}

pub struct ContentRequestService {
    deps: ContentRequestDeps,
}

impl ContentRequestService {
    pub fn new(deps: ContentRequestDeps) -> Self {
        Self { deps }
    }

    /// The word's content for `native` and `level`, each defaulting to the learner's profile.
    pub async fn request_for(
        &self,
        learner: UserId,
        word: WordId,
        native: Option<LanguageCode>,
        level: Option<CefrLevel>,
    ) -> Result<ContentAnswer, RequestError> {
        let (native, level) = match (native, level) {
            (Some(native), Some(level)) => (native, level),
            (native, level) => {
                let (default_native, default_level) =
                    self.deps.learners.native_and_level(learner).await?;
                (
                    native.unwrap_or(default_native),
                    level.unwrap_or(default_level),
                )
            }
        };
        self.request(learner, &content_key(word, native, level))
            .await
    }

    #[tracing::instrument(skip(self), fields(key = %key.id()))]
    pub async fn request(
        &self,
        learner: UserId,
        key: &ContentKey,
    ) -> Result<ContentAnswer, RequestError> {
        // Another learner's private word is no word at all to this learner.
        if !self.deps.words.visible_to(key.word_id, learner).await? {
            return Err(RequestError::UnknownWord);
        }
        if let Some(version) = self.deps.store.latest(key).await? {
            return Ok(ContentAnswer::Ready(Box::new(version)));
        }
        let job_id = key.job_id();
        // Someone already asked: follow that generation, free of charge.
        let failed = match self.deps.queue.status(job_id).await? {
            Some(job) if matches!(job.status, JobStatus::Failed | JobStatus::Dead) => {
                let since = (self.deps.clock.now() - job.updated_at)
                    .to_std()
                    .unwrap_or_default();
                if since < self.deps.retry_failed_after {
                    return Err(RequestError::GenerationFailed {
                        reason: job.last_error.unwrap_or_else(|| "unknown".to_owned()),
                        retry_after: self.deps.retry_failed_after - since,
                    });
                }
                true
            }
            Some(_) => return Ok(ContentAnswer::Pending(job_id)),
            None => false,
        };
        self.charge(learner).await?;
        if failed {
            // Back in the queue with fresh attempts; a concurrent request may have done it.
            self.deps.failed_jobs.requeue(job_id).await?;
            tracing::info!(job.id = %job_id, "a failed content generation is tried again");
            return Ok(ContentAnswer::Pending(job_id));
        }
        let job = GenerateContent {
            key: key.clone(),
            regenerate: false,
            requested_by: Some(learner),
        };
        let job = NewJob::of(&job)
            .map_err(|e| RequestError::Unavailable(e.to_string()))?
            .with_id(job_id)
            .owned_by(learner);
        self.deps.queue.enqueue(job).await?;
        Ok(ContentAnswer::Pending(job_id))
    }

    /// Counts one new generation against the learner's daily quota.
    async fn charge(&self, learner: UserId) -> Result<(), RequestError> {
        let quota = RateLimit::per(self.deps.daily_quota, Duration::from_secs(86_400));
        match self
            .deps
            .limiter
            .hit(&format!("content:{learner}"), quota)
            .await
        {
            Ok(RateDecision::Allowed) => Ok(()),
            Ok(RateDecision::Limited { retry_after }) => {
                Err(RequestError::QuotaExceeded { retry_after })
            }
            Err(e) => Err(RequestError::Unavailable(e.to_string())),
        }
    }

    /// An admin asks for a new version whatever exists.
    pub async fn regenerate(
        &self,
        caller: Caller,
        key: &ContentKey,
    ) -> Result<JobId, RequestError> {
        caller
            .require_admin()
            .map_err(|_| RequestError::Forbidden)?;
        let admin = caller.user;
        if self.deps.words.by_ids(&[key.word_id]).await?.is_empty() {
            return Err(RequestError::UnknownWord);
        }
        let job = GenerateContent {
            key: key.clone(),
            regenerate: true,
            requested_by: Some(admin),
        };
        let job = NewJob::of(&job)
            .map_err(|e| RequestError::Unavailable(e.to_string()))?
            .owned_by(admin);
        let id = job.id;
        self.deps.queue.enqueue(job).await?;
        Ok(id)
    }
}
