//! Quizzes and their questions; each question is answered once.

use super::{TxError, from_diesel, unavailable};
use crate::pool::PgPool;
use crate::schema::{quiz_questions, quizzes};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, RunQueryDsl};
use lingo_kernel::{CardId, DeckId, QuizId, UserId};
use lingo_learning::ports::LearningStoreError;
use lingo_learning::quiz::ports::{QuizStore, Recorded};
use lingo_learning::quiz::question::{Question, QuestionResult, Quiz};
use serde_json::Value;
use uuid::Uuid;

#[derive(Clone)]
pub struct PgQuizStore {
    pool: PgPool,
}

impl PgQuizStore {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = quizzes)]
struct QuizRow {
    id: Uuid,
    deck_id: Option<Uuid>,
    created_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = quiz_questions)]
struct QuestionRow {
    position: i32,
    card_ids: Vec<Uuid>,
    prompt: Value,
    expected: Value,
    result: Option<Value>,
}

fn corrupt(e: impl std::fmt::Display) -> LearningStoreError {
    LearningStoreError::Unavailable(format!("stored quiz does not decode: {e}"))
}

impl QuestionRow {
    fn into_question(self) -> Result<Question, LearningStoreError> {
        Ok(Question {
            position: u32::try_from(self.position).map_err(corrupt)?,
            card_ids: self.card_ids.into_iter().map(CardId::from_uuid).collect(),
            prompt: serde_json::from_value(self.prompt).map_err(corrupt)?,
            expected: serde_json::from_value(self.expected).map_err(corrupt)?,
            result: self
                .result
                .map(serde_json::from_value)
                .transpose()
                .map_err(corrupt)?,
        })
    }
}

fn position(value: u32) -> Result<i32, LearningStoreError> {
    i32::try_from(value).map_err(unavailable)
}

#[async_trait]
impl QuizStore for PgQuizStore {
    #[tracing::instrument(name = "quizzes.create", skip_all, fields(questions = quiz.questions.len()))]
    async fn create(&self, quiz: &Quiz) -> Result<(), LearningStoreError> {
        let rows = quiz
            .questions
            .iter()
            .map(|q| {
                Ok((
                    quiz_questions::quiz_id.eq(quiz.id.as_uuid()),
                    quiz_questions::position.eq(position(q.position)?),
                    quiz_questions::kind.eq(q.kind().as_str()),
                    quiz_questions::card_ids.eq(q
                        .card_ids
                        .iter()
                        .map(CardId::as_uuid)
                        .collect::<Vec<_>>()),
                    quiz_questions::prompt
                        .eq(serde_json::to_value(&q.prompt).map_err(unavailable)?),
                    quiz_questions::expected
                        .eq(serde_json::to_value(&q.expected).map_err(unavailable)?),
                ))
            })
            .collect::<Result<Vec<_>, LearningStoreError>>()?;
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        conn.transaction::<(), TxError, _>(async |conn| {
            diesel::insert_into(quizzes::table)
                .values((
                    quizzes::id.eq(quiz.id.as_uuid()),
                    quizzes::user_id.eq(quiz.owner.as_uuid()),
                    quizzes::deck_id.eq(quiz.deck.map(|d| d.as_uuid())),
                    quizzes::created_at.eq(quiz.created_at),
                    quizzes::expires_at.eq(quiz.expires_at),
                ))
                .execute(conn)
                .await?;
            diesel::insert_into(quiz_questions::table)
                .values(rows)
                .execute(conn)
                .await?;
            Ok(())
        })
        .await
        .map_err(LearningStoreError::from)
    }

    #[tracing::instrument(name = "quizzes.get", skip(self), fields(user = %owner))]
    async fn get(&self, owner: UserId, id: QuizId) -> Result<Quiz, LearningStoreError> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        let quiz: QuizRow = quizzes::table
            .filter(quizzes::id.eq(id.as_uuid()))
            .filter(quizzes::user_id.eq(owner.as_uuid()))
            .select(QuizRow::as_select())
            .first(&mut conn)
            .await
            .map_err(from_diesel)?;
        let rows: Vec<QuestionRow> = quiz_questions::table
            .filter(quiz_questions::quiz_id.eq(id.as_uuid()))
            .order(quiz_questions::position)
            .select(QuestionRow::as_select())
            .load(&mut conn)
            .await
            .map_err(unavailable)?;
        Ok(Quiz {
            id: QuizId::from_uuid(quiz.id),
            owner,
            deck: quiz.deck_id.map(DeckId::from_uuid),
            created_at: quiz.created_at,
            expires_at: quiz.expires_at,
            questions: rows
                .into_iter()
                .map(QuestionRow::into_question)
                .collect::<Result<_, _>>()?,
        })
    }

    #[tracing::instrument(name = "quizzes.record", skip(self, result), fields(user = %owner))]
    async fn record(
        &self,
        owner: UserId,
        quiz: QuizId,
        result: &QuestionResult,
    ) -> Result<Recorded, LearningStoreError> {
        let at = position(result.position)?;
        let json = serde_json::to_value(result).map_err(unavailable)?;
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        let owned = quizzes::table
            .filter(quizzes::user_id.eq(owner.as_uuid()))
            .select(quizzes::id);
        let this = quiz_questions::table
            .filter(quiz_questions::quiz_id.eq(quiz.as_uuid()))
            .filter(quiz_questions::quiz_id.eq_any(owned))
            .filter(quiz_questions::position.eq(at));
        let updated: Option<i32> =
            diesel::update(this.filter(quiz_questions::answered_at.is_null()))
                .set((
                    quiz_questions::answered_at.eq(result.answered_at),
                    quiz_questions::result.eq(json),
                ))
                .returning(quiz_questions::position)
                .get_result(&mut conn)
                .await
                .optional()
                .map_err(unavailable)?;
        if updated.is_some() {
            return Ok(Recorded::Saved);
        }
        let first: Option<Value> = this
            .select(quiz_questions::result)
            .first(&mut conn)
            .await
            .map_err(from_diesel)?;
        let first = first.ok_or(LearningStoreError::NotFound)?;
        Ok(Recorded::AlreadyAnswered(Box::new(
            serde_json::from_value(first).map_err(corrupt)?,
        )))
    }
}
