//! The learner's complete data export (docs/export.md): one JSON document with every section
//! Lingo keeps about the account — the account itself (the `UserRepository`), learning data,
//! the jobs they asked for, their devices — each section read by its own `ExportSection`.
//!
//! Small accounts read it at once (`document`); large ones ask for it (`request`), a job writes
//! it once into the `ExportArchive` (`run`) and the learner downloads the stored file
//! (`download`) until it expires.

use crate::account::AccountError;
use crate::ports::{Unavailable, UserRepository};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use lingo_kernel::jobs::{Job, JobId, JobQueue, NewJob};
use lingo_kernel::{Clock, UserId};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::sync::Arc;
use std::time::Duration;

/// Version of the document's layout; a change of shape is a new version.
pub const EXPORT_FORMAT_VERSION: u32 = 2;

/// One part of the export: the top-level keys it writes (distinct from every other section's).
#[async_trait]
pub trait ExportSection: Send + Sync {
    async fn export(&self, user: UserId) -> Result<Map<String, Value>, Unavailable>;
}

/// An export written by the job, as stored (without its bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredExport {
    /// The id of the job that wrote it.
    pub id: JobId,
    pub owner: UserId,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// Size of the stored (gzip) file.
    pub bytes: u64,
}

/// Where written exports are kept until they expire.
#[async_trait]
pub trait ExportArchive: Send + Sync {
    /// Compresses and stores `document` under `id` unless an export with this id is stored
    /// already; returns what is stored (a retried job finds its first write).
    async fn store(
        &self,
        id: JobId,
        owner: UserId,
        document: &Value,
        created_at: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<StoredExport, Unavailable>;
    async fn find(&self, id: JobId) -> Result<Option<StoredExport>, Unavailable>;
    /// The stored gzip bytes of `owner`'s export `id` when it has not expired at `now`.
    async fn read(
        &self,
        id: JobId,
        owner: UserId,
        now: DateTime<Utc>,
    ) -> Result<Option<Vec<u8>>, Unavailable>;
    /// Deletes exports expired at `now`; returns how many.
    async fn purge_expired(&self, now: DateTime<Utc>) -> Result<usize, Unavailable>;
}

/// Writes the learner's export into the archive (`account.export`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportAccount {
    pub user_id: UserId,
}

impl Job for ExportAccount {
    const NAME: &'static str = "account.export";
    const MAX_ATTEMPTS: u32 = 5;
}

/// Deletes expired exports (`account.purge_exports`, scheduled). Idempotent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurgeExpiredExports {}

impl Job for PurgeExpiredExports {
    const NAME: &'static str = "account.purge_exports";
}

/// The result of `account.export`: where to download the file and until when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportReady {
    pub export_id: JobId,
    pub download_url: String,
    pub expires_at: DateTime<Utc>,
    pub bytes: u64,
}

impl ExportReady {
    fn of(stored: &StoredExport) -> Self {
        Self {
            export_id: stored.id,
            download_url: format!("/api/v1/me/export/{}", stored.id),
            expires_at: stored.expires_at,
            bytes: stored.bytes,
        }
    }
}

/// The result of `account.purge_exports`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportsPurged {
    pub deleted: u64,
}

const JOB_ID_NAMESPACE: uuid::Uuid =
    uuid::Uuid::from_u128(0x6c1e_7f0a_4d2b_4e55_9a0e_e8f1_3c07_2a15);

/// One export job per learner per UTC day: asking again the same day follows the same job.
pub fn export_job_id(user: UserId, day: chrono::NaiveDate) -> JobId {
    let name = format!("{}@{day}", user.as_uuid());
    JobId::from_uuid(uuid::Uuid::new_v5(&JOB_ID_NAMESPACE, name.as_bytes()))
}

#[derive(Clone)]
pub struct AccountExportService {
    users: Arc<dyn UserRepository>,
    sections: Vec<Arc<dyn ExportSection>>,
    archive: Arc<dyn ExportArchive>,
    queue: Arc<dyn JobQueue>,
    clock: Arc<dyn Clock>,
    /// How long a written export can be downloaded.
    retention: Duration,
}

