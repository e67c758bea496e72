//! The job queue every process uses: a broker for fast dispatch behind a durable ledger.
//!
//! - enqueue records the job in the ledger first (the caller is told "accepted" only once it is
//!   recorded), then hands it to the broker; if the broker is down, the dispatcher hands it over
//!   later;
//! - outcomes go to the broker (fenced by the delivery token) and, once it accepted them, to the
//!   ledger;
//! - the dispatcher (`dispatch_pass`, run by every worker) hands undispatched entries to the
//!   broker and compares dispatched unfinished ones with it: a job the broker lost (restart
//!   without persistence, FLUSHALL, failover) is dispatched again, a job the broker finished
//!   but whose ledger write was lost is finished in the ledger;
//! - status reads fall back to the ledger when the broker has no record or is down.

use super::ledger::{DispatchFailure, JobLedger, LedgerEntry, LedgerUpdate, Recorded};
use super::{
    DeadJob, DeadLetters, Delivery, Enqueued, JobConsumer, JobId, JobProgress, JobQueue, JobRecord,
    JobStatus, NewJob, QueueError, QueueStats, Terminal,
};
use crate::Clock;
use async_trait::async_trait;
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;

/// The broker: the fast, possibly forgetful, dispatch path (Redis streams in production).
pub trait JobBroker: JobQueue + JobConsumer + DeadLetters {}

impl<T: JobQueue + JobConsumer + DeadLetters> JobBroker for T {}

#[derive(Debug, Clone)]
pub struct DispatchSettings {
    /// How often a dispatched, unfinished job is compared with the broker. Bounds how long a
    /// job the broker lost waits before it is dispatched again.
    pub check_every: Duration,
    /// How long a claimed entry is hidden from other dispatchers.
    pub lease: Duration,
    /// Failed hand-overs before an entry is dead (a poison row); the backoff between them
    /// doubles from one second up to `max_backoff`, so an outage of minutes is outlasted.
    pub give_up_after: u32,
    pub max_backoff: Duration,
    /// How long a job the ledger saw running must be missing from the broker before it is
    /// dispatched again: at least the queue's visibility timeout, within which a worker that
    /// lost its delivery notices (its heartbeat fails) and cancels the job. So a lost job is
    /// never run twice at once.
    pub lost_grace: Duration,
}

impl Default for DispatchSettings {
    fn default() -> Self {
        Self {
            check_every: Duration::from_secs(30),
            lease: Duration::from_secs(30),
            give_up_after: 12,
            max_backoff: Duration::from_secs(60),
            lost_grace: Duration::from_secs(65),
        }
    }
}

/// What one dispatcher pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DispatchReport {
    /// Entries looked at.
    pub claimed: usize,
    /// Handed to the broker for the first time.
    pub dispatched: usize,
    /// Dispatched again because the broker had lost them.
    pub redispatched: usize,
    /// Finished in the ledger from the broker's record.
    pub synced: usize,
    /// Hand-overs that failed (retried later, or dead).
    pub failed: usize,
}

/// The durable job queue. Cheap to clone.
#[derive(Clone)]
pub struct DurableJobs {
    ledger: Arc<dyn JobLedger>,
    broker: Arc<dyn JobBroker>,
    clock: Arc<dyn Clock>,
    settings: DispatchSettings,
}

impl DurableJobs {
    pub fn new(
        ledger: Arc<dyn JobLedger>,
        broker: Arc<dyn JobBroker>,
        clock: Arc<dyn Clock>,
        settings: DispatchSettings,
    ) -> Self {
        Self {
            ledger,
            broker,
            clock,
            settings,
        }
    }

    pub fn ledger(&self) -> &Arc<dyn JobLedger> {
        &self.ledger
    }

    /// One dispatcher pass over up to `limit` due entries. Each entry costs one broker call and
    /// one short ledger statement; no ledger transaction stays open across broker calls.
    pub async fn dispatch_pass(&self, limit: usize) -> Result<DispatchReport, QueueError> {
        let due = self.ledger.claim_due(limit, self.settings.lease).await?;
        let mut report = DispatchReport {
            claimed: due.len(),
            ..DispatchReport::default()
        };
        if due.is_empty() {
            return Ok(report);
        }
        // The queue's own visibility timeout decides how long a worker may take to notice it
        // lost a delivery, whatever this process was configured with.
        let grace = match self.broker.visibility_timeout().await {
            Ok(visibility) => self
                .settings
                .lost_grace
                .max(visibility + Duration::from_secs(5)),
            Err(_) => self.settings.lost_grace,
        };
        for entry in due {
            let id = entry.job.id;
            if !entry.dispatched {
                let failed_before = report.failed;
                self.hand_over(&entry, &mut report).await?;
                if report.failed == failed_before {
                    report.dispatched += 1;
                }
                continue;
            }
            match self.broker.status(id).await? {
                None => {
                    if entry.status == JobStatus::Running
                        && !self.lost_long_enough(&entry, grace).await?
                    {
                        continue;
                    }
                    tracing::warn!(job.id = %id, job.kind = %entry.job.kind,
                        "the broker lost an unfinished job; dispatching it again");
                    let failed_before = report.failed;
                    self.hand_over(&entry, &mut report).await?;
                    if report.failed == failed_before {
                        report.redispatched += 1;
                    }
                }
                Some(record) if record.status.is_final() => {
                    self.ledger
                        .update(id, LedgerUpdate::finished_from(&record))
                        .await?;
                    report.synced += 1;
                }
                Some(_) => self.ledger.checked(id, self.settings.check_every).await?,
            }
        }
        Ok(report)
    }

