//! Card rows to domain cards and back.

use crate::schema::cards;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use lingo_kernel::{CardId, DeckId, UserId, WordId};
use lingo_learning::card::{Card, CardType};
use lingo_learning::card_material::{
    CardMaterial, CardNote, CustomTranslation, SourceSentence, Tags,
};
use lingo_learning::ports::LearningStoreError;
use lingo_learning::scheduler::{CardSchedule, CardState};

#[derive(Queryable, Selectable, QueryableByName, Debug, Clone)]
#[diesel(table_name = cards)]
pub struct CardRow {
    pub id: uuid::Uuid,
    pub user_id: uuid::Uuid,
    pub deck_id: uuid::Uuid,
    pub word_id: uuid::Uuid,
    pub card_type: String,
    pub state: String,
    pub step: Option<i32>,
    pub stability: Option<f64>,
    pub difficulty: Option<f64>,
    pub due: DateTime<Utc>,
    pub last_review: Option<DateTime<Utc>>,
    pub reps: i32,
    pub lapses: i32,
    pub suspended: bool,
    pub buried_until: Option<DateTime<Utc>>,
    pub leech: bool,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub reset_at: Option<DateTime<Utc>>,
    pub note: Option<String>,
    pub translation: Option<String>,
    pub tags: Vec<String>,
    pub source_sentence: Option<String>,
}

pub fn state_name(state: CardState) -> &'static str {
    match state {
        CardState::Learning => "learning",
        CardState::Review => "review",
        CardState::Relearning => "relearning",
    }
}

/// `Some(None)` for no value, `Some(Some(v))` for a valid one, `None` for a stored value the
/// domain refuses (corrupt data is an error, never dropped silently).
fn parse_opt<T, E>(raw: Option<&str>, parse: fn(&str) -> Result<T, E>) -> Option<Option<T>> {
    match raw {
        None => Some(None),
        Some(raw) => parse(raw).ok().map(Some),
    }
}

impl CardRow {
    pub fn into_card(self) -> Result<Card, LearningStoreError> {
        let corrupt = |what: &str| {
            LearningStoreError::Unavailable(format!("card {} has an invalid {what}", self.id))
        };
        let material = CardMaterial {
            note: parse_opt(self.note.as_deref(), CardNote::parse)
                .ok_or_else(|| corrupt("note"))?,
            translation: parse_opt(self.translation.as_deref(), CustomTranslation::parse)
                .ok_or_else(|| corrupt("translation"))?,
            tags: Tags::parse(&self.tags).map_err(|_| corrupt("tag"))?,
            source_sentence: parse_opt(self.source_sentence.as_deref(), SourceSentence::parse)
                .ok_or_else(|| corrupt("source sentence"))?,
        };
        Ok(Card {
            id: CardId::from_uuid(self.id),
            user: UserId::from_uuid(self.user_id),
            deck: DeckId::from_uuid(self.deck_id),
            word: WordId::from_uuid(self.word_id),
            card_type: CardType::parse(&self.card_type).ok_or_else(|| corrupt("type"))?,
            schedule: CardSchedule {
                state: CardState::parse(&self.state).ok_or_else(|| corrupt("state"))?,
                step: self.step.and_then(|s| u32::try_from(s).ok()),
                stability: self.stability,
                difficulty: self.difficulty,
                due: self.due,
                last_review: self.last_review,
            },
            reps: self.reps,
            lapses: self.lapses,
            suspended: self.suspended,
            buried_until: self.buried_until,
            leech: self.leech,
            version: self.version,
            created_at: self.created_at,
            reset_at: self.reset_at,
            material,
        })
    }
}
