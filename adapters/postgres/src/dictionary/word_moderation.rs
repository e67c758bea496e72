//! Learners' private words, for administrators to review and confirm.

use super::{corrupt, unavailable};
use crate::pool::PgPool;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::RunQueryDsl;
use lingo_dictionary::moderation::{Confirmation, PrivateWord, WordModeration};
use lingo_dictionary::ports::StoreError;
use lingo_kernel::{LanguageCode, UserId, WordId};
use uuid::Uuid;

/// Oldest first by id (UUIDv7, time-ordered); `words_private_key_idx` keeps the set small.
const PRIVATE_WORDS: &str = r"
SELECT w.id, w.language, w.lemma, w.part_of_speech, w.added_by, w.created_at,
       (SELECT count(DISTINCT c.user_id) FROM cards c WHERE c.word_id = w.id) AS learners
FROM words w
WHERE w.visibility = 'private'
  AND ($1::text IS NULL OR w.language = $1)
  AND ($2::uuid IS NULL OR w.id > $2)
ORDER BY w.id
LIMIT $3";

const CONFIRM: &str = r"
WITH target AS (SELECT id, visibility FROM words WHERE id = $1 FOR UPDATE),
     confirmed AS (
        UPDATE words SET visibility = 'public', updated_at = now()
        WHERE id = $1 AND visibility = 'private'
        RETURNING id)
SELECT (SELECT visibility FROM target) AS before, (SELECT count(*) FROM confirmed) AS changed";

#[derive(QueryableByName)]
struct PrivateRow {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
    #[diesel(sql_type = Text)]
    language: String,
    #[diesel(sql_type = Text)]
    lemma: String,
    #[diesel(sql_type = Text)]
    part_of_speech: String,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    added_by: Option<Uuid>,
    #[diesel(sql_type = Timestamptz)]
    created_at: DateTime<Utc>,
    #[diesel(sql_type = BigInt)]
    learners: i64,
}

#[derive(QueryableByName)]
struct ConfirmRow {
    #[diesel(sql_type = Nullable<Text>)]
    before: Option<String>,
    #[diesel(sql_type = BigInt)]
    changed: i64,
}

#[derive(Clone)]
pub struct PgWordModeration {
    pool: PgPool,
}

impl PgWordModeration {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

#[async_trait]
impl WordModeration for PgWordModeration {
    async fn private_words(
        &self,
        language: Option<&LanguageCode>,
        after: Option<WordId>,
        limit: u32,
    ) -> Result<Vec<PrivateWord>, StoreError> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        let rows: Vec<PrivateRow> = diesel::sql_query(PRIVATE_WORDS)
            .bind::<Nullable<Text>, _>(language.map(LanguageCode::as_str))
            .bind::<Nullable<SqlUuid>, _>(after.map(|id| id.as_uuid()))
            .bind::<BigInt, _>(i64::from(limit))
            .load(&mut conn)
            .await
            .map_err(unavailable)?;
        rows.into_iter()
            .map(|r| {
                Ok(PrivateWord {
                    id: WordId::from_uuid(r.id),
                    language: LanguageCode::parse(&r.language)
                        .map_err(|e| corrupt("words.language", e))?,
                    lemma: r.lemma,
                    part_of_speech: r.part_of_speech,
                    added_by: r.added_by.map(UserId::from_uuid),
                    learners: u64::try_from(r.learners).unwrap_or(0),
                    created_at: r.created_at,
                })
            })
            .collect()
    }

    async fn confirm(&self, id: WordId) -> Result<Confirmation, StoreError> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        let row: ConfirmRow = diesel::sql_query(CONFIRM)
            .bind::<SqlUuid, _>(id.as_uuid())
            .get_result(&mut conn)
            .await
            .map_err(unavailable)?;
        Ok(match (row.before.as_deref(), row.changed) {
            (None, _) => Confirmation::NotFound,
            (Some(_), 1) => Confirmation::Confirmed,
            (Some(_), _) => Confirmation::AlreadyPublic,
        })
    }
}
