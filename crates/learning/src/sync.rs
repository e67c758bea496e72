//! Pulling changes to a second device (docs/sync.md): what changed since an opaque cursor —
//! decks, cards, the profile, deletions — in pages, in the order the store committed them.
//! Reviews go up through `/reviews/batch` and are folded in time order (docs/reviews.md).

use crate::card::Card;
use crate::deck::Deck;
use crate::ports::LearningStoreError;
use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use lingo_kernel::{Clock, UserId};
use lingo_users::LearningProfile;
use std::sync::Arc;

/// A position in the learner's change feed: the transaction and order of the last change read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct FeedPosition {
    pub txid: u64,
    pub seq: i64,
}

/// Tombstones are kept this long; a cursor older than that may have missed deletions.
pub const TOMBSTONE_DAYS: i64 = 400;
pub const MAX_PAGE: u32 = 500;
pub const DEFAULT_PAGE: u32 = 200;

/// The cursor a device keeps between syncs: where it stopped and when it was issued.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyncCursor {
    pub position: FeedPosition,
    pub issued_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SyncError {
    #[error("the sync cursor is not one this server issued")]
    InvalidCursor,
    #[error("the sync cursor is older than {TOMBSTONE_DAYS} days: sync again from the start")]
    CursorExpired,
    #[error(transparent)]
    Store(#[from] LearningStoreError),
}

impl SyncCursor {
    /// `s1.<txid hex>.<seq hex>.<issued unix seconds hex>`: opaque to clients, strict here.
    pub fn encode(&self) -> String {
        format!(
            "s1.{:x}.{:x}.{:x}",
            self.position.txid,
            self.position.seq,
            self.issued_at.timestamp()
        )
    }

    pub fn decode(raw: &str) -> Result<Self, SyncError> {
        let mut parts = raw.split('.');
        let (Some("s1"), Some(txid), Some(seq), Some(at), None) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return Err(SyncError::InvalidCursor);
        };
        let hex = |v: &str| {
            (!v.is_empty() && v.len() <= 16)
                .then(|| u64::from_str_radix(v, 16).ok())
                .flatten()
                .ok_or(SyncError::InvalidCursor)
        };
        let seq = i64::try_from(hex(seq)?).map_err(|_| SyncError::InvalidCursor)?;
        let at = i64::try_from(hex(at)?).map_err(|_| SyncError::InvalidCursor)?;
        Ok(Self {
            position: FeedPosition {
                txid: hex(txid)?,
                seq,
            },
            issued_at: DateTime::from_timestamp(at, 0).ok_or(SyncError::InvalidCursor)?,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entity {
    Deck,
    Card,
}

impl Entity {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Deck => "deck",
            Self::Card => "card",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    Deck(Deck),
    Card(Card),
    Profile {
        display_name: String,
        profile: LearningProfile,
    },
    Deleted {
        entity: Entity,
        id: uuid::Uuid,
    },
}

/// One change with its row's version and time of change.
#[derive(Debug, Clone, PartialEq)]
pub struct Changed {
    pub change: Change,
    pub version: i32,
    pub changed_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FeedPage {
    pub changes: Vec<Changed>,
    /// The position after the last change of the page (none when the page is empty).
    pub last: Option<FeedPosition>,
    pub more: bool,
}

/// The learner's change feed, in commit order.
#[async_trait]
pub trait ChangeFeed: Send + Sync {
    /// At most `limit` changes after `after` (from the start when `None`), only of transactions
    /// that can no longer be overtaken by one still running.
    async fn changes(
        &self,
        learner: UserId,
        after: Option<FeedPosition>,
        limit: u32,
    ) -> Result<FeedPage, LearningStoreError>;
}

#[derive(Debug, Clone, PartialEq)]
pub struct SyncPull {
    pub changes: Vec<Changed>,
    /// Where to continue: the next page now when `more`, the next sync otherwise.
    pub cursor: String,
    pub more: bool,
}

#[derive(Clone)]
pub struct SyncService {
    feed: Arc<dyn ChangeFeed>,
    clock: Arc<dyn Clock>,
}

impl SyncService {
    pub fn new(feed: Arc<dyn ChangeFeed>, clock: Arc<dyn Clock>) -> Self {
        Self { feed, clock }
    }

    /// The changes after `since` (everything the learner owns when `None`).
    pub async fn pull(
        &self,
        learner: UserId,
        since: Option<&str>,
        limit: Option<u32>,
    ) -> Result<SyncPull, SyncError> {
        let now = self.clock.now();
        let since = since.map(SyncCursor::decode).transpose()?;
        if since.is_some_and(|c| c.issued_at < now - Duration::days(TOMBSTONE_DAYS)) {
            return Err(SyncError::CursorExpired);
        }
        let limit = limit.unwrap_or(DEFAULT_PAGE).clamp(1, MAX_PAGE);
        let after = since.map(|c| c.position);
        let page = self.feed.changes(learner, after, limit).await?;
        let position = page
            .last
            .or(after)
            .unwrap_or(FeedPosition { txid: 0, seq: 0 });
        // A cursor carries the time of the sync that started from the beginning or from an
        // earlier cursor: paging on keeps the original time, so expiry is measured from the
        // last complete sync.
        let issued_at = match since {
            Some(c) if page.more => c.issued_at,
            _ => now,
        };
        Ok(SyncPull {
            changes: page.changes,
            cursor: SyncCursor {
                position,
                issued_at,
            }
            .encode(),
            more: page.more,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_reads_back_and_anything_else_is_refused() {
        let cursor = SyncCursor {
            position: FeedPosition {
                txid: 123_456,
                seq: 42,
            },
            issued_at: DateTime::from_timestamp(1_790_000_000, 0).expect("time"),
        };
        assert_eq!(SyncCursor::decode(&cursor.encode()), Ok(cursor));
        for raw in [
            "",
            "s1",
            "s1.1.2",
            "s2.1.2.3",
            "s1.1.2.3.4",
            "s1.zz.2.3",
            "s1..2.3",
            "s1.1.ffffffffffffffff.3",
            "s1.11111111111111111.2.3",
        ] {
            assert_eq!(
                SyncCursor::decode(raw),
                Err(SyncError::InvalidCursor),
                "{raw}"
            );
        }
    }
}
