//! The transactional outbox: jobs written with the change they follow, relayed to the queue.

use crate::pool::{PgPool, PoolError};
use crate::schema::outbox;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use lingo_kernel::jobs::{JobId, JobQueue, NewJob, QueueError};
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
#[diesel(table_name = outbox)]
struct NewRow<'a> {
    job_id: uuid::Uuid,
    kind: &'a str,
    payload: &'a serde_json::Value,
    owner_id: Option<uuid::Uuid>,
    max_attempts: i32,
    trace: serde_json::Value,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = outbox)]
struct Row {
    id: i64,
    job_id: uuid::Uuid,
    kind: String,
    payload: serde_json::Value,
    owner_id: Option<uuid::Uuid>,
    max_attempts: i32,
    trace: serde_json::Value,
}

impl Row {
    fn into_job(self) -> NewJob {
        let trace: BTreeMap<String, String> =
            serde_json::from_value(self.trace).unwrap_or_default();
        NewJob {
            id: JobId::from_uuid(self.job_id),
            kind: self.kind,
            payload: self.payload,
            owner: self.owner_id.map(UserId::from_uuid),
            max_attempts: u32::try_from(self.max_attempts).unwrap_or(1),
            trace,
        }
    }
}

/// Writes `job` to the outbox on `conn`, which the caller has inside the transaction of the
/// change the job follows: both commit or neither does.
pub async fn stage_job(conn: &mut AsyncPgConnection, job: &NewJob) -> Result<(), OutboxError> {
    let row = NewRow {
        job_id: job.id.as_uuid(),
        kind: &job.kind,
        payload: &job.payload,
        owner_id: job.owner.map(|o| o.as_uuid()),
        max_attempts: i32::try_from(job.max_attempts).unwrap_or(i32::MAX),
        trace: serde_json::to_value(&job.trace).unwrap_or_default(),
    };
    diesel::insert_into(outbox::table)
        .values(&row)
        .on_conflict(outbox::job_id)
        .do_nothing()
        .execute(conn)
        .await?;
    Ok(())
}

/// Relays staged jobs to the queue and purges old relayed rows; `clock` stamps and ages them.
#[derive(Clone)]
pub struct PgOutbox {
    pool: PgPool,
    clock: Arc<dyn Clock>,
}

impl PgOutbox {
    pub fn new(pool: PgPool, clock: Arc<dyn Clock>) -> Self {
        Self { pool, clock }
    }

    /// Stages a job in its own transaction (for callers with no change of their own to make).
    pub async fn stage(&self, job: &NewJob) -> Result<(), OutboxError> {
        let mut conn = self.pool.get().await?;
        stage_job(&mut conn, job).await
    }

    /// Moves up to `limit` staged jobs to the queue; returns how many. The rows are locked
    /// (`SKIP LOCKED`, so several relays share the work) and marked relayed in the same
    /// transaction; if the queue fails, the transaction rolls back and the rows wait for the next
    /// pass. A crash after enqueueing but before commit relays again, which the queue ignores
    /// (same job id).
    #[tracing::instrument(skip(self, queue))]
    pub async fn relay(&self, queue: &dyn JobQueue, limit: i64) -> Result<usize, OutboxError> {
        let mut conn = self.pool.get().await?;
        let now = self.clock.now();
        let result = conn
            .transaction::<usize, OutboxError, _>(async |conn| {
                let rows: Vec<Row> = outbox::table
                    .filter(outbox::relayed_at.is_null())
                    .order(outbox::id)
                    .limit(limit)
                    .for_update()
                    .skip_locked()
                    .select(Row::as_select())
                    .load(conn)
                    .await?;
                let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
                for row in rows {
                    queue.enqueue(row.into_job()).await?;
                }
                diesel::update(outbox::table.filter(outbox::id.eq_any(&ids)))
                    .set(outbox::relayed_at.eq(now))
                    .execute(conn)
                    .await?;
                Ok(ids.len())
            })
            .await;
        if let Err(OutboxError::Queue(e)) = &result {
            self.record_relay_failure(&e.to_string(), limit).await;
        }
        result
    }

    async fn record_relay_failure(&self, error: &str, limit: i64) {
        let Ok(mut conn) = self.pool.get().await else {
            return;
        };
        let pending: Vec<i64> = match outbox::table
            .filter(outbox::relayed_at.is_null())
            .order(outbox::id)
            .limit(limit)
            .select(outbox::id)
            .load(&mut conn)
            .await
        {
            Ok(ids) => ids,
            Err(_) => return,
        };
        let updated = diesel::update(outbox::table.filter(outbox::id.eq_any(&pending)))
            .set((
                outbox::relay_attempts.eq(outbox::relay_attempts + 1),
                outbox::last_error.eq(error),
            ))
            .execute(&mut conn)
            .await;
        if let Err(e) = updated {
            tracing::warn!(error = %e, "could not record an outbox relay failure");
        }
    }

    /// Rows staged and not yet relayed.
    pub async fn backlog(&self) -> Result<i64, OutboxError> {
        let mut conn = self.pool.get().await?;
        Ok(outbox::table
            .filter(outbox::relayed_at.is_null())
            .count()
            .get_result(&mut conn)
            .await?)
    }

    /// Deletes rows relayed more than `older_than` ago; returns how many.
    pub async fn purge_relayed(&self, older_than: Duration) -> Result<usize, OutboxError> {
        let cutoff: DateTime<Utc> = self.clock.now()
            - chrono::Duration::from_std(older_than).unwrap_or(chrono::Duration::days(7));
        let mut conn = self.pool.get().await?;
        Ok(
            diesel::delete(outbox::table.filter(outbox::relayed_at.lt(cutoff)))
                .execute(&mut conn)
                .await?,
        )
    }
}
