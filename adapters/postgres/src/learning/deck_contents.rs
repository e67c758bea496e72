//! A learner's deck with its cards, words and reviews, for the deck export: three reads in one
//! repeatable-read transaction, so the cards and their reviews are of one moment.

use super::card_row::CardRow;
use super::decks::DeckRow;
use super::{from_diesel, unavailable};
use crate::pool::PgPool;
use crate::schema::{cards, decks, review_logs, words};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use lingo_kernel::{DeckId, UserId};
use lingo_learning::card::CardSnapshot;
use lingo_learning::export_deck::{DeckContents, DeckContentsSource, ExportedCard, ExportedReview};
use lingo_learning::ports::LearningStoreError;
use lingo_learning::study_queue::WordSummary;
use std::collections::HashMap;
use uuid::Uuid;

type ReviewRow = (
    Uuid,
    DateTime<Utc>,
    i16,
    Option<i32>,
    serde_json::Value,
    serde_json::Value,
);

#[derive(Clone)]
pub struct PgDeckContents {
    pool: PgPool,
}

impl PgDeckContents {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

fn review(row: ReviewRow) -> Result<(Uuid, ExportedReview), LearningStoreError> {
    let (card, reviewed_at, rating, duration_ms, before, after) = row;
    let snapshot = |v: serde_json::Value| {
        serde_json::from_value::<CardSnapshot>(v)
            .map_err(|e| unavailable(format!("review of card {card} has a corrupt snapshot: {e}")))
    };
    Ok((
        card,
        ExportedReview {
            reviewed_at,
            rating: u8::try_from(rating).map_err(unavailable)?,
            duration_ms: duration_ms.and_then(|d| u32::try_from(d).ok()),
            before: snapshot(before)?,
            after: snapshot(after)?,
        },
    ))
}

#[async_trait]
impl DeckContentsSource for PgDeckContents {
    #[tracing::instrument(name = "decks.contents", skip(self), fields(user = %owner))]
    async fn contents(
        &self,
        owner: UserId,
        deck: DeckId,
    ) -> Result<DeckContents, LearningStoreError> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        let (deck_row, card_rows, review_rows) = conn
            .build_transaction()
            .repeatable_read()
            .read_only()
            .run::<_, diesel::result::Error, _>(async |conn| {
                let deck_row = decks::table
                    .filter(decks::id.eq(deck.as_uuid()))
                    .filter(decks::owner_id.eq(owner.as_uuid()))
                    .select(DeckRow::as_select())
                    .first(conn)
                    .await?;
                let card_rows: Vec<(CardRow, (String, String, String))> = cards::table
                    .inner_join(words::table)
                    .filter(cards::deck_id.eq(deck.as_uuid()))
                    .filter(cards::user_id.eq(owner.as_uuid()))
                    .order((cards::created_at, cards::id))
                    .select((
                        CardRow::as_select(),
                        (words::language, words::lemma, words::part_of_speech),
                    ))
                    .load(conn)
                    .await?;
                let review_rows: Vec<ReviewRow> = review_logs::table
                    .inner_join(cards::table)
                    .filter(cards::deck_id.eq(deck.as_uuid()))
                    .filter(review_logs::user_id.eq(owner.as_uuid()))
                    .filter(review_logs::undone.eq(false))
                    .order((review_logs::reviewed_at, review_logs::id))
                    .select((
                        review_logs::card_id,
                        review_logs::reviewed_at,
                        review_logs::rating,
                        review_logs::duration_ms,
                        review_logs::before,
                        review_logs::after,
                    ))
                    .load(conn)
                    .await?;
                Ok((deck_row, card_rows, review_rows))
            })
            .await
            .map_err(from_diesel)?;
        let mut reviews: HashMap<Uuid, Vec<ExportedReview>> = HashMap::new();
        for row in review_rows {
            let (card, review) = review(row)?;
            reviews.entry(card).or_default().push(review);
        }
        let cards = card_rows
            .into_iter()
            .map(|(row, (language, lemma, part_of_speech))| {
                let id = row.id;
                Ok(ExportedCard {
                    card: row.into_card()?,
                    word: WordSummary { language, lemma },
                    part_of_speech,
                    reviews: reviews.remove(&id).unwrap_or_default(),
                    translation: None,
                })
            })
            .collect::<Result<Vec<_>, LearningStoreError>>()?;
        Ok(DeckContents {
            deck: deck_row.into_deck()?,
            cards,
        })
    }
}
