//! Deletion tombstones are kept as long as a sync cursor stays valid (docs/sync.md,
//! `TOMBSTONE_DAYS`) and no longer: `sync.purge_tombstones`, scheduled daily, deletes those
//! older than that. A cursor that could still need a tombstone was issued after its deletion
//! and is younger than the bound, so it never misses one. Idempotent; deletes in batches so no
//! statement runs long.

use crate::ports::LearningStoreError;
use crate::sync::TOMBSTONE_DAYS;
use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use lingo_kernel::Clock;
use lingo_kernel::jobs::Job;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Rows deleted per statement.
pub const PURGE_BATCH: u32 = 5_000;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurgeTombstones {}

impl Job for PurgeTombstones {
    const NAME: &'static str = "sync.purge_tombstones";
}

/// The result of `sync.purge_tombstones`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TombstonesPurged {
    pub deleted: u64,
    /// Tombstones of deletions before this were purged.
    pub before: DateTime<Utc>,
}

#[async_trait]
pub trait TombstoneStore: Send + Sync {
    /// Deletes at most `limit` tombstones of deletions before `before`; returns how many.
    async fn purge_before(
        &self,
        before: DateTime<Utc>,
        limit: u32,
    ) -> Result<u64, LearningStoreError>;
}

#[derive(Clone)]
pub struct TombstonePurgeService {
    store: Arc<dyn TombstoneStore>,
    clock: Arc<dyn Clock>,
}

impl TombstonePurgeService {
    pub fn new(store: Arc<dyn TombstoneStore>, clock: Arc<dyn Clock>) -> Self {
        Self { store, clock }
    }

    pub async fn run(&self) -> Result<TombstonesPurged, LearningStoreError> {
        let before = self.clock.now() - Duration::days(TOMBSTONE_DAYS);
        let deleted = lingo_kernel::batches::drain(PURGE_BATCH, |limit| {
            self.store.purge_before(before, limit)
        })
        .await?;
        tracing::info!(deleted, %before, "sync tombstones purged");
        Ok(TombstonesPurged { deleted, before })
    }
}
