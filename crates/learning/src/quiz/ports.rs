//! What the quiz use cases need from storage and from the dictionary, named by role.

use super::question::{QuestionResult, Quiz};
use crate::card::Card;
use crate::ports::LearningStoreError;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use lingo_dictionary::meaning::MeaningSource;
use lingo_kernel::{DeckId, LanguageCode, QuizId, UserId, WordId};
use std::collections::HashMap;

/// What a quiz may ask about one word.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WordFacts {
    pub word_id: WordId,
    pub lemma: String,
    pub part_of_speech: String,
    pub zipf: Option<f64>,
    /// The first meaning along the learner's fallback chain: a translation into their language,
    /// else a definition or another language, as configured.
    pub meaning: Option<String>,
    /// Example sentences of the word's senses.
    pub examples: Vec<String>,
    pub synonyms: Vec<String>,
    /// Inflected forms ("houses"), for finding the word in an example.
    pub forms: Vec<String>,
    /// The word's pronunciation (source audio first, else rendered audio), for listening.
    pub audio_url: Option<String>,
}

/// The facts of the quizzed words and, per word, candidate distractors: words of the same part
/// of speech, closest in frequency, fetched with one entry-store query for all of them.
#[derive(Debug, Clone, Default)]
pub struct QuizMaterial {
    pub facts: HashMap<WordId, WordFacts>,
    pub candidates: HashMap<WordId, Vec<WordFacts>>,
    /// Where meanings were looked for, in order (the learner's fallback chain), for saying
    /// why a quiz could not be built.
    pub meanings_from: Vec<MeaningSource>,
}

#[async_trait]
pub trait QuizWordFacts: Send + Sync {
    /// Facts of `words` (meanings in `native` when the dictionaries have them) and up to
    /// `candidates` distractor candidates per word.
    async fn material(
        &self,
        native: &LanguageCode,
        words: &[WordId],
        candidates: usize,
    ) -> Result<QuizMaterial, LearningStoreError>;
}

#[async_trait]
pub trait QuizCards: Send + Sync {
    /// The learner's due cards and cards in learning or relearning, neither suspended nor
    /// buried, oldest due first.
    async fn quiz_candidates(
        &self,
        owner: UserId,
        deck: Option<DeckId>,
        now: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<Card>, LearningStoreError>;
}

/// What became of recording an answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Recorded {
    Saved,
    /// The question had been answered; this is the first result.
    AlreadyAnswered(Box<QuestionResult>),
}

#[async_trait]
pub trait QuizStore: Send + Sync {
    async fn create(&self, quiz: &Quiz) -> Result<(), LearningStoreError>;
    /// `NotFound` also for another learner's quiz.
    async fn get(&self, owner: UserId, id: QuizId) -> Result<Quiz, LearningStoreError>;
    /// Stores the result of a question not answered yet (atomically, once).
    async fn record(
        &self,
        owner: UserId,
        quiz: QuizId,
        result: &QuestionResult,
    ) -> Result<Recorded, LearningStoreError>;
}
