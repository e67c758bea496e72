use crate::card_material::CardMaterial;
use crate::scheduler::{CardSchedule, CardState};
use chrono::{DateTime, Utc};
use lingo_kernel::{CardId, DeckId, UserId, WordId};
use serde::{Deserialize, Serialize};

/// Which way a word is asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CardType {
    /// Target word → meaning.
    Recognition,
    /// Meaning → target word.
    Recall,
    /// Spell the word.
    Typing,
}

impl CardType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Recognition => "recognition",
            Self::Recall => "recall",
            Self::Typing => "typing",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "recognition" => Some(Self::Recognition),
            "recall" => Some(Self::Recall),
            "typing" => Some(Self::Typing),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Card {
    pub id: CardId,
    pub user: UserId,
    pub deck: DeckId,
    pub word: WordId,
    pub card_type: CardType,
    pub schedule: CardSchedule,
    pub reps: i32,
    pub lapses: i32,
    pub suspended: bool,
    pub buried_until: Option<DateTime<Utc>>,
    pub leech: bool,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    /// When the learner last reset the card; reviews before it are history only.
    pub reset_at: Option<DateTime<Utc>>,
    /// The learner's note, translation, tags and source sentence.
    pub material: CardMaterial,
}

/// The scheduling part of a card, as stored before and after each review (for undo).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CardSnapshot {
    pub state: CardState,
    pub step: Option<u32>,
    pub stability: Option<f64>,
    pub difficulty: Option<f64>,
    pub due: DateTime<Utc>,
    pub last_review: Option<DateTime<Utc>>,
    pub reps: i32,
    pub lapses: i32,
    pub leech: bool,
    pub suspended: bool,
}

impl CardSnapshot {
    /// A card never reviewed, due at `due`.
    pub fn unreviewed(due: DateTime<Utc>) -> Self {
        Self {
            state: CardState::Learning,
            step: Some(0),
            stability: None,
            difficulty: None,
            due,
            last_review: None,
            reps: 0,
            lapses: 0,
            leech: false,
            suspended: false,
        }
    }

    /// `schedule` with the counters and flags of `counts`.
    pub fn of(schedule: &CardSchedule, counts: &CardSnapshot) -> Self {
        Self {
            state: schedule.state,
            step: schedule.step,
            stability: schedule.stability,
            difficulty: schedule.difficulty,
            due: schedule.due,
            last_review: schedule.last_review,
            ..counts.clone()
        }
    }

    pub fn schedule(&self) -> CardSchedule {
        CardSchedule {
            state: self.state,
            step: self.step,
            stability: self.stability,
            difficulty: self.difficulty,
            due: self.due,
            last_review: self.last_review,
        }
    }
}

impl Card {
    /// A new recognition card of `word`, created at `at`, for unit tests.
    #[cfg(test)]
    pub(crate) fn for_test(word: WordId, at: DateTime<Utc>) -> Self {
        Self {
            id: CardId::new(),
            user: UserId::new(),
            deck: DeckId::new(),
            word,
            card_type: CardType::Recognition,
            schedule: CardSchedule::new(at),
            reps: 0,
            lapses: 0,
            suspended: false,
            buried_until: None,
            leech: false,
            version: 1,
            created_at: at,
            reset_at: None,
            material: CardMaterial::default(),
        }
    }

    pub fn snapshot(&self) -> CardSnapshot {
        CardSnapshot {
            state: self.schedule.state,
            step: self.schedule.step,
            stability: self.schedule.stability,
            difficulty: self.schedule.difficulty,
            due: self.schedule.due,
            last_review: self.schedule.last_review,
            reps: self.reps,
            lapses: self.lapses,
            leech: self.leech,
            suspended: self.suspended,
        }
    }

    /// The card exactly as `snapshot` recorded it, flags included (a replayed review).
    pub fn restore(&mut self, snapshot: &CardSnapshot) {
        self.restore_schedule(snapshot);
        self.leech = snapshot.leech;
        self.suspended = snapshot.suspended;
    }

    /// The scheduling fields of `snapshot` (state, step, memory, due, last review, reps and
    /// lapses); flags such as `suspended` stay as they are.
    pub fn restore_schedule(&mut self, snapshot: &CardSnapshot) {
        self.schedule = snapshot.schedule();
        self.reps = snapshot.reps;
        self.lapses = snapshot.lapses;
    }
}
