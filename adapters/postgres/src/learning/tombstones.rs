//! Purging old deletion tombstones (`sync.purge_tombstones`) by `sync_tombstones_age_idx`.

use super::unavailable;
use crate::pool::PgPool;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::sql_query;
use diesel::sql_types::{Integer, Timestamptz};
use diesel_async::RunQueryDsl;
use lingo_learning::ports::LearningStoreError;
use lingo_learning::purge_tombstones::TombstoneStore;

/// One bounded batch: the oldest first, by the age index.
const PURGE: &str = r#"
DELETE FROM sync_tombstones t
 USING (SELECT user_id, entity, entity_id FROM sync_tombstones
         WHERE deleted_at < $1 ORDER BY deleted_at LIMIT $2) old
 WHERE (t.user_id, t.entity, t.entity_id) = (old.user_id, old.entity, old.entity_id)
"#;

#[derive(Clone)]
pub struct PgTombstones {
    pool: PgPool,
}

impl PgTombstones {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

#[async_trait]
impl TombstoneStore for PgTombstones {
    #[tracing::instrument(name = "sync.purge_tombstones", skip(self))]
    async fn purge_before(
        &self,
        before: DateTime<Utc>,
        limit: u32,
    ) -> Result<u64, LearningStoreError> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        let limit = i32::try_from(limit).unwrap_or(i32::MAX);
        let deleted = sql_query(PURGE)
            .bind::<Timestamptz, _>(before)
            .bind::<Integer, _>(limit)
            .execute(&mut conn)
            .await
            .map_err(unavailable)?;
        Ok(deleted as u64)
    }
}
