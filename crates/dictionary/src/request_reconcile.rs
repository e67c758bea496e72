//! An administrator or an operator asks for a source's word rows to be reconciled with its
//! entries. The job's identity is decided here: one per source, language and (UTC) day, so
//! asking twice the same day names the same job and a later day runs it again.

use crate::reconcile::ReconcileWords;
use chrono::NaiveDate;
use lingo_kernel::jobs::{Enqueued, Job, JobId, JobQueue, JobRequestError, NewJob, QueueError};
use lingo_kernel::{Caller, Clock};
use std::sync::Arc;

const JOB_ID_NAMESPACE: uuid::Uuid =
    uuid::Uuid::from_u128(0x6c69_6e67_6f2d_6469_6374_2d72_6563_0000);

pub struct ReconcileRequestService {
    queue: Arc<dyn JobQueue>,
    clock: Arc<dyn Clock>,
}

impl ReconcileRequestService {
    pub fn new(queue: Arc<dyn JobQueue>, clock: Arc<dyn Clock>) -> Self {
        Self { queue, clock }
    }

    /// Enqueues the reconciliation (administrators only); the job is owned by the caller.
    pub async fn request(
        &self,
        caller: Caller,
        job: ReconcileWords,
    ) -> Result<JobId, JobRequestError> {
        caller.require_admin()?;
        let new = reconcile_job(&job, self.clock.now().date_naive())?.owned_by(caller.user);
        let id = new.id;
        self.queue.enqueue(new).await?;
        Ok(id)
    }

    /// Enqueues the reconciliation for an operator on the server (`lingo-admin`); says whether
    /// the job is new or was there already.
    pub async fn request_as_operator(
        &self,
        job: ReconcileWords,
    ) -> Result<(JobId, Enqueued), QueueError> {
        let new = reconcile_job(&job, self.clock.now().date_naive())?;
        let id = new.id;
        Ok((id, self.queue.enqueue(new).await?))
    }
}

/// The reconciliation of `job`'s source and language on `day`.
pub fn reconcile_job(job: &ReconcileWords, day: NaiveDate) -> Result<NewJob, QueueError> {
    let name = format!(
        "{}|{}|{}|{day}",
        ReconcileWords::NAME,
        job.source,
        job.language
    );
    let id = uuid::Uuid::new_v5(&JOB_ID_NAMESPACE, name.as_bytes());
    Ok(NewJob::of(job)
        .map_err(|e| QueueError::Encoding(e.to_string()))?
        .with_id(JobId::from_uuid(id)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SourceId;
    use lingo_kernel::LanguageCode;

    fn job(source: &str) -> ReconcileWords {
        ReconcileWords {
            language: LanguageCode::english(),
            source: SourceId::parse(source).expect("valid"),
        }
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).expect("valid date")
    }

    #[test]
    fn one_source_is_one_job_a_day() {
        let id = |source: &str, d: u32| reconcile_job(&job(source), day(d)).expect("job").id;
        assert_eq!(id("wordnet-3.0", 2), id("wordnet-3.0", 2));
        assert_ne!(id("wordnet-3.0", 2), id("wordnet-3.0", 3));
        assert_ne!(id("wordnet-3.0", 2), id("kaikki-en", 2));
    }
}
