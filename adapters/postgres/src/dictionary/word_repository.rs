use super::word_row::WordRow;
use super::{unavailable, word_search, word_upsert};
use crate::pool::PgPool;
use crate::schema::words;
use async_trait::async_trait;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use lingo_dictionary::ports::{StoreError, WordRepository};
use lingo_dictionary::{PartOfSpeech, SearchHit, WordMetadata, WordUpsert};
use lingo_kernel::{LanguageCode, UserId, WordId};
use std::collections::HashSet;

/// Rows every caller may see; a learner's unconfirmed words are `private` (migration
/// `private_words`) and reach only that learner, through their cards (`by_ids`).
const PUBLIC: &str = "public";

/// Word metadata in the `words` table, which cards reference. `find`, `similar`, `known` and
/// `search` read public rows only; `by_ids` reads any row (ids come from the caller's cards).
#[derive(Clone)]
pub struct PgWordRepository {
    pool: PgPool,
}

impl PgWordRepository {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

#[async_trait]
impl WordRepository for PgWordRepository {
    #[tracing::instrument(name = "words.upsert", skip_all, fields(words = words.len()))]
    async fn upsert(&self, words: &[WordUpsert]) -> Result<(), StoreError> {
        if words.is_empty() {
            return Ok(());
        }
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        word_upsert::upsert(&mut conn, words)
            .await
            .map_err(unavailable)?;
        Ok(())
    }

    async fn find(
        &self,
        language: &LanguageCode,
        keys: &[String],
    ) -> Result<Vec<WordMetadata>, StoreError> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        let rows: Vec<WordRow> = words::table
            .filter(words::language.eq(language.as_str()))
            .filter(words::lemma_key.eq_any(keys))
            .filter(words::visibility.eq(PUBLIC))
            .order((
                words::lemma_key,
                words::lemma,
                words::part_of_speech,
                words::id,
            ))
            .select(WordRow::as_select())
            .load(&mut conn)
            .await
            .map_err(unavailable)?;
        rows.into_iter().map(WordRow::into_metadata).collect()
    }

    async fn visible_to(&self, id: WordId, user: UserId) -> Result<bool, StoreError> {
        use crate::schema::cards;
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        let held = cards::table
            .filter(cards::word_id.eq(id.as_uuid()))
            .filter(cards::user_id.eq(user.as_uuid()));
        diesel::select(diesel::dsl::exists(
            words::table
                .filter(words::id.eq(id.as_uuid()))
                .filter(words::visibility.eq("public").or(diesel::dsl::exists(held))),
        ))
        .get_result(&mut conn)
        .await
        .map_err(unavailable)
    }

    async fn by_ids(&self, ids: &[WordId]) -> Result<Vec<WordMetadata>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<uuid::Uuid> = ids.iter().map(WordId::as_uuid).collect();
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        let rows: Vec<WordRow> = words::table
            .filter(words::id.eq_any(&ids))
            .order(words::id)
            .select(WordRow::as_select())
            .load(&mut conn)
            .await
            .map_err(unavailable)?;
        rows.into_iter().map(WordRow::into_metadata).collect()
    }

    #[tracing::instrument(name = "words.similar", skip(self), fields(language = %language))]
    async fn similar(
        &self,
        language: &LanguageCode,
        part_of_speech: &PartOfSpeech,
        zipf_min: Option<f64>,
        zipf_max: Option<f64>,
        limit: u32,
    ) -> Result<Vec<WordMetadata>, StoreError> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        let mut query = words::table
            .filter(words::language.eq(language.as_str()))
            .filter(words::part_of_speech.eq(part_of_speech.as_str()))
            .filter(words::visibility.eq(PUBLIC))
            .into_boxed();
        if let Some(min) = zipf_min {
            query = query.filter(words::zipf.ge(min));
        }
        if let Some(max) = zipf_max {
            query = query.filter(words::zipf.le(max));
        }
        let rows: Vec<WordRow> = query
            .order((words::zipf.desc().nulls_last(), words::lemma_key, words::id))
            .limit(i64::from(limit))
            .select(WordRow::as_select())
            .load(&mut conn)
            .await
            .map_err(unavailable)?;
        rows.into_iter().map(WordRow::into_metadata).collect()
    }

    async fn known(
        &self,
        language: &LanguageCode,
        keys: &[String],
    ) -> Result<HashSet<String>, StoreError> {
        if keys.is_empty() {
            return Ok(HashSet::new());
        }
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        let found: Vec<String> = words::table
            .filter(words::language.eq(language.as_str()))
            .filter(words::lemma_key.eq_any(keys))
            .filter(words::visibility.eq(PUBLIC))
            .select(words::lemma_key)
            .distinct()
            .load(&mut conn)
            .await
            .map_err(unavailable)?;
        Ok(found.into_iter().collect())
    }

    /// An empty key or limit finds nothing (rather than every word of the language).
    #[tracing::instrument(name = "words.search", skip(self), fields(language = %language))]
    async fn search(
        &self,
        language: &LanguageCode,
        key: &str,
        limit: u32,
        offset: u32,
    ) -> Result<Vec<SearchHit>, StoreError> {
        if key.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        word_search::search(&mut conn, language, key, limit, offset).await
    }
}