    /// For a job that was running when the broker lost it: true once it has been missing for
    /// the grace period (its worker has stopped it by then); until then, notes it and waits.
    async fn lost_long_enough(
        &self,
        entry: &LedgerEntry,
        grace: Duration,
    ) -> Result<bool, QueueError> {
        let wait =
            chrono::Duration::from_std(grace).unwrap_or_else(|_| chrono::Duration::minutes(1));
        let now = self.clock.now();
        if entry.lost_at.is_some_and(|since| now - since >= wait) {
            return Ok(true);
        }
        let since = self.ledger.mark_lost(entry.job.id, grace).await?;
        Ok(now - since >= wait)
    }

    /// Gives the entry to the broker; a broker error is recorded on the entry, a ledger error
    /// ends the pass.
    async fn hand_over(
        &self,
        entry: &LedgerEntry,
        report: &mut DispatchReport,
    ) -> Result<(), QueueError> {
        let id = entry.job.id;
        match self.broker.enqueue(entry.job.clone()).await {
            Ok(_) => {
                self.ledger
                    .mark_dispatched(id, self.settings.check_every)
                    .await
            }
            Err(e) => {
                report.failed += 1;
                let backoff = backoff(entry.dispatch_attempts, self.settings.max_backoff);
                let how = self
                    .ledger
                    .dispatch_failed(id, &e.to_string(), backoff, self.settings.give_up_after)
                    .await?;
                if how == DispatchFailure::Dead {
                    tracing::error!(job.id = %id, error = %e,
                        "job could not be handed to the broker; dead until requeued");
                }
                // The broker being down fails every entry alike: stop here, retry next pass.
                if matches!(e, QueueError::Unavailable(_)) {
                    return Err(e);
                }
                Ok(())
            }
        }
    }

    /// Writes an outcome to the ledger after the broker accepted it. A failed write is not an
    /// error of the outcome: the dispatcher finds the finished job in the broker and copies it.
    async fn follow(&self, id: JobId, update: LedgerUpdate) {
        if let Err(e) = self.ledger.update(id, update).await {
            tracing::warn!(job.id = %id, error = %e,
                "job outcome not written to the ledger; the dispatcher will copy it");
        }
    }
}

/// 1 s, 2 s, 4 s … up to `max`.
fn backoff(failed: u32, max: Duration) -> Duration {
    Duration::from_secs(1u64 << failed.min(16)).min(max)
}

#[async_trait]
impl JobQueue for DurableJobs {
    async fn enqueue(&self, job: NewJob) -> Result<Enqueued, QueueError> {
        let recorded = self.ledger.record(&job).await?;
        if recorded == (Recorded::Exists { dispatched: true }) {
            return Ok(Enqueued::AlreadyExists);
        }
        let id = job.id;
        match self.broker.enqueue(job).await {
            Ok(_) => {
                if let Err(e) = self
                    .ledger
                    .mark_dispatched(id, self.settings.check_every)
                    .await
                {
                    tracing::warn!(job.id = %id, error = %e, "dispatch not marked; the dispatcher will check");
                }
            }
            Err(e) => {
                tracing::warn!(job.id = %id, error = %e, "broker unavailable; the job is recorded and the dispatcher will hand it over");
            }
        }
        Ok(match recorded {
            Recorded::Created => Enqueued::Created,
            Recorded::Exists { .. } => Enqueued::AlreadyExists,
        })
    }

    async fn status(&self, id: JobId) -> Result<Option<JobRecord>, QueueError> {
        match self.broker.status(id).await {
            Ok(Some(record)) => Ok(Some(record)),
            Ok(None) => Ok(self.ledger.get(id).await?.map(|e| e.record())),
            Err(broker) => match self.ledger.get(id).await {
                Ok(entry) => Ok(entry.map(|e| e.record())),
                Err(_) => Err(broker),
            },
        }
    }

    async fn stats(&self) -> Result<QueueStats, QueueError> {
        self.broker.stats().await
    }
}

