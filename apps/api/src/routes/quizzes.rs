//! Quizzes over the learner's due and learning cards, graded into reviews.

use super::list::List;
use crate::caller::Caller;
use crate::json_body::JsonBody;
use crate::problem::{ApiError, Problem};
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use lingo_kernel::{CardId, DeckId, QuizId};
use lingo_learning::quiz::question::{
    Answer, CardResult, Prompt, Question, QuestionKind, QuestionResult, Quiz,
};
use lingo_learning::quiz::{GivenAnswer, NewQuiz};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"deck_id": null, "size": 10}))]
pub struct CreateQuizInput {
    deck_id: Option<Uuid>,
    /// 1–20, default 10.
    #[validate(range(min = 1, max = 20, message = "1 to 20 questions"))]
    #[schema(minimum = 1, maximum = 20)]
    size: Option<u32>,
    /// Only these kinds (default: every kind).
    #[serde(default)]
    #[schema(value_type = Vec<super::enums::QuizKindName>)]
    kinds: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct QuestionView {
    position: u32,
    card_ids: Vec<Uuid>,
    /// `kind` and its fields: meaning/options, word/options, sentence/hint, meaning, or
    /// words/meanings.
    #[serde(flatten)]
    #[schema(value_type = super::response_schemas::QuizPrompt)]
    prompt: Prompt,
    #[serde(skip_serializing_if = "Option::is_none")]
    result: Option<ResultView>,
}

#[derive(Serialize, ToSchema)]
pub struct QuizView {
    id: Uuid,
    deck_id: Option<Uuid>,
    created_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    questions: Vec<QuestionView>,
}

impl From<&Question> for QuestionView {
    fn from(q: &Question) -> Self {
        Self {
            position: q.position,
            card_ids: q.card_ids.iter().map(CardId::as_uuid).collect(),
            prompt: q.prompt.clone(),
            result: q.result.as_ref().map(ResultView::from),
        }
    }
}

impl From<&Quiz> for QuizView {
    fn from(quiz: &Quiz) -> Self {
        Self {
            id: quiz.id.as_uuid(),
            deck_id: quiz.deck.map(|d| d.as_uuid()),
            created_at: quiz.created_at,
            expires_at: quiz.expires_at,
            questions: quiz.questions.iter().map(QuestionView::from).collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ReviewView {
    card_id: Uuid,
    /// correct, almost or wrong
    outcome: &'static str,
    /// 1 again, 2 hard, 3 good, 4 easy
    rating: u8,
    #[serde(skip_serializing_if = "Option::is_none")]
    due: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    state: Option<String>,
    /// Why no review was applied (e.g. the card was suspended since the quiz was built).
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ResultView {
    position: u32,
    /// correct, almost or wrong (a matching question: its worst pair)
    outcome: &'static str,
    /// The lowest rating of the cards involved.
    rating: u8,
    /// The right answer: `{answer}` or `{pairs: [{card_id, word, meaning}]}`.
    #[schema(value_type = super::response_schemas::QuizExpected)]
    expected: serde_json::Value,
    #[schema(value_type = super::response_schemas::QuizAnswer)]
    answer: serde_json::Value,
    duration_ms: u32,
    answered_at: DateTime<Utc>,
    card_ids: Vec<Uuid>,
    reviews: Vec<ReviewView>,
}

impl From<&CardResult> for ReviewView {
    fn from(c: &CardResult) -> Self {
        Self {
            card_id: c.card_id.as_uuid(),
            outcome: c.outcome.as_str(),
            rating: c.rating.into(),
            due: c.due,
            state: c.state.clone(),
            error: c.error.clone(),
        }
    }
}

impl From<&QuestionResult> for ResultView {
    fn from(r: &QuestionResult) -> Self {
        Self {
            position: r.position,
            outcome: r.outcome.as_str(),
            rating: r.rating.into(),
            expected: serde_json::to_value(&r.expected).unwrap_or_default(),
            answer: serde_json::to_value(&r.answer).unwrap_or_default(),
            duration_ms: r.duration_ms,
            answered_at: r.answered_at,
            card_ids: r.cards.iter().map(|c| c.card_id.as_uuid()).collect(),
            reviews: r.cards.iter().map(ReviewView::from).collect(),
        }
    }
}

/// Builds a quiz from the caller's due and learning cards (oldest due first). Answers stay on
/// the server until each question is answered.
#[utoipa::path(post, path = "/api/v1/quizzes", tag = "learning", request_body = CreateQuizInput,
    security(("bearer" = [])),
    responses((status = 201, body = QuizView),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The quiz cannot be built now: no due or learning cards \
            (type urn:lingo:problem:quiz-no-cards), no meaning along the learner's fallback chain \
            (urn:lingo:problem:quiz-no-meanings), no example for a cloze-only quiz \
            (urn:lingo:problem:quiz-no-examples), no audio for a listening-only quiz \
            (urn:lingo:problem:quiz-no-audio), too few distractors of the same part of speech \
            (urn:lingo:problem:quiz-too-few-distractors)", body = Problem, content_type = "application/problem+json")))]
pub async fn create(
    caller: Caller,
    body: JsonBody<CreateQuizInput>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    let kinds = body
        .kinds
        .iter()
        .map(|k| {
            QuestionKind::parse(k).ok_or_else(|| {
                ApiError::invalid(
                    "kinds",
                    "meaning_to_word, word_to_meaning, cloze, typing, matching or listening",
                )
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let request = NewQuiz {
        deck: body.deck_id.map(DeckId::from_uuid),
        size: body.size.unwrap_or(10),
        kinds,
    };
    let quiz = state.quizzes.create(caller.user, &request).await?;
    Ok(HttpResponse::Created().json(QuizView::from(&quiz)))
}

/// The caller's quiz, with the results of the questions answered so far.
#[utoipa::path(get, path = "/api/v1/quizzes/{id}", tag = "learning", security(("bearer" = [])),
    responses((status = 200, body = QuizView), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn get(
    caller: Caller,
    id: web::Path<Uuid>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let quiz = state
        .quizzes
        .get(caller.user, QuizId::from_uuid(*id))
        .await?;
    Ok(HttpResponse::Ok().json(QuizView::from(&quiz)))
}

/// The longest answer text graded: grading compares texts by edit distance, whose cost grows
/// with the product of both lengths, so a huge answer is refused before it reaches the grader.
const MAX_ANSWER_CHARS: usize = 200;
const MAX_ANSWER_PAIRS: usize = 20;

fn answer_size(answer: &Answer) -> Result<(), validator::ValidationError> {
    let too_long = |text: &String| text.chars().count() > MAX_ANSWER_CHARS;
    let fits = match answer {
        Answer::Text(text) => !too_long(text),
        Answer::Pairs(pairs) => {
            pairs.len() <= MAX_ANSWER_PAIRS
                && !pairs.iter().any(|(k, v)| too_long(k) || too_long(v))
        }
    };
    if fits {
        Ok(())
    } else {
        Err(validator::ValidationError::new("invalid").with_message(
            format!("at most {MAX_ANSWER_CHARS} characters per text and {MAX_ANSWER_PAIRS} pairs")
                .into(),
        ))
    }
}

#[derive(Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerInput {
    #[validate(range(min = 1, message = "positions start at 1"))]
    #[schema(minimum = 1)]
    position: u32,
    /// The chosen or typed text (at most 200 characters); for matching an object word →
    /// meaning (at most 20 pairs of such texts).
    #[schema(value_type = super::response_schemas::QuizAnswer)]
    #[validate(custom(function = "answer_size"))]
    answer: Answer,
    #[validate(range(max = 86_400_000, message = "at most a day"))]
    #[schema(minimum = 0, maximum = 86_400_000)]
    duration_ms: u32,
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"answers": [{"position": 1, "answer": "house", "duration_ms": 3200}]}))]
pub struct AnswersInput {
    #[validate(length(min = 1, max = 20, message = "1 to 20 answers"), nested)]
    #[schema(min_items = 1, max_items = 20)]
    answers: Vec<AnswerInput>,
}

/// Grades answers and turns each into FSRS reviews of its cards (wrong → again, almost or slow
/// → hard, correct → good, fast → easy). Each question is answered once: a second answer is a
/// 409 carrying the first result.
#[utoipa::path(post, path = "/api/v1/quizzes/{id}/answers", tag = "learning", request_body = AnswersInput,
    security(("bearer" = [])),
    responses((status = 200, description = "One result per answer, in the order given", body = List<ResultView>),
        (status = 404, description = "No such quiz of the caller", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already answered (`results`: the first answers) or expired", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn answer(
    caller: Caller,
    id: web::Path<Uuid>,
    body: JsonBody<AnswersInput>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    let answers: Vec<GivenAnswer> = body
        .answers
        .iter()
        .map(|a| GivenAnswer {
            position: a.position,
            answer: a.answer.clone(),
            duration_ms: a.duration_ms,
        })
        .collect();
    let results = state
        .quizzes
        .answer(caller.user, QuizId::from_uuid(*id), &answers)
        .await?;
    Ok(HttpResponse::Ok().json(results.iter().map(ResultView::from).collect::<List<_>>()))
}
