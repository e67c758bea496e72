//! Imported words (`learning.import_words`): per batch one transaction that resolves each word,
//! creates its cards with the learner's material and the schedule its Anki history left, and
//! logs that history. A card of a type the deck holds already is left alone and its history is
//! not logged, so a retried batch writes nothing twice.

use super::card_row::state_name;
use super::cards::PgCardStore;
use super::resolve_word::{AddedBy, resolve_word};
use super::{TxError, unavailable};
use crate::schema::{cards, decks, review_logs};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, RunQueryDsl};
use lingo_kernel::{DeckId, UserId};
use lingo_learning::card::CardSnapshot;
use lingo_learning::import_words::{ImportedCard, ImportedCards, ImportedWord, StoredWord};
use lingo_learning::ports::LearningStoreError;
use uuid::Uuid;

fn json(snapshot: &CardSnapshot) -> Result<serde_json::Value, LearningStoreError> {
    serde_json::to_value(snapshot).map_err(unavailable)
}

fn step(snapshot: &CardSnapshot) -> Option<i32> {
    snapshot.step.and_then(|s| i32::try_from(s).ok())
}

#[async_trait]
impl ImportedCards for PgCardStore {
    async fn store_imported(
        &self,
        owner: UserId,
        deck: DeckId,
        words: &[ImportedWord],
        parameters_version: i32,
        now: DateTime<Utc>,
    ) -> Result<Vec<StoredWord>, LearningStoreError> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        conn.transaction::<_, TxError, _>(async |conn| {
            decks::table
                .filter(decks::id.eq(deck.as_uuid()))
                .filter(decks::owner_id.eq(owner.as_uuid()))
                .select(decks::id)
                .for_share()
                .first::<Uuid>(conn)
                .await?;
            let mut stored = Vec::with_capacity(words.len());
            for word in words {
                let word_id = resolve_word(conn, &word.word, AddedBy::Learner(owner)).await?;
                let material = &word.material;
                let tags = material.tags.as_strings();
                let rows: Vec<_> = word
                    .cards
                    .iter()
                    .map(|card| {
                        let s = &card.schedule;
                        (
                            cards::id.eq(card.id.as_uuid()),
                            cards::user_id.eq(owner.as_uuid()),
                            cards::deck_id.eq(deck.as_uuid()),
                            cards::word_id.eq(word_id.as_uuid()),
                            cards::card_type.eq(card.card_type.as_str()),
                            (
                                cards::state.eq(state_name(s.state)),
                                cards::step.eq(step(s)),
                                cards::stability.eq(s.stability),
                                cards::difficulty.eq(s.difficulty),
                                cards::due.eq(s.due),
                                cards::last_review.eq(s.last_review),
                                cards::reps.eq(s.reps),
                                cards::lapses.eq(s.lapses),
                                cards::leech.eq(s.leech),
                                cards::suspended.eq(s.suspended),
                            ),
                            cards::created_at.eq(now),
                            (
                                cards::note.eq(material.note.as_ref().map(|n| n.as_str())),
                                cards::translation
                                    .eq(material.translation.as_ref().map(|t| t.as_str())),
                                cards::tags.eq(&tags),
                            ),
                        )
                    })
                    .collect();
                let created: Vec<Uuid> = diesel::insert_into(cards::table)
                    .values(&rows)
                    .on_conflict_do_nothing()
                    .returning(cards::id)
                    .get_results(conn)
                    .await?;
                let reviews_stored =
                    log_history(conn, owner, &word.cards, &created, parameters_version).await?;
                stored.push(StoredWord {
                    word_id,
                    cards_created: created.len(),
                    reviews_stored,
                });
            }
            Ok(stored)
        })
        .await
        .map_err(LearningStoreError::from)
    }
}

/// The review log of the cards just `created` (their history, as folded by the import).
async fn log_history(
    conn: &mut diesel_async::AsyncPgConnection,
    owner: UserId,
    cards: &[ImportedCard],
    created: &[Uuid],
    parameters_version: i32,
) -> Result<usize, TxError> {
    let mut rows = Vec::new();
    for card in cards.iter().filter(|c| created.contains(&c.id.as_uuid())) {
        for review in &card.reviews {
            rows.push((
                review_logs::user_id.eq(owner.as_uuid()),
                review_logs::card_id.eq(card.id.as_uuid()),
                review_logs::client_review_id.eq(review.client_review_id.clone()),
                review_logs::rating.eq(i16::from(u8::from(review.rating))),
                review_logs::reviewed_at.eq(review.reviewed_at),
                review_logs::parameters_version.eq(parameters_version),
                review_logs::before.eq(json(&review.before)?),
                review_logs::after.eq(json(&review.after)?),
            ));
        }
    }
    let mut written = 0;
    // Bounded statements: a card with a long history must not exceed the bind-parameter limit.
    for chunk in rows.chunks(1000) {
        written += diesel::insert_into(review_logs::table)
            .values(chunk)
            .on_conflict_do_nothing()
            .execute(conn)
            .await?;
    }
    Ok(written)
}
