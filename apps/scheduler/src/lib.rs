//! The scheduler: a table of cron entries that enqueue jobs. Any number of replicas may run;
//! one holds a lease in Redis and fires, and every tick enqueues exactly once:
//! - the lease has a fencing token that grows at each change of holder; a tick is claimed in
//!   Redis under that token, so a stale leader (paused, lease lost) cannot fire it again;
//! - the job id is derived from (entry, tick), and the job queue records every job in its
//!   PostgreSQL ledger idempotently on that id, so even a duplicate enqueue is a no-op;
//! - a tick is enqueued first and claimed after: a leader that dies in between, or an enqueue
//!   that fails (PostgreSQL down), leaves the tick unclaimed, and it is enqueued on a later pass;
//! - a new leader looks back over the last few lease periods (and at least two minutes), so
//!   ticks missed while no replica held the lease, or while the job store was down, still fire
//!   (once).

mod schedule;

pub use schedule::{Entry, ScheduleError, parse_schedule};

use chrono::{DateTime, Utc};
use lingo_kernel::Clock;
use lingo_kernel::jobs::{Enqueued, JobId, JobQueue, NewJob};
use lingo_redis::RedisLease;
use std::sync::Arc;
use std::time::Duration;

/// Namespace of the deterministic ids of scheduled jobs.
const JOB_ID_NAMESPACE: uuid::Uuid =
    uuid::Uuid::from_u128(0x6c69_6e67_6f2d_7363_6865_6475_6c65_7200);

pub struct Scheduler {
    lease: RedisLease,
    queue: Arc<dyn JobQueue>,
    entries: Vec<Entry>,
    /// Where each wake-up reads "now".
    clock: Arc<dyn Clock>,
    /// How often the loop wakes up; also the lease renewal period.
    pub tick: Duration,
    /// How far back a newly elected leader looks for missed ticks.
    pub lookback: Duration,
}

/// The id of the job that `entry` enqueues at `tick`: the same on every replica.
pub fn job_id(entry: &str, tick: DateTime<Utc>) -> JobId {
    let name = format!("{entry}@{}", tick.timestamp_millis());
    JobId::from_uuid(uuid::Uuid::new_v5(&JOB_ID_NAMESPACE, name.as_bytes()))
}

impl Scheduler {
    pub fn new(
        lease: RedisLease,
        queue: Arc<dyn JobQueue>,
        entries: Vec<Entry>,
        tick: Duration,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            lease,
            queue,
            entries,
            clock,
            tick,
            lookback: tick * 3,
        }
    }

    /// Runs until `shutdown` resolves; returns how many ticks this replica fired.
    pub async fn run(self, shutdown: impl std::future::Future<Output = ()>) -> u64 {
        tokio::pin!(shutdown);
        let mut fired = 0;
        loop {
            fired += self.pass(self.clock.now()).await;
            tokio::select! {
                () = &mut shutdown => break,
                () = tokio::time::sleep(self.tick) => {},
            }
        }
        if let Err(e) = self.lease.release().await {
            tracing::warn!(error = %e, "lease not released; it expires by itself");
        }
        fired
    }

    /// One wake-up: renew or take the lease, then fire every due tick not fired yet.
    pub async fn pass(&self, now: DateTime<Utc>) -> u64 {
        let lease = match self.lease.acquire_or_renew().await {
            Ok(Some(lease)) => lease,
            Ok(None) => return 0,
            Err(e) => {
                tracing::warn!(error = %e, "scheduler lease unavailable");
                return 0;
            }
        };
        let since = now - chrono::Duration::from_std(self.lookback).unwrap_or_default();
        let mut fired = 0;
        for entry in &self.entries {
            for tick in entry.ticks_between(since, now) {
                let tick_ms = tick.timestamp_millis();
                match self.lease.fired(&entry.job, tick_ms).await {
                    Ok(false) => {}
                    Ok(true) => continue,
                    Err(e) => {
                        tracing::warn!(error = %e, entry = %entry.job, "tick state unavailable");
                        continue;
                    }
                }
                let Some(enqueued) = self.enqueue(entry, tick).await else {
                    continue;
                };
                match self.lease.claim_tick(lease, &entry.job, tick_ms).await {
                    // A job already there was enqueued by a leader that died before claiming.
                    Ok(true) => fired += u64::from(enqueued == Enqueued::Created),
                    Ok(false) => {}
                    Err(e) => tracing::warn!(error = %e, entry = %entry.job, "tick not claimed"),
                }
            }
        }
        fired
    }

    /// `Some` once the job is recorded (created now or before); `None` leaves the tick for a
    /// later pass.
    async fn enqueue(&self, entry: &Entry, tick: DateTime<Utc>) -> Option<Enqueued> {
        let job = NewJob {
            id: job_id(&entry.job, tick),
            kind: entry.job.clone(),
            payload: serde_json::json!({}),
            owner: None,
            max_attempts: 3,
            trace: Default::default(),
        };
        for attempt in 1..=3 {
            match self.queue.enqueue(job.clone()).await {
                Ok(enqueued) => {
                    tracing::info!(entry = %entry.job, %tick, job.id = %job.id, "scheduled job enqueued");
                    return Some(enqueued);
                }
                Err(e) if attempt < 3 => {
                    tracing::warn!(error = %e, attempt, "enqueue failed; retrying");
                    tokio::time::sleep(Duration::from_millis(200 * attempt)).await;
                }
                Err(e) => tracing::warn!(
                    error = %e, entry = %entry.job, %tick,
                    "scheduled job not enqueued; tried again on the next pass"
                ),
            }
        }
        None
    }
}
