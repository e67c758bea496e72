//! The in-app notification list: newest first, paged by an opaque cursor; marking read.

use crate::notification::{Notification, NotificationId};
use crate::ports::{NotificationStore, StoreError};
use lingo_kernel::pagination::Page;
use lingo_kernel::{Clock, UserId};
use std::sync::Arc;

pub const MAX_PAGE: u32 = 100;
pub const DEFAULT_PAGE: u32 = 50;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotificationError {
    #[error("the cursor is not one this list gave")]
    Cursor,
    #[error("no such notification")]
    NotFound,
    #[error("{0}")]
    Unavailable(String),
}

impl From<StoreError> for NotificationError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Unavailable(m) => Self::Unavailable(m),
        }
    }
}

#[derive(Clone)]
pub struct NotificationService {
    store: Arc<dyn NotificationStore>,
    clock: Arc<dyn Clock>,
}

/// The cursor is the last id of a page (ids are time-ordered), in its simple form.
fn cursor_of(id: NotificationId) -> String {
    id.as_uuid().simple().to_string()
}

fn parse_cursor(raw: &str) -> Result<NotificationId, NotificationError> {
    let lower_hex = |b: u8| b.is_ascii_digit() || (b'a'..=b'f').contains(&b);
    if raw.len() != 32 || !raw.bytes().all(lower_hex) {
        return Err(NotificationError::Cursor);
    }
    uuid::Uuid::try_parse(raw)
        .map(NotificationId::from_uuid)
        .map_err(|_| NotificationError::Cursor)
}

impl NotificationService {
    pub fn new(store: Arc<dyn NotificationStore>, clock: Arc<dyn Clock>) -> Self {
        Self { store, clock }
    }

    /// One page of the learner's notifications, newest first; `limit` is clamped to
    /// 1..=`MAX_PAGE`.
    pub async fn list(
        &self,
        learner: UserId,
        cursor: Option<&str>,
        limit: Option<u32>,
    ) -> Result<Page<Notification>, NotificationError> {
        let before = cursor.map(parse_cursor).transpose()?;
        let limit = limit.unwrap_or(DEFAULT_PAGE).clamp(1, MAX_PAGE);
        let mut items = self.store.page(learner, before, limit + 1).await?;
        let more = items.len() > limit as usize;
        items.truncate(limit as usize);
        let next_cursor = more
            .then(|| items.last().map(|n| cursor_of(n.id)))
            .flatten();
        Ok(Page { items, next_cursor })
    }

    pub async fn mark_read(
        &self,
        learner: UserId,
        id: NotificationId,
    ) -> Result<Notification, NotificationError> {
        self.store
            .mark_read(learner, id, self.clock.now())
            .await?
            .ok_or(NotificationError::NotFound)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_forged_ones_are_refused() {
        let id = NotificationId::new();
        assert_eq!(parse_cursor(&cursor_of(id)), Ok(id));
        assert_eq!(parse_cursor("not-a-cursor"), Err(NotificationError::Cursor));
        assert_eq!(
            parse_cursor(&id.as_uuid().hyphenated().to_string()),
            Err(NotificationError::Cursor)
        );
    }
}
