//! The cards a quiz may ask about: due, or in learning or relearning; neither suspended nor
//! buried; oldest due first.

use super::card_row::CardRow;
use super::cards::PgCardStore;
use super::unavailable;
use crate::schema::cards;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use lingo_kernel::UserId;
use lingo_learning::card::Card;
use lingo_learning::ports::LearningStoreError;
use lingo_learning::quiz::ports::QuizCards;

#[async_trait]
impl QuizCards for PgCardStore {
    #[tracing::instrument(name = "cards.quiz_candidates", skip(self), fields(user = %owner))]
    async fn quiz_candidates(
        &self,
        owner: UserId,
        deck: Option<lingo_kernel::DeckId>,
        now: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<Card>, LearningStoreError> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        let mut query = cards::table
            .filter(cards::user_id.eq(owner.as_uuid()))
            .filter(cards::suspended.eq(false))
            .filter(
                cards::buried_until
                    .is_null()
                    .or(cards::buried_until.le(now)),
            )
            .filter(
                cards::due
                    .le(now)
                    .or(cards::state.eq_any(["learning", "relearning"])),
            )
            .select(CardRow::as_select())
            .into_boxed();
        if let Some(deck) = deck {
            query = query.filter(cards::deck_id.eq(deck.as_uuid()));
        }
        let rows: Vec<CardRow> = query
            .order((cards::due, cards::id))
            .limit(i64::from(limit.clamp(1, 500)))
            .load(&mut conn)
            .await
            .map_err(unavailable)?;
        rows.into_iter().map(CardRow::into_card).collect()
    }
}
