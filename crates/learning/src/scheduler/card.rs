use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// py-fsrs's states: a new card is Learning at step 0 with no memory yet.
/// Written snake_case (`learning`); py-fsrs's capitalised names are read too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CardState {
    #[serde(alias = "Learning")]
    Learning,
    #[serde(alias = "Review")]
    Review,
    #[serde(alias = "Relearning")]
    Relearning,
}

impl CardState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Learning => "learning",
            Self::Review => "review",
            Self::Relearning => "relearning",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "Learning" | "learning" => Some(Self::Learning),
            "Review" | "review" => Some(Self::Review),
            "Relearning" | "relearning" => Some(Self::Relearning),
            _ => None,
        }
    }
}

/// What the scheduler knows about one card.
#[derive(Debug, Clone, PartialEq)]
pub struct CardSchedule {
    pub state: CardState,
    /// The learning or relearning step; `None` in Review.
    pub step: Option<u32>,
    pub stability: Option<f64>,
    pub difficulty: Option<f64>,
    pub due: DateTime<Utc>,
    pub last_review: Option<DateTime<Utc>>,
}

impl CardSchedule {
    /// A card never reviewed, due at `now`.
    pub fn new(now: DateTime<Utc>) -> Self {
        Self {
            state: CardState::Learning,
            step: Some(0),
            stability: None,
            difficulty: None,
            due: now,
            last_review: None,
        }
    }

    pub fn is_new(&self) -> bool {
        self.last_review.is_none()
    }
}
