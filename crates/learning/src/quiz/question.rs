//! A quiz and its questions as stored: what the learner sees (`Prompt`), what only the server
//! knows (`Expected`) and, once answered, how it was graded (`QuestionResult`).

use crate::Rating;
use chrono::{DateTime, Utc};
use lingo_kernel::{CardId, DeckId, QuizId, UserId};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    /// A meaning; choose the word among four.
    MeaningToWord,
    /// A word; choose its meaning among four.
    WordToMeaning,
    /// An example sentence with the word blanked out; type it.
    Cloze,
    /// A meaning; type the word.
    Typing,
    /// Several words and their meanings, shuffled; pair them up.
    Matching,
    /// The word's pronunciation; choose the word among four, or type it when there are no
    /// options.
    Listening,
}

impl QuestionKind {
    pub const ALL: [Self; 6] = [
        Self::MeaningToWord,
        Self::WordToMeaning,
        Self::Cloze,
        Self::Typing,
        Self::Matching,
        Self::Listening,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::MeaningToWord => "meaning_to_word",
            Self::WordToMeaning => "word_to_meaning",
            Self::Cloze => "cloze",
            Self::Typing => "typing",
            Self::Matching => "matching",
            Self::Listening => "listening",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == raw)
    }
}

/// What the client is shown; never contains the answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Prompt {
    MeaningToWord {
        meaning: String,
        options: Vec<String>,
    },
    WordToMeaning {
        word: String,
        options: Vec<String>,
    },
    Cloze {
        /// The sentence with the word replaced by `____`.
        sentence: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        hint: Option<String>,
    },
    Typing {
        meaning: String,
    },
    Matching {
        words: Vec<String>,
        /// The same meanings, in another order.
        meanings: Vec<String>,
    },
    Listening {
        /// The word spoken (source audio, else rendered: `/api/v1/audio/{id}`).
        audio_url: String,
        /// Four words to choose from; empty: type what you hear.
        options: Vec<String>,
    },
}

impl Prompt {
    pub fn kind(&self) -> QuestionKind {
        match self {
            Self::MeaningToWord { .. } => QuestionKind::MeaningToWord,
            Self::WordToMeaning { .. } => QuestionKind::WordToMeaning,
            Self::Cloze { .. } => QuestionKind::Cloze,
            Self::Typing { .. } => QuestionKind::Typing,
            Self::Matching { .. } => QuestionKind::Matching,
            Self::Listening { .. } => QuestionKind::Listening,
        }
    }
}

/// One word ↔ meaning pair of a matching question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pair {
    pub card_id: CardId,
    pub word: String,
    pub meaning: String,
}

/// The right answer, kept on the server until the question is answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Expected {
    Text { answer: String },
    Pairs { pairs: Vec<Pair> },
}

/// The learner's answer: text (chosen option or typed word), or word → meaning for matching.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Answer {
    Text(String),
    Pairs(BTreeMap<String, String>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Correct,
    /// Right but for a small typo.
    Almost,
    Wrong,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Correct => "correct",
            Self::Almost => "almost",
            Self::Wrong => "wrong",
        }
    }
}

/// How one card of an answered question was graded and what its review did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CardResult {
    pub card_id: CardId,
    pub outcome: Outcome,
    pub rating: Rating,
    /// The card's next due date and state after the review.
    pub due: Option<DateTime<Utc>>,
    pub state: Option<String>,
    /// Why the review was not applied (e.g. the card was suspended since).
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionResult {
    pub position: u32,
    pub outcome: Outcome,
    /// The lowest rating of the cards involved.
    pub rating: Rating,
    pub expected: Expected,
    pub answer: Answer,
    pub duration_ms: u32,
    pub answered_at: DateTime<Utc>,
    pub cards: Vec<CardResult>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    /// 1-based.
    pub position: u32,
    pub card_ids: Vec<CardId>,
    pub prompt: Prompt,
    pub expected: Expected,
    pub result: Option<QuestionResult>,
}

impl Question {
    pub fn kind(&self) -> QuestionKind {
        self.prompt.kind()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Quiz {
    pub id: QuizId,
    pub owner: UserId,
    pub deck: Option<DeckId>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub questions: Vec<Question>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prompts_carry_their_kind_and_never_the_answer() {
        let prompt = Prompt::Typing {
            meaning: "خانه".into(),
        };
        let json = serde_json::to_value(&prompt).expect("json");
        assert_eq!(
            json,
            serde_json::json!({"kind": "typing", "meaning": "خانه"})
        );
        assert_eq!(QuestionKind::parse("cloze"), Some(QuestionKind::Cloze));
    }

    #[test]
    fn answers_are_text_or_pairs() {
        let text: Answer = serde_json::from_str("\"house\"").expect("text");
        assert_eq!(text, Answer::Text("house".into()));
        let pairs: Answer = serde_json::from_str(r#"{"bank": "an institution"}"#).expect("pairs");
        assert!(matches!(pairs, Answer::Pairs(p) if p.len() == 1));
    }
}
