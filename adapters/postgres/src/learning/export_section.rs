//! The learning part of the account export: decks, cards (with their words), review logs,
//! quizzes, FSRS parameters and activity days, built as JSON by PostgreSQL in one statement of
//! a read-only repeatable-read transaction. A large account takes longer than the pool's
//! statement timeout allows an interactive request, so the transaction raises it for itself.

use crate::pool::PgPool;
use async_trait::async_trait;
use diesel::QueryableByName;
use diesel::sql_query;
use diesel::sql_types::{Text, Uuid as SqlUuid};
use diesel_async::RunQueryDsl;
use lingo_kernel::UserId;
use lingo_users::export_account::ExportSection;
use lingo_users::ports::Unavailable;
use serde_json::{Map, Value};

/// The longest the export's statement may run (a job, not a request).
pub(crate) const EXPORT_STATEMENT_TIMEOUT: &str = "SET LOCAL statement_timeout = '300s'";

const LEARNING: &str = r#"
SELECT json_build_object(
  'decks', COALESCE((
    SELECT json_agg(json_build_object(
      'id', d.id, 'name', d.name, 'description', d.description, 'card_types', d.card_types,
      'kind', d.kind, 'source_deck_id', d.source_deck_id, 'version', d.version,
      'created_at', d.created_at, 'updated_at', d.updated_at) ORDER BY d.created_at, d.id)
    FROM decks d WHERE d.owner_id = $1), '[]'),
  'cards', COALESCE((
    SELECT json_agg(json_build_object(
      'id', c.id, 'deck_id', c.deck_id, 'word_id', c.word_id, 'lemma', w.lemma,
      'language', w.language, 'part_of_speech', w.part_of_speech, 'card_type', c.card_type,
      'state', c.state, 'step', c.step, 'stability', c.stability, 'difficulty', c.difficulty,
      'due', c.due, 'last_review', c.last_review, 'reps', c.reps, 'lapses', c.lapses,
      'suspended', c.suspended, 'buried_until', c.buried_until, 'leech', c.leech,
      'version', c.version, 'created_at', c.created_at, 'updated_at', c.updated_at,
      'reset_at', c.reset_at, 'note', c.note, 'translation', c.translation, 'tags', c.tags,
      'source_sentence', c.source_sentence) ORDER BY c.created_at, c.id)
    FROM cards c JOIN words w ON w.id = c.word_id WHERE c.user_id = $1), '[]'),
  'review_logs', COALESCE((
    SELECT json_agg(json_build_object(
      'id', r.id, 'card_id', r.card_id, 'client_review_id', r.client_review_id,
      'rating', r.rating, 'reviewed_at', r.reviewed_at, 'duration_ms', r.duration_ms,
      'parameters_version', r.parameters_version, 'before', r.before, 'after', r.after,
      'undone', r.undone, 'created_at', r.created_at) ORDER BY r.reviewed_at, r.id)
    FROM review_logs r WHERE r.user_id = $1), '[]'),
  'quizzes', COALESCE((
    SELECT json_agg(json_build_object(
      'id', q.id, 'deck_id', q.deck_id, 'created_at', q.created_at, 'expires_at', q.expires_at,
      'questions', COALESCE((
        SELECT json_agg(json_build_object(
          'position', qq.position, 'kind', qq.kind, 'card_ids', qq.card_ids,
          'answered_at', qq.answered_at, 'outcome', qq.result ->> 'outcome',
          'rating', (qq.result ->> 'rating')::int,
          'duration_ms', (qq.result ->> 'duration_ms')::bigint) ORDER BY qq.position)
        FROM quiz_questions qq WHERE qq.quiz_id = q.id), '[]'))
      ORDER BY q.created_at, q.id)
    FROM quizzes q WHERE q.user_id = $1), '[]'),
  'fsrs_parameters', COALESCE((
    SELECT json_agg(json_build_object(
      'version', p.version, 'parameters', p.parameters, 'log_loss', p.log_loss,
      'reviews', p.reviews, 'created_at', p.created_at) ORDER BY p.version)
    FROM fsrs_parameters p WHERE p.user_id = $1), '[]'),
  'activity_days', COALESCE((
    SELECT json_agg(json_build_object(
      'day', a.day, 'reviews', a.reviews, 'passed', a.passed, 'time_ms', a.time_ms)
      ORDER BY a.day)
    FROM (SELECT day, sum(reviews) AS reviews, sum(passed) AS passed, sum(time_ms)::int8 AS time_ms
            FROM learner_days WHERE user_id = $1 GROUP BY day) a), '[]')
)::text AS document
"#;

#[derive(QueryableByName)]
pub(crate) struct DocumentRow {
    #[diesel(sql_type = Text)]
    pub(crate) document: String,
}

/// Runs `query` (one `$1` UUID parameter, one `document` text column holding a JSON object)
/// under the export's statement timeout and returns the object.
pub(crate) async fn json_section(
    pool: &PgPool,
    query: &'static str,
    user: UserId,
) -> Result<Map<String, Value>, Unavailable> {
    let unavailable = |e: &dyn std::fmt::Display| Unavailable(format!("database: {e}"));
    let mut conn = pool.get().await.map_err(|e| unavailable(&e))?;
    let row: DocumentRow = conn
        .build_transaction()
        .repeatable_read()
        .read_only()
        .run::<_, diesel::result::Error, _>(async |conn| {
            sql_query(EXPORT_STATEMENT_TIMEOUT).execute(conn).await?;
            sql_query(query)
                .bind::<SqlUuid, _>(user.as_uuid())
                .get_result(conn)
                .await
        })
        .await
        .map_err(|e| unavailable(&e))?;
    match serde_json::from_str(&row.document) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(Unavailable("export section is not an object".into())),
        Err(e) => Err(unavailable(&e)),
    }
}

/// Decks, cards, review logs, quizzes, FSRS parameters and activity days.
#[derive(Clone)]
pub struct PgLearningExport {
    pool: PgPool,
}

impl PgLearningExport {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

#[async_trait]
impl ExportSection for PgLearningExport {
    #[tracing::instrument(name = "export.learning", skip(self), fields(user = %user))]
    async fn export(&self, user: UserId) -> Result<Map<String, Value>, Unavailable> {
        json_section(&self.pool, LEARNING, user).await
    }
}
