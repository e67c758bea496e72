//! Reading a learner's cards: filtered, in pages by id.

use crate::card::Card;
use crate::ports::{CardFilter, CardStore, LearningStoreError};
use lingo_kernel::{CardId, UserId};
use std::sync::Arc;

/// Page sizes: the default and the most one page holds.
pub const DEFAULT_PAGE: u32 = 50;
pub const MAX_PAGE: u32 = 200;

#[derive(Debug, Clone, PartialEq)]
pub struct CardPage {
    pub items: Vec<Card>,
    /// Where the next page starts; `None` on the last page.
    pub next_cursor: Option<CardId>,
}

#[derive(Clone)]
pub struct CardQueryService {
    cards: Arc<dyn CardStore>,
}

impl CardQueryService {
    pub fn new(cards: Arc<dyn CardStore>) -> Self {
        Self { cards }
    }

    /// One page of the learner's cards; `filter.limit` is clamped to 1..=`MAX_PAGE` (0 means
    /// the default).
    pub async fn list(
        &self,
        owner: UserId,
        mut filter: CardFilter,
    ) -> Result<CardPage, LearningStoreError> {
        filter.limit = match filter.limit {
            0 => DEFAULT_PAGE,
            n => n.min(MAX_PAGE),
        };
        let items = self.cards.list(owner, &filter).await?;
        let next_cursor = if items.len() as u32 == filter.limit {
            items.last().map(|c| c.id)
        } else {
            None
        };
        Ok(CardPage { items, next_cursor })
    }
}