#[async_trait]
impl JobConsumer for DurableJobs {
    async fn fetch(
        &self,
        consumer: &str,
        max: usize,
        block: Duration,
    ) -> Result<Vec<Delivery>, QueueError> {
        let deliveries = self.broker.fetch(consumer, max, block).await?;
        for delivery in &deliveries {
            let attempts = delivery.envelope.attempts;
            self.follow(delivery.envelope.id, LedgerUpdate::Running { attempts })
                .await;
        }
        Ok(deliveries)
    }

    async fn heartbeat(
        &self,
        consumer: &str,
        receipts: &[String],
    ) -> Result<Vec<String>, QueueError> {
        self.broker.heartbeat(consumer, receipts).await
    }

    async fn visibility_timeout(&self) -> Result<Duration, QueueError> {
        self.broker.visibility_timeout().await
    }

    async fn report_progress(
        &self,
        delivery: &Delivery,
        progress: &JobProgress,
    ) -> Result<(), QueueError> {
        self.broker.report_progress(delivery, progress).await
    }

    async fn succeed(&self, delivery: &Delivery, result: Value) -> Result<(), QueueError> {
        self.broker.succeed(delivery, result.clone()).await?;
        let update = LedgerUpdate::Finished {
            status: JobStatus::Succeeded,
            attempts: delivery.envelope.attempts + 1,
            result: Some(result),
            error: None,
        };
        self.follow(delivery.envelope.id, update).await;
        Ok(())
    }

    async fn retry_later(
        &self,
        delivery: &Delivery,
        error: &str,
        delay: Duration,
    ) -> Result<(), QueueError> {
        self.broker.retry_later(delivery, error, delay).await?;
        let next = self.clock.now()
            + chrono::Duration::from_std(delay).unwrap_or_else(|_| chrono::Duration::hours(1));
        let update = LedgerUpdate::Retrying {
            attempts: delivery.envelope.attempts + 1,
            error: error.to_owned(),
            next_attempt_at: next,
        };
        self.follow(delivery.envelope.id, update).await;
        Ok(())
    }

    async fn postpone(
        &self,
        delivery: &Delivery,
        reason: &str,
        delay: Duration,
    ) -> Result<(), QueueError> {
        self.broker.postpone(delivery, reason, delay).await
    }

    async fn bury(
        &self,
        delivery: &Delivery,
        how: Terminal,
        reason: &str,
    ) -> Result<(), QueueError> {
        self.broker.bury(delivery, how, reason).await?;
        let update = LedgerUpdate::Finished {
            status: match how {
                Terminal::Failed => JobStatus::Failed,
                Terminal::Dead => JobStatus::Dead,
            },
            attempts: delivery.envelope.attempts + 1,
            result: None,
            error: Some(reason.to_owned()),
        };
        self.follow(delivery.envelope.id, update).await;
        Ok(())
    }

    async fn release(&self, delivery: &Delivery) -> Result<(), QueueError> {
        self.broker.release(delivery).await
    }
}

#[async_trait]
impl DeadLetters for DurableJobs {
    /// The broker's dead letters (with the raw text of unusable messages) and the ledger's dead
    /// jobs the broker no longer has, newest first.
    async fn list(&self, limit: usize) -> Result<Vec<DeadJob>, QueueError> {
        let mut letters = match self.broker.list(limit).await {
            Ok(letters) => letters,
            Err(e) => {
                tracing::warn!(error = %e, "broker dead letters unavailable; listing the ledger's");
                Vec::new()
            }
        };
        for entry in self.ledger.dead(limit).await? {
            if letters.iter().any(|l| l.job_id == Some(entry.job.id)) {
                continue;
            }
            letters.push(DeadJob {
                entry_id: entry.job.id.to_string(),
                job_id: Some(entry.job.id),
                kind: Some(entry.job.kind.clone()),
                reason: entry.last_error.clone().unwrap_or_default(),
                raw: None,
                dead_at: entry.updated_at,
            });
        }
        letters.sort_by_key(|l| std::cmp::Reverse(l.dead_at));
        letters.truncate(limit);
        Ok(letters)
    }

    async fn requeue(&self, id: JobId) -> Result<bool, QueueError> {
        let in_ledger = self.ledger.requeue(id).await?;
        let in_broker = self.broker.requeue(id).await.unwrap_or_else(|e| {
            tracing::warn!(job.id = %id, error = %e, "broker requeue failed; the dispatcher will hand the job over");
            false
        });
        Ok(in_ledger || in_broker)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dispatch_backoff_doubles_up_to_its_cap() {
        let max = Duration::from_secs(60);
        assert_eq!(backoff(0, max), Duration::from_secs(1));
        assert_eq!(backoff(3, max), Duration::from_secs(8));
        assert_eq!(backoff(10, max), max);
        assert_eq!(backoff(u32::MAX, max), max);
    }
}
