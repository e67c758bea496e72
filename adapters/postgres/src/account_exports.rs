//! Written account exports (`account_exports`, gzip JSON in a `bytea`, deleted with the
//! account) and the export section of the jobs a learner asked for.

use crate::learning::json_section;
use crate::pool::PgPool;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::sql_types::{BigInt, Bytea, Timestamptz, Uuid as SqlUuid};
use diesel::{OptionalExtension, QueryableByName, sql_query};
use diesel_async::RunQueryDsl;
use flate2::Compression;
use flate2::write::GzEncoder;
use lingo_kernel::UserId;
use lingo_kernel::jobs::JobId;
use lingo_users::export_account::{ExportArchive, ExportSection, StoredExport};
use lingo_users::ports::Unavailable;
use serde_json::{Map, Value};
use std::io::Write;

fn unavailable(e: impl std::fmt::Display) -> Unavailable {
    Unavailable(format!("database: {e}"))
}

#[derive(QueryableByName)]
struct ExportRow {
    #[diesel(sql_type = SqlUuid)]
    id: uuid::Uuid,
    #[diesel(sql_type = SqlUuid)]
    user_id: uuid::Uuid,
    #[diesel(sql_type = Timestamptz)]
    created_at: DateTime<Utc>,
    #[diesel(sql_type = Timestamptz)]
    expires_at: DateTime<Utc>,
    #[diesel(sql_type = BigInt)]
    bytes: i64,
}

impl ExportRow {
    fn into_stored(self) -> StoredExport {
        StoredExport {
            id: JobId::from_uuid(self.id),
            owner: UserId::from_uuid(self.user_id),
            created_at: self.created_at,
            expires_at: self.expires_at,
            bytes: u64::try_from(self.bytes).unwrap_or_default(),
        }
    }
}

#[derive(QueryableByName)]
struct ContentRow {
    #[diesel(sql_type = Bytea)]
    content: Vec<u8>,
}

const COLUMNS: &str = "id, user_id, created_at, expires_at, bytes";

/// The JSON, gzipped, on a blocking thread (a large account is tens of megabytes).
async fn gzip(document: &Value) -> Result<Vec<u8>, Unavailable> {
    let json = serde_json::to_vec(document).map_err(|e| Unavailable(e.to_string()))?;
    tokio::task::spawn_blocking(move || {
        let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
        encoder.write_all(&json)?;
        encoder.finish()
    })
    .await
    .map_err(|e| Unavailable(format!("compression stopped: {e}")))?
    .map_err(|e| Unavailable(format!("compression failed: {e}")))
}

#[derive(Clone)]
pub struct PgExportArchive {
    pool: PgPool,
}

impl PgExportArchive {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

#[async_trait]
impl ExportArchive for PgExportArchive {
    #[tracing::instrument(name = "exports.store", skip(self, document), fields(user = %owner))]
    async fn store(
        &self,
        id: JobId,
        owner: UserId,
        document: &Value,
        created_at: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<StoredExport, Unavailable> {
        let content = gzip(document).await?;
        let bytes = i64::try_from(content.len()).map_err(unavailable)?;
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        sql_query(
            "INSERT INTO account_exports (id, user_id, created_at, expires_at, bytes, content) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING",
        )
        .bind::<SqlUuid, _>(id.as_uuid())
        .bind::<SqlUuid, _>(owner.as_uuid())
        .bind::<Timestamptz, _>(created_at)
        .bind::<Timestamptz, _>(expires_at)
        .bind::<BigInt, _>(bytes)
        .bind::<Bytea, _>(content)
        .execute(&mut conn)
        .await
        .map_err(unavailable)?;
        let stored: ExportRow = sql_query(format!(
            "SELECT {COLUMNS} FROM account_exports WHERE id = $1"
        ))
        .bind::<SqlUuid, _>(id.as_uuid())
        .get_result(&mut conn)
        .await
        .map_err(unavailable)?;
        Ok(stored.into_stored())
    }

    async fn find(&self, id: JobId) -> Result<Option<StoredExport>, Unavailable> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        let row: Option<ExportRow> = sql_query(format!(
            "SELECT {COLUMNS} FROM account_exports WHERE id = $1"
        ))
        .bind::<SqlUuid, _>(id.as_uuid())
        .get_result(&mut conn)
        .await
        .optional()
        .map_err(unavailable)?;
        Ok(row.map(ExportRow::into_stored))
    }

    #[tracing::instrument(name = "exports.read", skip(self), fields(user = %owner))]
    async fn read(
        &self,
        id: JobId,
        owner: UserId,
        now: DateTime<Utc>,
    ) -> Result<Option<Vec<u8>>, Unavailable> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        let row: Option<ContentRow> = sql_query(
            "SELECT content FROM account_exports \
             WHERE id = $1 AND user_id = $2 AND expires_at > $3",
        )
        .bind::<SqlUuid, _>(id.as_uuid())
        .bind::<SqlUuid, _>(owner.as_uuid())
        .bind::<Timestamptz, _>(now)
        .get_result(&mut conn)
        .await
        .optional()
        .map_err(unavailable)?;
        Ok(row.map(|r| r.content))
    }

    async fn purge_expired(&self, now: DateTime<Utc>) -> Result<usize, Unavailable> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        sql_query("DELETE FROM account_exports WHERE expires_at <= $1")
            .bind::<Timestamptz, _>(now)
            .execute(&mut conn)
            .await
            .map_err(unavailable)
    }
}

const REQUESTED_JOBS: &str = r#"
SELECT json_build_object(
  'content_requests', COALESCE((
    SELECT json_agg(json_build_object(
      'job_id', j.job_id, 'kind', j.kind,
      'word_ids', CASE WHEN j.kind = 'content.generate'
                       THEN jsonb_build_array(j.payload #> '{key,word_id}')
                       ELSE COALESCE(j.payload -> 'words', '[]'::jsonb) END,
      'native', j.payload #>> '{key,native}', 'band', j.payload #>> '{key,band}',
      'status', j.status,
      'created_at', j.created_at, 'finished_at', j.finished_at) ORDER BY j.created_at, j.id)
    FROM jobs j WHERE j.owner_id = $1 AND j.kind LIKE 'content.%'), '[]'),
  'jobs', COALESCE((
    SELECT json_agg(json_build_object(
      'job_id', j.job_id, 'kind', j.kind, 'status', j.status,
      'created_at', j.created_at, 'finished_at', j.finished_at) ORDER BY j.created_at, j.id)
    FROM jobs j WHERE j.owner_id = $1 AND j.kind NOT LIKE 'content.%'), '[]')
)::text AS document
"#;

/// The jobs the learner asked for that the ledger still holds: content requests (the words,
/// language and level asked for) and the others (kind and status).
#[derive(Clone)]
pub struct PgRequestedJobs {
    pool: PgPool,
}

impl PgRequestedJobs {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

#[async_trait]
impl ExportSection for PgRequestedJobs {
    #[tracing::instrument(name = "export.jobs", skip(self), fields(user = %user))]
    async fn export(&self, user: UserId) -> Result<Map<String, Value>, Unavailable> {
        json_section(&self.pool, REQUESTED_JOBS, user).await
    }
}
