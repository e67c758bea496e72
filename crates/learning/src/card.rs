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

impl Card {
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

    pub fn restore(&mut self, snapshot: &CardSnapshot) {
        self.schedule = CardSchedule {
            state: snapshot.state,
            step: snapshot.step,
            stability: snapshot.stability,
            difficulty: snapshot.difficulty,
            due: snapshot.due,
            last_review: snapshot.last_review,
        };
        self.reps = snapshot.reps;
        self.lapses = snapshot.lapses;
        self.leech = snapshot.leech;
        self.suspended = snapshot.suspended;
    }
}
