//! Quizzes over the learner's due and learning cards: multiple choice both ways, cloze, typing
//! and matching. Each answered question becomes FSRS reviews of its cards through the same
//! path as the review endpoint, idempotent per quiz, question and card.

pub mod build_quiz;
pub mod dictionary_facts;
pub mod grade_answer;
pub mod ports;
pub mod question;

use crate::ports::{LearnerProfiles, LearningStoreError};
use crate::review::{ReviewError, ReviewOutcome, ReviewRequest, ReviewService};
use build_quiz::Unbuildable;
use chrono::{Duration, SubsecRound};
use grade_answer::{CardGrade, QuizSettings, WrongShape};
use lingo_dictionary::meaning::describe;
use lingo_kernel::{Clock, DeckId, QuizId, UserId, WordId};
use ports::{QuizCards, QuizStore, QuizWordFacts, Recorded};
use question::{Answer, CardResult, QuestionKind, QuestionResult, Quiz};
use std::collections::HashSet;
use std::sync::Arc;

/// How long a quiz may be answered.
pub const QUIZ_TTL: Duration = Duration::hours(24);
/// Distractor candidates fetched per word (three are used).
const CANDIDATES: usize = 12;

#[derive(Debug, Clone, PartialEq)]
pub struct NewQuiz {
    pub deck: Option<DeckId>,
    /// 1–20, checked at the edge.
    pub size: u32,
    /// Only these kinds (all when empty).
    pub kinds: Vec<QuestionKind>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GivenAnswer {
    pub position: u32,
    pub answer: Answer,
    pub duration_ms: u32,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum QuizError {
    #[error("no such quiz")]
    NotFound,
    #[error("no due or learning cards")]
    NoCards,
    /// Cards exist but none of their words has a meaning along the learner's chain.
    #[error("none of the {words} words to quiz has {looked_for} in the dictionaries")]
    NoMeanings { words: usize, looked_for: String },
    #[error("none of the {words} words to quiz has an example sentence for a cloze question")]
    NoExamples { words: usize },
    #[error(
        "none of the {words} words to quiz has pronunciation audio yet for a listening question \
         (rendered audio is on its way; try again shortly)"
    )]
    NoAudio { words: usize },
    #[error(
        "the {words} words to quiz have meanings, but the dictionary has too few words of the \
         same part of speech to offer as choices for the kinds asked for"
    )]
    TooFewDistractors { words: usize },
    #[error("the quiz has expired")]
    Expired,
    #[error("the quiz has no question {0}")]
    NoSuchQuestion(u32),
    #[error("question {0} is answered twice in this request")]
    Repeated(u32),
    #[error(transparent)]
    WrongShape(#[from] WrongShape),
    /// The questions were answered before; these are their first results.
    #[error("already answered")]
    AlreadyAnswered(Vec<QuestionResult>),
    #[error("{0}")]
    Unavailable(String),
}

impl From<LearningStoreError> for QuizError {
    fn from(e: LearningStoreError) -> Self {
        match e {
            LearningStoreError::NotFound => Self::NotFound,
            LearningStoreError::Unavailable(m) => Self::Unavailable(m),
        }
    }
}

pub struct QuizDeps {
    pub cards: Arc<dyn QuizCards>,
    pub facts: Arc<dyn QuizWordFacts>,
    pub store: Arc<dyn QuizStore>,
    pub reviews: ReviewService,
    /// The learner's native language (the language of meanings) comes from their profile.
    pub profiles: Arc<dyn LearnerProfiles>,
    pub clock: Arc<dyn Clock>,
}

#[derive(Clone)]
pub struct QuizService {
    cards: Arc<dyn QuizCards>,
    facts: Arc<dyn QuizWordFacts>,
    store: Arc<dyn QuizStore>,
    reviews: ReviewService,
    profiles: Arc<dyn LearnerProfiles>,
    clock: Arc<dyn Clock>,
    settings: QuizSettings,
}

/// The quiz's random seed: from the random bits of its id, so a quiz can be rebuilt.
fn seed(id: QuizId) -> u64 {
    let uuid = id.as_uuid();
    let bytes = uuid.as_bytes();
    let mut low = [0u8; 8];
    low.copy_from_slice(&bytes[8..16]);
    u64::from_le_bytes(low)
}

impl QuizService {
    pub fn new(deps: QuizDeps, settings: QuizSettings) -> Self {
        Self {
            cards: deps.cards,
            facts: deps.facts,
            store: deps.store,
            reviews: deps.reviews,
            profiles: deps.profiles,
            clock: deps.clock,
            settings,
        }
    }

