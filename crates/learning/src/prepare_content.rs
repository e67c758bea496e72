//! Content before it is needed: when words reach a learner's deck (added by them, or through a
//! system deck they subscribe to or that grows), a `content.prepare` job asks the content side
//! to generate each word's content for that learner's language and level, so that the study
//! session finds it ready. The job is defined here (the decks know when words arrive) and handled
//! by the content crate (which knows what a generation is); the worker joins the two.
//!
//! Enqueueing is best-effort: a deck change never fails because the queue is down (the session
//! shows dictionary data and `GET /words/{id}/content` generates on demand).

use crate::ports::{DeckStore, LearningStoreError};
use lingo_kernel::jobs::{Job, JobId, JobQueue, NewJob};
use lingo_kernel::{SystemDeckId, UserId, WordId};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use uuid::Uuid;

/// Words per job: a deck of 20,000 words becomes 40 jobs, each a bounded payload.
pub const WORDS_PER_JOB: usize = 500;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrepareContent {
    pub learner: UserId,
    pub words: Vec<WordId>,
}

impl Job for PrepareContent {
    const NAME: &'static str = "content.prepare";
    const MAX_ATTEMPTS: u32 = 5;
}

impl PrepareContent {
    /// Fixed by the learner and the words, so a retried request enqueues the job once.
    pub fn job_id(&self) -> JobId {
        const NAMESPACE: Uuid = Uuid::from_u128(0x6c1e_0c0e_5a7d_4c3b_9f0e_0c0c_0e47_0002);
        let mut name = self.learner.to_string();
        for word in &self.words {
            name.push('|');
            name.push_str(&word.to_string());
        }
        JobId::from_uuid(Uuid::new_v5(&NAMESPACE, name.as_bytes()))
    }

    /// One job per `WORDS_PER_JOB` words (none for no words), duplicates removed.
    pub fn batches(learner: UserId, words: &[WordId]) -> Vec<Self> {
        let mut words = words.to_vec();
        words.sort_unstable();
        words.dedup();
        words
            .chunks(WORDS_PER_JOB)
            .map(|chunk| Self {
                learner,
                words: chunk.to_vec(),
            })
            .collect()
    }
}

/// Enqueues `content.prepare` jobs; with no queue configured it does nothing.
#[derive(Clone, Default)]
pub struct ContentPreparation {
    queue: Option<Arc<dyn JobQueue>>,
}

impl ContentPreparation {
    pub fn new(queue: Arc<dyn JobQueue>) -> Self {
        Self { queue: Some(queue) }
    }

    /// Asks for the content of `words` for `learner`; failures are logged, never returned.
    pub async fn request(&self, learner: UserId, words: &[WordId]) {
        let Some(queue) = &self.queue else { return };
        for batch in PrepareContent::batches(learner, words) {
            let id = batch.job_id();
            let job = match NewJob::of(&batch) {
                Ok(job) => job.with_id(id).owned_by(learner),
                Err(e) => {
                    tracing::warn!(error = %e, "content.prepare payload not serialisable");
                    continue;
                }
            };
            if let Err(e) = queue.enqueue(job).await {
                tracing::warn!(error = %e, job.id = %id, "content.prepare not enqueued");
            }
        }
    }
}

/// After a system deck grew (`decks.propagate`): the content of its words for each
/// subscriber; returns how many subscribers were asked for. Words whose content exists cost one
/// read each in the content job.
pub async fn prepare_system_deck(
    decks: &dyn DeckStore,
    content: &ContentPreparation,
    system_deck: SystemDeckId,
) -> Result<usize, LearningStoreError> {
    let words = decks.system_words(system_deck).await?;
    let subscribers = decks.subscribers(system_deck).await?;
    for learner in &subscribers {
        content.request(*learner, &words).await;
    }
    Ok(subscribers.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_split_into_bounded_jobs_without_duplicates() {
        let learner = UserId::new();
        let words: Vec<WordId> = (0..WORDS_PER_JOB + 10).map(|_| WordId::new()).collect();
        let mut doubled = words.clone();
        doubled.extend_from_slice(&words[..5]);
        let batches = PrepareContent::batches(learner, &doubled);
        assert_eq!(batches.len(), 2);
        assert_eq!(batches[0].words.len(), WORDS_PER_JOB);
        assert_eq!(batches[1].words.len(), 10);
        assert!(PrepareContent::batches(learner, &[]).is_empty());
    }

    #[test]
    fn the_job_id_depends_on_learner_and_words_only() {
        let learner = UserId::new();
        let (a, b) = (WordId::new(), WordId::new());
        let one = &PrepareContent::batches(learner, &[a, b])[0];
        let again = &PrepareContent::batches(learner, &[b, a, a])[0];
        assert_eq!(one.job_id(), again.job_id());
        let other = &PrepareContent::batches(UserId::new(), &[a, b])[0];
        assert_ne!(one.job_id(), other.job_id());
    }
}