impl AccountExportService {
    pub fn new(
        users: Arc<dyn UserRepository>,
        sections: Vec<Arc<dyn ExportSection>>,
        archive: Arc<dyn ExportArchive>,
        queue: Arc<dyn JobQueue>,
        clock: Arc<dyn Clock>,
        retention: Duration,
    ) -> Self {
        Self {
            users,
            sections,
            archive,
            queue,
            clock,
            retention,
        }
    }

    /// Every section, read now. A key written by two sections is a wiring bug, refused.
    #[tracing::instrument(skip_all, fields(user_id = %user))]
    pub async fn document(&self, user: UserId) -> Result<Value, AccountError> {
        let Some(Value::Object(mut document)) = self.users.export(user).await? else {
            return Err(AccountError::NotFound);
        };
        for section in &self.sections {
            for (key, value) in section.export(user).await? {
                if document.insert(key.clone(), value).is_some() {
                    return Err(AccountError::Unavailable(format!(
                        "two export sections write `{key}`"
                    )));
                }
            }
        }
        document.insert("format_version".into(), EXPORT_FORMAT_VERSION.into());
        document.insert(
            "exported_at".into(),
            Value::String(self.clock.now().to_rfc3339()),
        );
        Ok(Value::Object(document))
    }

    /// Asks for the export file; today's job when it was asked for already.
    pub async fn request(&self, user: UserId) -> Result<JobId, AccountError> {
        let job = NewJob::of(&ExportAccount { user_id: user })
            .map_err(|e| AccountError::Unavailable(e.to_string()))?
            .with_id(export_job_id(user, self.clock.now().date_naive()))
            .owned_by(user);
        let id = job.id;
        self.queue
            .enqueue(job)
            .await
            .map_err(|e| AccountError::Unavailable(e.to_string()))?;
        Ok(id)
    }

    /// The job: writes the document once under the job's id (a retry finds the first write).
    #[tracing::instrument(skip_all, fields(user_id = %user, job_id = %job))]
    pub async fn run(&self, job: JobId, user: UserId) -> Result<ExportReady, AccountError> {
        if let Some(stored) = self.archive.find(job).await? {
            return Ok(ExportReady::of(&stored));
        }
        let document = self.document(user).await?;
        let now = self.clock.now();
        let expires_at = now
            + chrono::Duration::from_std(self.retention)
                .map_err(|e| AccountError::Unavailable(e.to_string()))?;
        let stored = self
            .archive
            .store(job, user, &document, now, expires_at)
            .await?;
        tracing::info!(bytes = stored.bytes, "account export written");
        Ok(ExportReady::of(&stored))
    }

    /// The gzip file of the caller's export `id`; another learner's or an expired one is
    /// `NotFound` (its existence is not revealed).
    pub async fn download(&self, user: UserId, id: JobId) -> Result<Vec<u8>, AccountError> {
        self.archive
            .read(id, user, self.clock.now())
            .await?
            .ok_or(AccountError::NotFound)
    }

    pub async fn purge_expired(&self) -> Result<ExportsPurged, AccountError> {
        let deleted = self.archive.purge_expired(self.clock.now()).await?;
        Ok(ExportsPurged {
            deleted: deleted as u64,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_export_job_per_learner_and_day() {
        let a = UserId::new();
        let b = UserId::new();
        let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 4).expect("date");
        let next = day.succ_opt().expect("next day");
        assert_eq!(export_job_id(a, day), export_job_id(a, day));
        assert_ne!(export_job_id(a, day), export_job_id(a, next));
        assert_ne!(export_job_id(a, day), export_job_id(b, day));
    }

    #[test]
    fn the_result_names_the_download_route_of_the_export() {
        let id = JobId::new();
        let ready = ExportReady::of(&StoredExport {
            id,
            owner: UserId::new(),
            created_at: DateTime::UNIX_EPOCH,
            expires_at: DateTime::UNIX_EPOCH,
            bytes: 10,
        });
        assert_eq!(ready.download_url, format!("/api/v1/me/export/{id}"));
        let json = serde_json::to_value(&ready).expect("json");
        let back: ExportReady = serde_json::from_value(json).expect("round trip");
        assert_eq!(back, ready);
    }
}
