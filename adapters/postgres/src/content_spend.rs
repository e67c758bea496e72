//! The global daily money budget of model generations (`content_spend`): a reservation is one
//! upsert that adds only while the day's total stays within the limit, so concurrent workers on
//! every replica never pass it together.

use crate::pool::PgPool;
use async_trait::async_trait;
use chrono::NaiveDate;
use diesel::sql_types::{BigInt, Date};
use diesel::{QueryableByName, sql_query};
use diesel_async::RunQueryDsl;
use lingo_content::generation_budget::{MicroUsd, SpendLedger};
use lingo_dictionary::ports::StoreError;

#[derive(Clone)]
pub struct PgContentSpend {
    pool: PgPool,
}

impl PgContentSpend {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

fn unavailable(e: impl std::fmt::Display) -> StoreError {
    StoreError::Unavailable(format!("database: {e}"))
}

#[derive(QueryableByName)]
struct Spent {
    #[diesel(sql_type = BigInt)]
    #[allow(dead_code)]
    spent_micros: i64,
}

#[async_trait]
impl SpendLedger for PgContentSpend {
    async fn reserve(
        &self,
        day: NaiveDate,
        amount: MicroUsd,
        limit: MicroUsd,
    ) -> Result<bool, StoreError> {
        if amount > limit {
            return Ok(false);
        }
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        let rows: Vec<Spent> = sql_query(
            "INSERT INTO content_spend (day, spent_micros) VALUES ($1, $2) \
             ON CONFLICT (day) DO UPDATE \
             SET spent_micros = content_spend.spent_micros + EXCLUDED.spent_micros \
             WHERE content_spend.spent_micros + EXCLUDED.spent_micros <= $3 \
             RETURNING spent_micros",
        )
        .bind::<Date, _>(day)
        .bind::<BigInt, _>(amount)
        .bind::<BigInt, _>(limit)
        .load(&mut conn)
        .await
        .map_err(unavailable)?;
        Ok(!rows.is_empty())
    }

    async fn adjust(&self, day: NaiveDate, delta: MicroUsd) -> Result<(), StoreError> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        sql_query(
            "INSERT INTO content_spend (day, spent_micros) VALUES ($1, GREATEST($2, 0)) \
             ON CONFLICT (day) DO UPDATE \
             SET spent_micros = GREATEST(content_spend.spent_micros + $2, 0)",
        )
        .bind::<Date, _>(day)
        .bind::<BigInt, _>(delta)
        .execute(&mut conn)
        .await
        .map_err(unavailable)?;
        Ok(())
    }
}
