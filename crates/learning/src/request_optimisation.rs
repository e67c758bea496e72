//! A learner asks for their FSRS parameters to be fitted to their review history: one request a
//! local day counts (asking again the same day names the same job).

use crate::optimise::requested_job;
use crate::ports::{LearnerProfiles, LearningStoreError};
use lingo_kernel::jobs::{JobId, JobQueue, QueueError};
use lingo_kernel::{Clock, UserId};
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum OptimiseRequestError {
    #[error(transparent)]
    Store(#[from] LearningStoreError),
    #[error(transparent)]
    Queue(#[from] QueueError),
}

#[derive(Clone)]
pub struct OptimiseRequestService {
    profiles: Arc<dyn LearnerProfiles>,
    queue: Arc<dyn JobQueue>,
    clock: Arc<dyn Clock>,
}

impl OptimiseRequestService {
    pub fn new(
        profiles: Arc<dyn LearnerProfiles>,
        queue: Arc<dyn JobQueue>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            profiles,
            queue,
            clock,
        }
    }

    /// Enqueues today's optimisation of the learner (once per local day) and returns its id.
    pub async fn request(&self, learner: UserId) -> Result<JobId, OptimiseRequestError> {
        let profile = self.profiles.profile(learner).await?;
        let today = crate::local_day::today(
            self.clock.now(),
            profile.timezone.tz(),
            profile.day_rollover_hour,
        );
        let job = requested_job(learner, today).map_err(|e| QueueError::Encoding(e.to_string()))?;
        let id = job.id;
        self.queue.enqueue(job).await?;
        Ok(id)
    }
}
