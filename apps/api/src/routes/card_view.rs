//! A card as the api shows it (reviews, the study queue, card listings and actions).

use chrono::{DateTime, Utc};
use lingo_learning::card::Card;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Serialize, ToSchema)]
pub struct CardView {
    pub(super) id: Uuid,
    deck_id: Uuid,
    word_id: Uuid,
    #[schema(value_type = super::enums::CardTypeName)]
    card_type: &'static str,
    #[schema(value_type = super::enums::CardStateName)]
    state: &'static str,
    step: Option<u32>,
    stability: Option<f64>,
    difficulty: Option<f64>,
    due: DateTime<Utc>,
    last_review: Option<DateTime<Utc>>,
    reps: i32,
    lapses: i32,
    suspended: bool,
    leech: bool,
    version: i32,
    /// The learner's own note.
    note: Option<String>,
    /// The learner's own translation, shown before the dictionary's.
    translation: Option<String>,
    /// The learner's tags (lower case, sorted).
    tags: Vec<String>,
    /// The sentence the word was picked from.
    source_sentence: Option<String>,
}

impl From<&Card> for CardView {
    fn from(c: &Card) -> Self {
        Self {
            id: c.id.as_uuid(),
            deck_id: c.deck.as_uuid(),
            word_id: c.word.as_uuid(),
            card_type: c.card_type.as_str(),
            state: c.schedule.state.as_str(),
            step: c.schedule.step,
            stability: c.schedule.stability,
            difficulty: c.schedule.difficulty,
            due: c.schedule.due,
            last_review: c.schedule.last_review,
            reps: c.reps,
            lapses: c.lapses,
            suspended: c.suspended,
            leech: c.leech,
            version: c.version,
            note: c.material.note.as_ref().map(|n| n.as_str().to_owned()),
            translation: c
                .material
                .translation
                .as_ref()
                .map(|t| t.as_str().to_owned()),
            tags: c.material.tags.as_strings(),
            source_sentence: c
                .material
                .source_sentence
                .as_ref()
                .map(|s| s.as_str().to_owned()),
        }
    }
}
