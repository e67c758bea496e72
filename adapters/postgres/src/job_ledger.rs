//! The job ledger: the durable record of every job, and the transactional outbox.
//!
//! A job staged with the change it follows (`stage_job`, inside that change's transaction) or
//! recorded by the durable queue before it is dispatched gets one row, which stays until the
//! job is finished and purged. The dispatcher (`lingo_kernel::jobs::DurableJobs`) claims due
//! rows with one short statement each pass and talks to the broker outside any transaction.

use crate::pool::{PgPool, PoolError};
use crate::schema::jobs;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Timestamptz};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use lingo_kernel::jobs::{
    DispatchFailure, JobId, JobLedger, JobStatus, LedgerEntry, LedgerUpdate, NewJob, QueueError,
    Recorded,
};
use lingo_kernel::{Clock, UserId};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum OutboxError {
    #[error(transparent)]
    Pool(#[from] PoolError),
    #[error("database error: {0}")]
    Database(#[from] diesel::result::Error),
    #[error(transparent)]
    Queue(#[from] QueueError),
}

#[derive(Insertable)]
#[diesel(table_name = jobs)]
struct NewRow<'a> {
    job_id: uuid::Uuid,
    kind: &'a str,
    payload: &'a serde_json::Value,
    owner_id: Option<uuid::Uuid>,
    max_attempts: i32,
    trace: serde_json::Value,
}

impl<'a> NewRow<'a> {
    fn of(job: &'a NewJob) -> Self {
        Self {
            job_id: job.id.as_uuid(),
            kind: &job.kind,
            payload: &job.payload,
            owner_id: job.owner.map(|o| o.as_uuid()),
            max_attempts: i32::try_from(job.max_attempts).unwrap_or(i32::MAX),
            trace: serde_json::to_value(&job.trace).unwrap_or_default(),
        }
    }
}

#[derive(Queryable, QueryableByName, Selectable)]
#[diesel(table_name = jobs)]
struct Row {
    job_id: uuid::Uuid,
    kind: String,
    payload: serde_json::Value,
    owner_id: Option<uuid::Uuid>,
    max_attempts: i32,
    trace: serde_json::Value,
    created_at: DateTime<Utc>,
    dispatched_at: Option<DateTime<Utc>>,
    dispatch_attempts: i32,
    last_error: Option<String>,
    status: String,
    attempts: i32,
    updated_at: DateTime<Utc>,
    next_attempt_at: Option<DateTime<Utc>>,
    result: Option<serde_json::Value>,
    lost_at: Option<DateTime<Utc>>,
}

impl Row {
    fn into_entry(self) -> LedgerEntry {
        let trace: BTreeMap<String, String> =
            serde_json::from_value(self.trace).unwrap_or_default();
        LedgerEntry {
            job: NewJob {
                id: JobId::from_uuid(self.job_id),
                kind: self.kind,
                payload: self.payload,
                owner: self.owner_id.map(UserId::from_uuid),
                max_attempts: u32::try_from(self.max_attempts).unwrap_or(1),
                trace,
            },
            // The CHECK constraint admits only known statuses.
            status: JobStatus::parse(&self.status).unwrap_or(JobStatus::Queued),
            attempts: u32::try_from(self.attempts).unwrap_or(0),
            dispatched: self.dispatched_at.is_some(),
            dispatch_attempts: u32::try_from(self.dispatch_attempts).unwrap_or(0),
            created_at: self.created_at,
            updated_at: self.updated_at,
            next_attempt_at: self.next_attempt_at,
            last_error: self.last_error,
            result: self.result,
            lost_at: self.lost_at,
        }
    }
}

/// Writes `job` to the ledger on `conn`, which the caller has inside the transaction of the
/// change the job follows: both commit or neither does. The dispatcher hands it to the broker.
pub async fn stage_job(conn: &mut AsyncPgConnection, job: &NewJob) -> Result<(), OutboxError> {
    diesel::insert_into(jobs::table)
        .values(&NewRow::of(job))
        .on_conflict(jobs::job_id)
        .do_nothing()
        .execute(conn)
        .await?;
    Ok(())
}

const UNFINISHED: [&str; 2] = ["queued", "running"];

/// The ledger on PostgreSQL; `clock` stamps and ages its rows.
#[derive(Clone)]
pub struct PgJobLedger {
    pool: PgPool,
    clock: Arc<dyn Clock>,
}

fn unavailable(e: impl std::fmt::Display) -> QueueError {
    QueueError::Unavailable(format!("job ledger: {e}"))
}

fn later(now: DateTime<Utc>, after: Duration) -> DateTime<Utc> {
    now + chrono::Duration::from_std(after).unwrap_or_else(|_| chrono::Duration::hours(1))
}

fn count(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

impl PgJobLedger {
    pub fn new(pool: PgPool, clock: Arc<dyn Clock>) -> Self {
        Self { pool, clock }
    }

    /// Stages a job in its own transaction (for callers with no change of their own to make).
    pub async fn stage(&self, job: &NewJob) -> Result<(), OutboxError> {
        let mut conn = self.pool.get().await?;
        stage_job(&mut conn, job).await
    }

    async fn conn(
        &self,
    ) -> Result<diesel_async::pooled_connection::deadpool::Object<AsyncPgConnection>, QueueError>
    {
        self.pool.get().await.map_err(unavailable)
    }

    fn job(id: JobId) -> jobs::BoxedQuery<'static, diesel::pg::Pg> {
        jobs::table
            .filter(jobs::job_id.eq(id.as_uuid()))
            .into_boxed()
    }
}

#[async_trait]
impl JobLedger for PgJobLedger {
    async fn record(&self, job: &NewJob) -> Result<Recorded, QueueError> {
        let mut conn = self.conn().await?;
        let inserted = diesel::insert_into(jobs::table)
            .values(&NewRow::of(job))
            .on_conflict(jobs::job_id)
            .do_nothing()
            .execute(&mut conn)
            .await
            .map_err(unavailable)?;
        if inserted == 1 {
            return Ok(Recorded::Created);
        }
        let dispatched: Option<DateTime<Utc>> = Self::job(job.id)
            .select(jobs::dispatched_at)
            .first(&mut conn)
            .await
            .map_err(unavailable)?;
        Ok(Recorded::Exists {
            dispatched: dispatched.is_some(),
        })
    }

    async fn mark_dispatched(&self, id: JobId, check_in: Duration) -> Result<(), QueueError> {
        let now = self.clock.now();
        let mut conn = self.conn().await?;
        diesel::update(jobs::table.filter(jobs::job_id.eq(id.as_uuid())))
            .set((
                jobs::dispatched_at.eq(now),
                jobs::check_after.eq(later(now, check_in)),
                jobs::lost_at.eq(None::<DateTime<Utc>>),
            ))
            .execute(&mut conn)
            .await
            .map_err(unavailable)?;
        Ok(())
    }

    async fn update(&self, id: JobId, update: LedgerUpdate) -> Result<(), QueueError> {
        let now = self.clock.now();
        let mut conn = self.conn().await?;
        // Only unfinished rows change: a late or repeated write never reopens a finished job.
        let target = jobs::table
            .filter(jobs::job_id.eq(id.as_uuid()))
            .filter(jobs::status.eq_any(UNFINISHED));
        let changed = match update {
            LedgerUpdate::Running { attempts } => {
                diesel::update(target)
                    .set((
                        jobs::status.eq(JobStatus::Running.as_str()),
                        jobs::attempts.eq(count(attempts)),
                        jobs::next_attempt_at.eq(None::<DateTime<Utc>>),
                        jobs::updated_at.eq(now),
                    ))
                    .execute(&mut conn)
                    .await
            }
            LedgerUpdate::Retrying {
                attempts,
                error,
                next_attempt_at,
            } => {
                diesel::update(target)
                    .set((
                        jobs::status.eq(JobStatus::Queued.as_str()),
                        jobs::attempts.eq(count(attempts)),
                        jobs::last_error.eq(error),
                        jobs::next_attempt_at.eq(next_attempt_at),
                        jobs::updated_at.eq(now),
                    ))
                    .execute(&mut conn)
                    .await
            }
            LedgerUpdate::Finished {
                status,
                attempts,
                result,
                error,
            } => {
                diesel::update(target)
                    .set((
                        jobs::status.eq(status.as_str()),
                        jobs::attempts.eq(count(attempts)),
                        jobs::result.eq(result),
                        jobs::last_error.eq(error),
                        jobs::next_attempt_at.eq(None::<DateTime<Utc>>),
                        jobs::updated_at.eq(now),
                        jobs::finished_at.eq(now),
                    ))
                    .execute(&mut conn)
                    .await
            }
        };
        changed.map_err(unavailable)?;
        Ok(())
    }

    async fn get(&self, id: JobId) -> Result<Option<LedgerEntry>, QueueError> {
        let mut conn = self.conn().await?;
        let row: Option<Row> = Self::job(id)
            .select(Row::as_select())
            .first(&mut conn)
            .await
            .optional()
            .map_err(unavailable)?;
        Ok(row.map(Row::into_entry))
    }

    async fn claim_due(
        &self,
        limit: usize,
        lease: Duration,
    ) -> Result<Vec<LedgerEntry>, QueueError> {
        let now = self.clock.now();
        let mut conn = self.conn().await?;
        let rows: Vec<Row> = diesel::sql_query(
            "UPDATE jobs SET check_after = $2 \
             WHERE id IN (SELECT id FROM jobs \
                          WHERE status IN ('queued', 'running') AND check_after <= $1 \
                          ORDER BY check_after, id LIMIT $3 FOR UPDATE SKIP LOCKED) \
             RETURNING job_id, kind, payload, owner_id, max_attempts, trace, created_at, \
                       dispatched_at, dispatch_attempts, last_error, status, attempts, \
                       updated_at, next_attempt_at, result, lost_at",
        )
        .bind::<Timestamptz, _>(now)
        .bind::<Timestamptz, _>(later(now, lease))
        .bind::<BigInt, _>(i64::try_from(limit).unwrap_or(i64::MAX))
        .load(&mut conn)
        .await
        .map_err(unavailable)?;
        let mut entries: Vec<LedgerEntry> = rows.into_iter().map(Row::into_entry).collect();
        entries.sort_by_key(|e| e.created_at);
        Ok(entries)
    }

    async fn dispatch_failed(
        &self,
        id: JobId,
        error: &str,
        retry_in: Duration,
        give_up_after: u32,
    ) -> Result<DispatchFailure, QueueError> {
        let now = self.clock.now();
        let mut conn = self.conn().await?;
        let attempts: i32 = diesel::update(jobs::table.filter(jobs::job_id.eq(id.as_uuid())))
            .set((
                jobs::dispatch_attempts.eq(jobs::dispatch_attempts + 1),
                jobs::last_error.eq(error),
                jobs::check_after.eq(later(now, retry_in)),
            ))
            .returning(jobs::dispatch_attempts)
            .get_result(&mut conn)
            .await
            .map_err(unavailable)?;
        if attempts < count(give_up_after) {
            return Ok(DispatchFailure::WillRetry);
        }
        diesel::update(jobs::table.filter(jobs::job_id.eq(id.as_uuid())))
            .set((
                jobs::status.eq(JobStatus::Dead.as_str()),
                jobs::last_error.eq(format!(
                    "not handed to the queue after {attempts} attempts: {error}"
                )),
                jobs::updated_at.eq(now),
                jobs::finished_at.eq(now),
            ))
            .execute(&mut conn)
            .await
            .map_err(unavailable)?;
        Ok(DispatchFailure::Dead)
    }

    async fn checked(&self, id: JobId, check_in: Duration) -> Result<(), QueueError> {
        let now = self.clock.now();
        let mut conn = self.conn().await?;
        diesel::update(jobs::table.filter(jobs::job_id.eq(id.as_uuid())))
            .set((
                jobs::check_after.eq(later(now, check_in)),
                jobs::lost_at.eq(None::<DateTime<Utc>>),
            ))
            .execute(&mut conn)
            .await
            .map_err(unavailable)?;
        Ok(())
    }

    async fn mark_lost(
        &self,
        id: JobId,
        recheck_in: Duration,
    ) -> Result<DateTime<Utc>, QueueError> {
        let now = self.clock.now();
        let mut conn = self.conn().await?;
        let since: Option<DateTime<Utc>> =
            diesel::update(jobs::table.filter(jobs::job_id.eq(id.as_uuid())))
                .set((
                    jobs::lost_at.eq(
                        diesel::dsl::sql::<diesel::sql_types::Nullable<Timestamptz>>(
                            "coalesce(lost_at, ",
                        )
                        .bind::<Timestamptz, _>(now)
                        .sql(")"),
                    ),
                    jobs::check_after.eq(later(now, recheck_in)),
                ))
                .returning(jobs::lost_at)
                .get_result(&mut conn)
                .await
                .map_err(unavailable)?;
        Ok(since.unwrap_or(now))
    }

    async fn dead(&self, limit: usize) -> Result<Vec<LedgerEntry>, QueueError> {
        let mut conn = self.conn().await?;
        let rows: Vec<Row> = jobs::table
            .filter(jobs::status.eq_any(["failed", "dead"]))
            .order(jobs::finished_at.desc())
            .limit(i64::try_from(limit).unwrap_or(i64::MAX))
            .select(Row::as_select())
            .load(&mut conn)
            .await
            .map_err(unavailable)?;
        Ok(rows.into_iter().map(Row::into_entry).collect())
    }

    async fn requeue(&self, id: JobId) -> Result<bool, QueueError> {
        let now = self.clock.now();
        let mut conn = self.conn().await?;
        let changed = diesel::update(
            jobs::table
                .filter(jobs::job_id.eq(id.as_uuid()))
                .filter(jobs::status.eq_any(["failed", "dead"])),
        )
        .set((
            jobs::status.eq(JobStatus::Queued.as_str()),
            jobs::attempts.eq(0),
            jobs::dispatch_attempts.eq(0),
            jobs::dispatched_at.eq(None::<DateTime<Utc>>),
            jobs::finished_at.eq(None::<DateTime<Utc>>),
            jobs::result.eq(None::<serde_json::Value>),
            jobs::lost_at.eq(None::<DateTime<Utc>>),
            jobs::check_after.eq(now),
            jobs::updated_at.eq(now),
        ))
        .execute(&mut conn)
        .await
        .map_err(unavailable)?;
        Ok(changed == 1)
    }

    async fn backlog(&self) -> Result<i64, QueueError> {
        let mut conn = self.conn().await?;
        jobs::table
            .filter(jobs::dispatched_at.is_null())
            .filter(jobs::status.eq_any(UNFINISHED))
            .count()
            .get_result(&mut conn)
            .await
            .map_err(unavailable)
    }

    async fn purge_finished(&self, older_than: Duration) -> Result<usize, QueueError> {
        let cutoff: DateTime<Utc> = self.clock.now()
            - chrono::Duration::from_std(older_than).unwrap_or(chrono::Duration::days(7));
        let mut conn = self.conn().await?;
        diesel::delete(jobs::table.filter(jobs::finished_at.lt(cutoff)))
            .execute(&mut conn)
            .await
            .map_err(unavailable)
    }
}
