//! Generator usage per day and model (`content_usage`), for cost accounting.

use crate::pool::PgPool;
use crate::schema::content_usage;
use async_trait::async_trait;
use chrono::NaiveDate;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use lingo_content::ports::{TokenUsage, UsageLedger, UsageRow};
use lingo_dictionary::ports::StoreError;

#[derive(Clone)]
pub struct PgUsageLedger {
    pool: PgPool,
}

impl PgUsageLedger {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

fn unavailable(e: impl std::fmt::Display) -> StoreError {
    StoreError::Unavailable(format!("database: {e}"))
}

fn tokens(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

#[async_trait]
impl UsageLedger for PgUsageLedger {
    async fn record(
        &self,
        day: NaiveDate,
        generator: &str,
        model: &str,
        usage: TokenUsage,
    ) -> Result<(), StoreError> {
        use content_usage::dsl as u;
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        diesel::insert_into(u::content_usage)
            .values((
                u::day.eq(day),
                u::generator.eq(generator),
                u::model.eq(model),
                u::requests.eq(1),
                u::prompt_tokens.eq(tokens(usage.prompt_tokens)),
                u::completion_tokens.eq(tokens(usage.completion_tokens)),
            ))
            .on_conflict((u::day, u::generator, u::model))
            .do_update()
            .set((
                u::requests.eq(u::requests + 1),
                u::prompt_tokens.eq(u::prompt_tokens + tokens(usage.prompt_tokens)),
                u::completion_tokens.eq(u::completion_tokens + tokens(usage.completion_tokens)),
            ))
            .execute(&mut conn)
            .await
            .map_err(unavailable)?;
        Ok(())
    }

    async fn between(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<UsageRow>, StoreError> {
        use content_usage::dsl as u;
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        let rows: Vec<(NaiveDate, String, String, i64, i64, i64)> = u::content_usage
            .filter(u::day.ge(from).and(u::day.le(to)))
            .order((u::day, u::generator, u::model))
            .select((
                u::day,
                u::generator,
                u::model,
                u::requests,
                u::prompt_tokens,
                u::completion_tokens,
            ))
            .load(&mut conn)
            .await
            .map_err(unavailable)?;
        Ok(rows
            .into_iter()
            .map(
                |(day, generator, model, requests, prompt, completion)| UsageRow {
                    day,
                    generator,
                    model,
                    requests: count(requests),
                    prompt_tokens: count(prompt),
                    completion_tokens: count(completion),
                },
            )
            .collect())
    }
}

/// Drafts of generated content not yet stored in MongoDB.
#[derive(Clone)]
pub struct PgContentDrafts {
    pool: PgPool,
}

impl PgContentDrafts {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

#[async_trait]
impl lingo_content::ports::ContentDrafts for PgContentDrafts {
    async fn keep(&self, version: &lingo_content::ports::ContentVersion) -> Result<(), StoreError> {
        use crate::schema::content_drafts::dsl as d;
        let value = serde_json::to_value(version).map_err(unavailable)?;
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        diesel::insert_into(d::content_drafts)
            .values((d::content_key.eq(version.key.id()), d::version.eq(&value)))
            .on_conflict(d::content_key)
            .do_update()
            .set(d::version.eq(&value))
            .execute(&mut conn)
            .await
            .map_err(unavailable)?;
        Ok(())
    }

    async fn get(
        &self,
        key: &lingo_content::ContentKey,
    ) -> Result<Option<lingo_content::ports::ContentVersion>, StoreError> {
        use crate::schema::content_drafts::dsl as d;
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        let value: Option<serde_json::Value> = d::content_drafts
            .filter(d::content_key.eq(key.id()))
            .select(d::version)
            .first(&mut conn)
            .await
            .optional()
            .map_err(unavailable)?;
        // A draft that no longer decodes (an older shape) is of no use: generate again.
        Ok(value.and_then(|v| serde_json::from_value(v).ok()))
    }

    async fn discard(&self, key: &lingo_content::ContentKey) -> Result<(), StoreError> {
        use crate::schema::content_drafts::dsl as d;
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        diesel::delete(d::content_drafts.filter(d::content_key.eq(key.id())))
            .execute(&mut conn)
            .await
            .map_err(unavailable)?;
        Ok(())
    }
}
