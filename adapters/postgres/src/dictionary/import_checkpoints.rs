use super::{corrupt, unavailable};
use crate::pool::PgPool;
use crate::schema::dictionary_imports;
use async_trait::async_trait;
use diesel::prelude::*;
use diesel::upsert::excluded;
use diesel_async::RunQueryDsl;
use lingo_dictionary::import::ImportCheckpoint;
use lingo_dictionary::ports::{ImportCheckpoints, StoreError};
use lingo_kernel::jobs::JobId;

/// Import checkpoints in `dictionary_imports`, as JSON, one row per job.
#[derive(Clone)]
pub struct PgImportCheckpoints {
    pool: PgPool,
}

impl PgImportCheckpoints {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

#[async_trait]
impl ImportCheckpoints for PgImportCheckpoints {
    async fn load(&self, job: JobId) -> Result<Option<ImportCheckpoint>, StoreError> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        let stored: Option<serde_json::Value> = dictionary_imports::table
            .filter(dictionary_imports::job_id.eq(job.as_uuid()))
            .select(dictionary_imports::checkpoint)
            .first(&mut conn)
            .await
            .optional()
            .map_err(unavailable)?;
        stored
            .map(|value| serde_json::from_value(value).map_err(|e| corrupt("import checkpoint", e)))
            .transpose()
    }

    async fn save(&self, job: JobId, checkpoint: &ImportCheckpoint) -> Result<(), StoreError> {
        let value =
            serde_json::to_value(checkpoint).map_err(|e| corrupt("import checkpoint", e))?;
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        diesel::insert_into(dictionary_imports::table)
            .values((
                dictionary_imports::job_id.eq(job.as_uuid()),
                dictionary_imports::checkpoint.eq(&value),
            ))
            .on_conflict(dictionary_imports::job_id)
            .do_update()
            .set((
                dictionary_imports::checkpoint.eq(excluded(dictionary_imports::checkpoint)),
                dictionary_imports::updated_at.eq(diesel::dsl::now),
            ))
            .execute(&mut conn)
            .await
            .map_err(unavailable)?;
        Ok(())
    }
}
