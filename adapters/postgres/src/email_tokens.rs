//! The tokens of email links on PostgreSQL, by hash; spent with the row locked, so a link
//! opened twice at once works once.

use crate::pool::PgPool;
use crate::schema::email_tokens;
use crate::users::unavailable;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, RunQueryDsl};
use lingo_kernel::UserId;
use lingo_users::Email;
use lingo_users::email_token::{EmailTokenPurpose, StoredEmailToken};
use lingo_users::ports::{EmailTokenStore, Unavailable};

#[derive(Clone)]
pub struct PgEmailTokenStore {
    pool: PgPool,
}

impl PgEmailTokenStore {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = email_tokens)]
struct Row {
    user_id: uuid::Uuid,
    purpose: String,
    email: String,
    created_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    used_at: Option<DateTime<Utc>>,
}

fn to_token(row: Row) -> Result<StoredEmailToken, Unavailable> {
    let corrupt = |what: &str| Unavailable(format!("stored email token has an invalid {what}"));
    Ok(StoredEmailToken {
        user: UserId::from_uuid(row.user_id),
        purpose: EmailTokenPurpose::parse(&row.purpose).ok_or_else(|| corrupt("purpose"))?,
        address: Email::parse(&row.email).map_err(|_| corrupt("address"))?,
        created_at: row.created_at,
        expires_at: row.expires_at,
        used_at: row.used_at,
    })
}

#[async_trait]
impl EmailTokenStore for PgEmailTokenStore {
    async fn issue(&self, hash: &[u8], token: &StoredEmailToken) -> Result<(), Unavailable> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        // Tokens of this account expired a day ago or more answer like unknown ones: drop them.
        diesel::delete(
            email_tokens::table
                .filter(email_tokens::user_id.eq(token.user.as_uuid()))
                .filter(email_tokens::expires_at.lt(token.created_at - chrono::Duration::days(1))),
        )
        .execute(&mut conn)
        .await
        .map_err(unavailable)?;
        diesel::insert_into(email_tokens::table)
            .values((
                email_tokens::token_hash.eq(hash),
                email_tokens::user_id.eq(token.user.as_uuid()),
                email_tokens::purpose.eq(token.purpose.as_str()),
                email_tokens::email.eq(token.address.as_str()),
                email_tokens::created_at.eq(token.created_at),
                email_tokens::expires_at.eq(token.expires_at),
            ))
            .execute(&mut conn)
            .await
            .map_err(unavailable)?;
        Ok(())
    }

    async fn take(
        &self,
        hash: &[u8],
        now: DateTime<Utc>,
    ) -> Result<Option<StoredEmailToken>, Unavailable> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        let row = conn
            .transaction::<Option<Row>, diesel::result::Error, _>(async |conn| {
                let row: Option<Row> = email_tokens::table
                    .filter(email_tokens::token_hash.eq(hash))
                    .select(Row::as_select())
                    .for_update()
                    .first(conn)
                    .await
                    .optional()?;
                if row.as_ref().is_some_and(|r| r.used_at.is_none()) {
                    diesel::update(email_tokens::table.filter(email_tokens::token_hash.eq(hash)))
                        .set(email_tokens::used_at.eq(now))
                        .execute(conn)
                        .await?;
                }
                Ok(row)
            })
            .await
            .map_err(unavailable)?;
        row.map(to_token).transpose()
    }

    async fn spend_all(
        &self,
        user: UserId,
        purpose: EmailTokenPurpose,
        now: DateTime<Utc>,
    ) -> Result<(), Unavailable> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        diesel::update(
            email_tokens::table
                .filter(email_tokens::user_id.eq(user.as_uuid()))
                .filter(email_tokens::purpose.eq(purpose.as_str()))
                .filter(email_tokens::used_at.is_null()),
        )
        .set(email_tokens::used_at.eq(now))
        .execute(&mut conn)
        .await
        .map_err(unavailable)?;
        Ok(())
    }
}