    #[tracing::instrument(name = "quiz.create", skip(self), fields(user = %owner))]
    pub async fn create(&self, owner: UserId, request: &NewQuiz) -> Result<Quiz, QuizError> {
        let native = &self.profiles.profile(owner).await?.native_language;
        let now = self.clock.now();
        // Siblings (other card types of one word) are fetched too; one card per word is kept.
        let fetched = self
            .cards
            .quiz_candidates(owner, request.deck, now, request.size.saturating_mul(3))
            .await?;
        let mut words = HashSet::new();
        let cards: Vec<_> = fetched
            .into_iter()
            .filter(|c| words.insert(c.word))
            .take(request.size as usize)
            .collect();
        if cards.is_empty() {
            return Err(QuizError::NoCards);
        }
        let word_ids: Vec<WordId> = cards.iter().map(|c| c.word).collect();
        let material = self.facts.material(native, &word_ids, CANDIDATES).await?;
        let id = QuizId::new();
        let questions = build_quiz::build_questions(&cards, &material, &request.kinds, seed(id));
        if questions.is_empty() {
            let words = cards.len();
            return Err(
                match build_quiz::why_empty(&cards, &material, &request.kinds) {
                    Unbuildable::NoMeanings => QuizError::NoMeanings {
                        words,
                        looked_for: describe(&material.meanings_from),
                    },
                    Unbuildable::NoExamples => QuizError::NoExamples { words },
                    Unbuildable::NoAudio => QuizError::NoAudio { words },
                    Unbuildable::TooFewDistractors => QuizError::TooFewDistractors { words },
                },
            );
        }
        let quiz = Quiz {
            id,
            owner,
            deck: request.deck,
            created_at: now,
            expires_at: now + QUIZ_TTL,
            questions,
        };
        self.store.create(&quiz).await?;
        Ok(quiz)
    }

    pub async fn get(&self, owner: UserId, id: QuizId) -> Result<Quiz, QuizError> {
        Ok(self.store.get(owner, id).await?)
    }

    /// Grades the answers, reviews every card involved and records each question's result once.
    #[tracing::instrument(name = "quiz.answer", skip(self, answers), fields(user = %owner))]
    pub async fn answer(
        &self,
        owner: UserId,
        id: QuizId,
        answers: &[GivenAnswer],
    ) -> Result<Vec<QuestionResult>, QuizError> {
        let quiz = self.store.get(owner, id).await?;
        // Microseconds, as stored: the result shows the same due dates the cards later do.
        let now = self.clock.now().trunc_subsecs(6);
        if now > quiz.expires_at {
            return Err(QuizError::Expired);
        }
        let mut graded = Vec::with_capacity(answers.len());
        let mut positions = HashSet::new();
        for given in answers {
            if !positions.insert(given.position) {
                return Err(QuizError::Repeated(given.position));
            }
            let question = quiz
                .questions
                .iter()
                .find(|q| q.position == given.position)
                .ok_or(QuizError::NoSuchQuestion(given.position))?;
            let grades =
                grade_answer::grade(question, &given.answer, given.duration_ms, self.settings)?;
            graded.push((question, given, grades));
        }
        let answered: Vec<QuestionResult> = graded
            .iter()
            .filter_map(|(q, _, _)| q.result.clone())
            .collect();
        if !answered.is_empty() {
            return Err(QuizError::AlreadyAnswered(answered));
        }
        let mut results = Vec::with_capacity(graded.len());
        let mut conflicts = Vec::new();
        for (question, given, grades) in graded {
            let mut cards = Vec::with_capacity(grades.len());
            for grade in &grades {
                cards.push(
                    self.review(
                        owner,
                        quiz.id,
                        question.position,
                        grade,
                        given.duration_ms,
                        now,
                    )
                    .await?,
                );
            }
            let (outcome, rating) = grade_answer::overall(&grades);
            let result = QuestionResult {
                position: question.position,
                outcome,
                rating,
                expected: question.expected.clone(),
                answer: given.answer.clone(),
                duration_ms: given.duration_ms,
                answered_at: now,
                cards,
            };
            // Reviews first, then the record: a retry after a crash in between replays the
            // reviews (same ids) and records the answer.
            match self.store.record(owner, quiz.id, &result).await? {
                Recorded::Saved => results.push(result),
                Recorded::AlreadyAnswered(first) => conflicts.push(*first),
            }
        }
        if results.is_empty() && !conflicts.is_empty() {
            return Err(QuizError::AlreadyAnswered(conflicts));
        }
        results.extend(conflicts);
        results.sort_by_key(|r| r.position);
        Ok(results)
    }

    async fn review(
        &self,
        owner: UserId,
        quiz: QuizId,
        position: u32,
        grade: &CardGrade,
        duration_ms: u32,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<CardResult, QuizError> {
        let request = ReviewRequest {
            card_id: grade.card_id,
            rating: grade.rating,
            reviewed_at: now,
            duration_ms: Some(duration_ms),
            client_review_id: format!("quiz:{quiz}:{position}:{}", grade.card_id),
        };
        let mut result = CardResult {
            card_id: grade.card_id,
            outcome: grade.outcome,
            rating: grade.rating,
            due: None,
            state: None,
            error: None,
        };
        match self.reviews.review(owner, &request).await {
            Ok(ReviewOutcome::Applied { card, .. } | ReviewOutcome::Replayed { card }) => {
                result.due = Some(card.schedule.due);
                result.state = Some(card.schedule.state.as_str().to_owned());
            }
            Ok(ReviewOutcome::Rejected(why)) => result.error = Some(why.to_string()),
            Ok(ReviewOutcome::Conflict(why)) => result.error = Some(why.to_string()),
            Err(ReviewError::NotFound) => result.error = Some("the card no longer exists".into()),
            Err(ReviewError::Unavailable(m)) => return Err(QuizError::Unavailable(m)),
        }
        Ok(result)
    }
}
