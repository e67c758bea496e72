//! The durable record of every job: the port the queue's PostgreSQL ledger implements.
//!
//! The broker (Redis streams) is the fast dispatch path and may lose its data; the ledger is
//! what a job is once a caller has been told it was accepted. A job is recorded before it is
//! dispatched, its outcomes are written after the broker accepted them, and the dispatcher
//! re-dispatches any unfinished job the broker no longer knows (see docs/job-queue.md).

use super::{JobId, JobRecord, JobStatus, NewJob, QueueError};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::time::Duration;

/// A job as the ledger holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct LedgerEntry {
    pub job: NewJob,
    pub status: JobStatus,
    pub attempts: u32,
    /// False until the broker has accepted the job (staged in a transaction, or the broker
    /// was down when it was accepted).
    pub dispatched: bool,
    /// Failed attempts to hand the job to the broker.
    pub dispatch_attempts: u32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub result: Option<Value>,
    /// Since when the broker has had no record of this dispatched, unfinished job.
    pub lost_at: Option<DateTime<Utc>>,
}

impl LedgerEntry {
    /// The job's status as the status endpoint shows it (no progress: that lives in the broker).
    pub fn record(&self) -> JobRecord {
        JobRecord {
            id: self.job.id,
            kind: self.job.kind.clone(),
            status: self.status,
            attempts: self.attempts,
            max_attempts: self.job.max_attempts,
            owner: self.job.owner,
            created_at: self.created_at,
            updated_at: self.updated_at,
            next_attempt_at: self.next_attempt_at,
            last_error: self.last_error.clone(),
            result: self.result.clone(),
            progress: None,
        }
    }
}

/// Whether `record` created the entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recorded {
    Created,
    /// Already recorded; `dispatched` tells whether the broker has it.
    Exists {
        dispatched: bool,
    },
}

/// A change of a recorded job, written after the broker accepted it.
#[derive(Debug, Clone, PartialEq)]
pub enum LedgerUpdate {
    /// Delivered to a worker; `attempts` made before this one.
    Running { attempts: u32 },
    /// Failed, runs again at `next_attempt_at`.
    Retrying {
        attempts: u32,
        error: String,
        next_attempt_at: DateTime<Utc>,
    },
    /// Will not run again.
    Finished {
        status: JobStatus,
        attempts: u32,
        result: Option<Value>,
        error: Option<String>,
    },
}

impl LedgerUpdate {
    /// The final state the broker reports for a job (used when reconciling).
    pub fn finished_from(record: &JobRecord) -> Self {
        Self::Finished {
            status: record.status,
            attempts: record.attempts,
            result: record.result.clone(),
            error: record.last_error.clone(),
        }
    }
}

/// What a failed hand-over to the broker did to the entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DispatchFailure {
    /// Tried again after the backoff.
    WillRetry,
    /// Gave up: the entry is dead and waits for an administrator to requeue it.
    Dead,
}

#[async_trait]
pub trait JobLedger: Send + Sync {
    /// Records an accepted job, undispatched, unless one with its id exists.
    async fn record(&self, job: &NewJob) -> Result<Recorded, QueueError>;
    /// The broker accepted the job: next compared with the broker after `check_in`.
    async fn mark_dispatched(&self, id: JobId, check_in: Duration) -> Result<(), QueueError>;
    /// Writes an outcome the broker accepted.
    async fn update(&self, id: JobId, update: LedgerUpdate) -> Result<(), QueueError>;
    async fn get(&self, id: JobId) -> Result<Option<LedgerEntry>, QueueError>;
    /// Up to `limit` unfinished entries that need the dispatcher, oldest first: undispatched
    /// ones whose backoff has passed, and dispatched ones due for a check against the broker.
    /// Each is hidden from other dispatchers for `lease`, so replicas share the work and a
    /// dispatcher that dies mid-pass only delays its entries.
    async fn claim_due(
        &self,
        limit: usize,
        lease: Duration,
    ) -> Result<Vec<LedgerEntry>, QueueError>;
    /// The broker did not take the job: counts the attempt and tries again after `retry_in`,
    /// or gives up (dead) once `give_up_after` attempts have failed.
    async fn dispatch_failed(
        &self,
        id: JobId,
        error: &str,
        retry_in: Duration,
        give_up_after: u32,
    ) -> Result<DispatchFailure, QueueError>;
    /// A dispatched, unfinished entry the broker still has: next checked after `check_in`.
    async fn checked(&self, id: JobId, check_in: Duration) -> Result<(), QueueError>;
    /// The broker has no record of this dispatched, unfinished entry: notes since when (kept
    /// if already noted) and looks again after `recheck_in`. Returns since when it is lost.
    async fn mark_lost(&self, id: JobId, recheck_in: Duration)
    -> Result<DateTime<Utc>, QueueError>;
    /// Failed and dead entries, newest first.
    async fn dead(&self, limit: usize) -> Result<Vec<LedgerEntry>, QueueError>;
    /// Puts a failed or dead entry back: undispatched, attempts reset. False when there is no
    /// such entry.
    async fn requeue(&self, id: JobId) -> Result<bool, QueueError>;
    /// Entries not yet handed to the broker.
    async fn backlog(&self) -> Result<i64, QueueError>;
    /// Deletes finished entries older than `older_than`; returns how many.
    async fn purge_finished(&self, older_than: Duration) -> Result<usize, QueueError>;
}
