use super::card_row::{CardRow, state_name};
use super::resolve_word::{AddedBy, resolve_word};
use super::{from_diesel, unavailable};
use crate::pool::PgPool;
use crate::schema::{cards, decks, words};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, RunQueryDsl};
use lingo_kernel::{CardId, DeckId, UserId};
use lingo_learning::card::{Card, CardType};
use lingo_learning::card_material::MaterialEdit;
use lingo_learning::ports::{
    AddedWord, CardFilter, CardStore, Decide, DecideUndo, LearningStoreError, NewCardWord,
};
use lingo_learning::review::{ReviewOutcome, ReviewRequest};
use lingo_learning::undo_review::UndoError;
use uuid::Uuid;

/// The material columns an edit sets: `None` leaves a column, `Some(None)` clears it.
#[derive(AsChangeset)]
#[diesel(table_name = cards)]
struct MaterialChangeset {
    note: Option<Option<String>>,
    translation: Option<Option<String>>,
    tags: Option<Vec<String>>,
    source_sentence: Option<Option<String>>,
}

/// `raw` with LIKE's wildcards and escape character taken literally.
fn like_escaped(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        if matches!(c, '\\' | '%' | '_') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[derive(Clone)]
pub struct PgCardStore {
    pub(super) pool: PgPool,
}

impl PgCardStore {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

#[async_trait]
impl CardStore for PgCardStore {
    async fn add_words(
        &self,
        owner: UserId,
        deck: DeckId,
        new_words: &[NewCardWord],
        types: &[CardType],
        now: DateTime<Utc>,
    ) -> Result<Vec<AddedWord>, LearningStoreError> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        conn.transaction::<_, diesel::result::Error, _>(async |conn| {
            decks::table
                .filter(decks::id.eq(deck.as_uuid()))
                .filter(decks::owner_id.eq(owner.as_uuid()))
                .select(decks::id)
                .for_share()
                .first::<Uuid>(conn)
                .await?;
            let mut added = Vec::with_capacity(new_words.len());
            for new in new_words {
                let word_id = resolve_word(conn, &new.word, AddedBy::Learner(owner)).await?;
                let sentence = new.sentence.as_ref().map(|s| s.as_str());
                let rows: Vec<_> = types
                    .iter()
                    .map(|card_type| {
                        (
                            cards::id.eq(Uuid::now_v7()),
                            cards::user_id.eq(owner.as_uuid()),
                            cards::deck_id.eq(deck.as_uuid()),
                            cards::word_id.eq(word_id.as_uuid()),
                            cards::card_type.eq(card_type.as_str()),
                            cards::state.eq("learning"),
                            cards::step.eq(Some(0)),
                            cards::due.eq(now),
                            cards::created_at.eq(now),
                            cards::source_sentence.eq(sentence),
                        )
                    })
                    .collect();
                let cards_created = diesel::insert_into(cards::table)
                    .values(&rows)
                    .on_conflict_do_nothing()
                    .execute(conn)
                    .await?;
                added.push(AddedWord {
                    word_id,
                    cards_created,
                });
            }
            Ok(added)
        })
        .await
        .map_err(from_diesel)
    }

    async fn list(
        &self,
        owner: UserId,
        filter: &CardFilter,
    ) -> Result<Vec<Card>, LearningStoreError> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        let mut query = cards::table
            .filter(cards::user_id.eq(owner.as_uuid()))
            .select(CardRow::as_select())
            .order(cards::id)
            .limit(i64::from(filter.limit.clamp(1, 500)))
            .into_boxed();
        if let Some(deck) = filter.deck {
            query = query.filter(cards::deck_id.eq(deck.as_uuid()));
        }
        if let Some(state) = filter.state {
            query = query.filter(cards::state.eq(state_name(state)));
        }
        if let Some(before) = filter.due_before {
            query = query.filter(cards::due.le(before));
        }
        if let Some(leech) = filter.leech {
            query = query.filter(cards::leech.eq(leech));
        }
        if let Some(prefix) = &filter.lemma_prefix {
            let matching = words::table
                .filter(words::lemma.ilike(format!("{}%", like_escaped(prefix))))
                .select(words::id);
            query = query.filter(cards::word_id.eq_any(matching));
        }
        if let Some(text) = &filter.note_contains {
            query = query.filter(cards::note.ilike(format!("%{}%", like_escaped(text))));
        }
        if let Some(tag) = &filter.tag {
            query = query.filter(cards::tags.contains(vec![tag.as_str().to_owned()]));
        }
        if let Some(after) = filter.after {
            query = query.filter(cards::id.gt(after.as_uuid()));
        }
        let rows: Vec<CardRow> = query.load(&mut conn).await.map_err(unavailable)?;
        rows.into_iter().map(CardRow::into_card).collect()
    }

    async fn apply_review(
        &self,
        owner: UserId,
        request: &ReviewRequest,
        decide: &Decide,
    ) -> Result<ReviewOutcome, LearningStoreError> {
        self.review_in_transaction(owner, request, decide).await
    }

    async fn undo_review(
        &self,
        owner: UserId,
        card: CardId,
        review: Option<&str>,
        decide: &DecideUndo,
    ) -> Result<Card, UndoError> {
        self.undo(owner, card, review, decide).await
    }

    async fn change(
        &self,
        owner: UserId,
        card: CardId,
        change: lingo_learning::card_actions::CardChange,
    ) -> Result<Card, LearningStoreError> {
        use lingo_learning::card_actions::CardChange;
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        let target = cards::table
            .filter(cards::id.eq(card.as_uuid()))
            .filter(cards::user_id.eq(owner.as_uuid()));
        let bump = cards::version.eq(cards::version + 1);
        let row: CardRow = match change {
            CardChange::Suspended(on) => {
                diesel::update(target)
                    .set((cards::suspended.eq(on), bump))
                    .returning(CardRow::as_returning())
                    .get_result(&mut conn)
                    .await
            }
            CardChange::BuriedUntil(until) => {
                diesel::update(target)
                    .set((cards::buried_until.eq(until), bump))
                    .returning(CardRow::as_returning())
                    .get_result(&mut conn)
                    .await
            }
            CardChange::Reset { now } => {
                diesel::update(target)
                    .set((
                        cards::state.eq("learning"),
                        cards::step.eq(Some(0)),
                        cards::stability.eq(None::<f64>),
                        cards::difficulty.eq(None::<f64>),
                        cards::due.eq(now),
                        cards::last_review.eq(None::<DateTime<Utc>>),
                        cards::reps.eq(0),
                        cards::lapses.eq(0),
                        cards::leech.eq(false),
                        cards::suspended.eq(false),
                        cards::buried_until.eq(None::<DateTime<Utc>>),
                        cards::reset_at.eq(Some(now)),
                        bump,
                    ))
                    .returning(CardRow::as_returning())
                    .get_result(&mut conn)
                    .await
            }
            CardChange::Move { deck } => {
                let owned = decks::table
                    .filter(decks::id.eq(deck.as_uuid()))
                    .filter(decks::owner_id.eq(owner.as_uuid()))
                    .select(decks::id);
                diesel::update(target.filter(diesel::dsl::exists(owned)))
                    .set((cards::deck_id.eq(deck.as_uuid()), bump))
                    .returning(CardRow::as_returning())
                    .get_result(&mut conn)
                    .await
            }
        }
        .map_err(from_diesel)?;
        row.into_card()
    }

    async fn edit_material(
        &self,
        owner: UserId,
        card: CardId,
        edit: &MaterialEdit,
    ) -> Result<Card, LearningStoreError> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        let target = cards::table
            .filter(cards::id.eq(card.as_uuid()))
            .filter(cards::user_id.eq(owner.as_uuid()));
        let text = |v: &Option<&str>| v.map(str::to_owned);
        let changes = MaterialChangeset {
            note: edit
                .note
                .as_ref()
                .map(|v| text(&v.as_ref().map(|n| n.as_str()))),
            translation: edit
                .translation
                .as_ref()
                .map(|v| text(&v.as_ref().map(|t| t.as_str()))),
            tags: edit.tags.as_ref().map(|t| t.as_strings()),
            source_sentence: edit
                .source_sentence
                .as_ref()
                .map(|v| text(&v.as_ref().map(|s| s.as_str()))),
        };
        let row: CardRow = if edit.is_empty() {
            target.select(CardRow::as_select()).first(&mut conn).await
        } else {
            diesel::update(target)
                .set((&changes, cards::version.eq(cards::version + 1)))
                .returning(CardRow::as_returning())
                .get_result(&mut conn)
                .await
        }
        .map_err(from_diesel)?;
        row.into_card()
    }

    async fn study_candidates(
        &self,
        owner: UserId,
        deck: Option<DeckId>,
        now: DateTime<Utc>,
        day_start: DateTime<Utc>,
        fetch: u32,
    ) -> Result<lingo_learning::study_queue::Candidates, LearningStoreError> {
        self.candidates(owner, deck, now, day_start, fetch).await
    }

    async fn due_counts(
        &self,
        owner: UserId,
        deck: Option<DeckId>,
        now: DateTime<Utc>,
        at_most: lingo_learning::study_session::DueCounts,
    ) -> Result<lingo_learning::study_session::DueCounts, LearningStoreError> {
        self.due(owner, deck, now, at_most).await
    }

    async fn stats(
        &self,
        owner: UserId,
        now: DateTime<Utc>,
        utc_offset_seconds: i32,
    ) -> Result<lingo_learning::stats::RawStats, LearningStoreError> {
        self.raw_stats(owner, now, utc_offset_seconds).await
    }
}
