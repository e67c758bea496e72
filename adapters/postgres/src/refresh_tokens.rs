//! Refresh tokens on PostgreSQL: rotation and theft detection in one transaction.

use crate::pool::PgPool;
use crate::schema::refresh_tokens;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, RunQueryDsl};
use lingo_kernel::UserId;
use lingo_users::ports::{
    RefreshLifetime, RefreshRecord, RefreshTokenStore, RotateError, Unavailable,
};

#[derive(Clone)]
pub struct PgRefreshTokenStore {
    pool: PgPool,
}

impl PgRefreshTokenStore {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

fn unavailable(e: impl std::fmt::Display) -> Unavailable {
    Unavailable(format!("database: {e}"))
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = refresh_tokens)]
struct Row {
    user_id: uuid::Uuid,
    family_id: uuid::Uuid,
    expires_at: DateTime<Utc>,
    used_at: Option<DateTime<Utc>>,
    revoked_at: Option<DateTime<Utc>>,
    family_started_at: DateTime<Utc>,
}

enum Outcome {
    Rotated(RefreshRecord),
    Invalid,
    Reused,
}

#[async_trait]
impl RefreshTokenStore for PgRefreshTokenStore {
    async fn issue(
        &self,
        hash: &[u8],
        record: &RefreshRecord,
        now: DateTime<Utc>,
    ) -> Result<(), Unavailable> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        diesel::insert_into(refresh_tokens::table)
            .values((
                refresh_tokens::token_hash.eq(hash),
                refresh_tokens::user_id.eq(record.user.as_uuid()),
                refresh_tokens::family_id.eq(record.family),
                refresh_tokens::created_at.eq(now),
                refresh_tokens::expires_at.eq(record.expires_at),
                refresh_tokens::family_started_at.eq(now),
            ))
            .execute(&mut conn)
            .await
            .map_err(unavailable)?;
        Ok(())
    }

    async fn rotate(
        &self,
        old_hash: &[u8],
        new_hash: &[u8],
        now: DateTime<Utc>,
        lifetime: RefreshLifetime,
    ) -> Result<RefreshRecord, RotateError> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        let outcome = conn
            .transaction::<Outcome, diesel::result::Error, _>(async |conn| {
                // The row lock serialises concurrent refreshes with the same token: the second
                // sees it used and is treated as a replay.
                let row: Option<Row> = refresh_tokens::table
                    .filter(refresh_tokens::token_hash.eq(old_hash))
                    .for_update()
                    .select(Row::as_select())
                    .first(conn)
                    .await
                    .optional()?;
                let Some(row) = row else {
                    return Ok(Outcome::Invalid);
                };
                let family_ends_at = row.family_started_at + lifetime.absolute;
                if row.revoked_at.is_some() || row.expires_at <= now || family_ends_at <= now {
                    return Ok(Outcome::Invalid);
                }
                let new_expires_at = (now + lifetime.sliding).min(family_ends_at);
                if row.used_at.is_some() {
                    diesel::update(
                        refresh_tokens::table.filter(refresh_tokens::family_id.eq(row.family_id)),
                    )
                    .filter(refresh_tokens::revoked_at.is_null())
                    .set(refresh_tokens::revoked_at.eq(now))
                    .execute(conn)
                    .await?;
                    return Ok(Outcome::Reused);
                }
                diesel::update(
                    refresh_tokens::table.filter(refresh_tokens::token_hash.eq(old_hash)),
                )
                .set(refresh_tokens::used_at.eq(now))
                .execute(conn)
                .await?;
                diesel::insert_into(refresh_tokens::table)
                    .values((
                        refresh_tokens::token_hash.eq(new_hash),
                        refresh_tokens::user_id.eq(row.user_id),
                        refresh_tokens::family_id.eq(row.family_id),
                        refresh_tokens::created_at.eq(now),
                        refresh_tokens::expires_at.eq(new_expires_at),
                        refresh_tokens::family_started_at.eq(row.family_started_at),
                    ))
                    .execute(conn)
                    .await?;
                Ok(Outcome::Rotated(RefreshRecord {
                    user: UserId::from_uuid(row.user_id),
                    family: row.family_id,
                    expires_at: new_expires_at,
                }))
            })
            .await
            .map_err(unavailable)?;
        match outcome {
            Outcome::Rotated(record) => Ok(record),
            Outcome::Invalid => Err(RotateError::Invalid),
            Outcome::Reused => Err(RotateError::Reused),
        }
    }

    async fn revoke_family_of(&self, hash: &[u8], now: DateTime<Utc>) -> Result<bool, Unavailable> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        let family: Option<uuid::Uuid> = refresh_tokens::table
            .filter(refresh_tokens::token_hash.eq(hash))
            .select(refresh_tokens::family_id)
            .first(&mut conn)
            .await
            .optional()
            .map_err(unavailable)?;
        let Some(family) = family else {
            return Ok(false);
        };
        diesel::update(refresh_tokens::table.filter(refresh_tokens::family_id.eq(family)))
            .filter(refresh_tokens::revoked_at.is_null())
            .set(refresh_tokens::revoked_at.eq(now))
            .execute(&mut conn)
            .await
            .map_err(unavailable)?;
        Ok(true)
    }

    async fn family_of(&self, hash: &[u8]) -> Result<Option<uuid::Uuid>, Unavailable> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        refresh_tokens::table
            .filter(refresh_tokens::token_hash.eq(hash))
            .select(refresh_tokens::family_id)
            .first(&mut conn)
            .await
            .optional()
            .map_err(unavailable)
    }

    async fn revoke_all(&self, user: UserId, now: DateTime<Utc>) -> Result<(), Unavailable> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        diesel::update(refresh_tokens::table.filter(refresh_tokens::user_id.eq(user.as_uuid())))
            .filter(refresh_tokens::revoked_at.is_null())
            .set(refresh_tokens::revoked_at.eq(now))
            .execute(&mut conn)
            .await
            .map_err(unavailable)?;
        Ok(())
    }
}
