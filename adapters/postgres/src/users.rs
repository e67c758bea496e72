//! The user repository on PostgreSQL.

use crate::job_ledger::stage_job;
use crate::pool::PgPool;
use crate::schema::{email_tokens, refresh_tokens, user_identities, users};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel_async::{AsyncConnection, RunQueryDsl};
use lingo_kernel::UserId;
use lingo_kernel::jobs::NewJob;
use lingo_users::account::PurgeUserData;
use lingo_users::ports::{
    PasswordHash, TokenGenerations, Unavailable, UserRepository, UserStoreError,
};
use lingo_users::{
    AccountPatch, DisplayName, Email, LearningProfile, NewUser, PhoneNumber, Role, User, UserStatus,
};

#[derive(Clone)]
pub struct PgUserRepository {
    pool: PgPool,
}

impl PgUserRepository {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = users)]
pub(crate) struct UserRow {
    id: uuid::Uuid,
    email: Option<String>,
    phone: Option<String>,
    password_hash: Option<String>,
    display_name: String,
    role: String,
    status: String,
    profile: serde_json::Value,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    token_generation: i64,
    email_verified_at: Option<DateTime<Utc>>,
}

#[derive(Insertable, AsChangeset, Default)]
#[diesel(table_name = users)]
struct UserChanges {
    email: Option<String>,
    email_verified_at: Option<DateTime<Utc>>,
    password_hash: Option<String>,
    display_name: Option<String>,
    profile: Option<serde_json::Value>,
    updated_at: Option<DateTime<Utc>>,
}

pub(crate) fn unavailable(e: impl std::fmt::Display) -> Unavailable {
    Unavailable(format!("database: {e}"))
}

/// A stored row that no longer parses is corruption, reported as unavailability (never a panic).
pub(crate) fn to_user(row: UserRow) -> Result<User, Unavailable> {
    let corrupt = |what: &str| Unavailable(format!("stored user {} has an invalid {what}", row.id));
    Ok(User {
        id: UserId::from_uuid(row.id),
        email: row
            .email
            .as_deref()
            .map(Email::parse)
            .transpose()
            .map_err(|_| corrupt("email"))?,
        email_verified_at: row.email_verified_at,
        phone: row
            .phone
            .as_deref()
            .map(PhoneNumber::parse)
            .transpose()
            .map_err(|_| corrupt("phone"))?,
        password_hash: row.password_hash.clone().map(PasswordHash),
        display_name: DisplayName::parse(&row.display_name).map_err(|_| corrupt("name"))?,
        role: Role::parse(&row.role).map_err(|_| corrupt("role"))?,
        status: UserStatus::parse(&row.status).ok_or_else(|| corrupt("status"))?,
        profile: crate::learner_profiles::decode_profile(row.profile.clone())
            .map_err(|_| corrupt("profile"))?,
        created_at: row.created_at,
        updated_at: row.updated_at,
        token_generation: u64::try_from(row.token_generation)
            .map_err(|_| corrupt("token generation"))?,
    })
}

fn profile_json(profile: &LearningProfile) -> Result<serde_json::Value, Unavailable> {
    serde_json::to_value(profile).map_err(|e| Unavailable(e.to_string()))
}

fn store_error(e: DieselError) -> UserStoreError {
    match &e {
        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
            match info.constraint_name() {
                Some(c) if c.contains("phone") => UserStoreError::PhoneTaken,
                _ => UserStoreError::EmailTaken,
            }
        }
        _ => UserStoreError::Unavailable(unavailable(e)),
    }
}

impl PgUserRepository {
    async fn find(
        &self,
        filter: impl FnOnce(
            users::BoxedQuery<'static, diesel::pg::Pg>,
        ) -> users::BoxedQuery<'static, diesel::pg::Pg>
        + Send,
    ) -> Result<Option<User>, Unavailable> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        let row: Option<UserRow> = filter(users::table.into_boxed())
            .select(UserRow::as_select())
            .first(&mut conn)
            .await
            .optional()
            .map_err(unavailable)?;
        row.map(to_user).transpose()
    }
}

#[async_trait]
impl UserRepository for PgUserRepository {
    async fn insert(&self, user: &NewUser) -> Result<User, UserStoreError> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        let row: UserRow = diesel::insert_into(users::table)
            .values((
                users::id.eq(user.id.as_uuid()),
                users::email.eq(user.email.as_ref().map(Email::as_str)),
                users::email_verified_at.eq(user.email_verified_at),
                users::phone.eq(user.phone.as_ref().map(PhoneNumber::as_str)),
                users::password_hash.eq(user.password_hash.as_ref().map(|h| h.0.as_str())),
                users::display_name.eq(user.display_name.as_str()),
                users::role.eq(user.role.as_str()),
                users::status.eq(UserStatus::Active.as_str()),
                users::profile.eq(profile_json(&user.profile)?),
                users::created_at.eq(user.now),
                users::updated_at.eq(user.now),
            ))
            .returning(UserRow::as_returning())
            .get_result(&mut conn)
            .await
            .map_err(store_error)?;
        Ok(to_user(row)?)
    }

    async fn by_id(&self, id: UserId) -> Result<Option<User>, Unavailable> {
        self.find(|q| q.filter(users::id.eq(id.as_uuid()))).await
    }

    async fn by_email(&self, email: &Email) -> Result<Option<User>, Unavailable> {
        let email = email.as_str().to_owned();
        self.find(move |q| q.filter(users::email.eq(email))).await
    }

    async fn by_phone(&self, phone: &PhoneNumber) -> Result<Option<User>, Unavailable> {
        let phone = phone.as_str().to_owned();
        self.find(move |q| q.filter(users::phone.eq(phone))).await
    }

    async fn by_identity(
        &self,
        provider: &str,
        subject: &str,
    ) -> Result<Option<User>, Unavailable> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        let row: Option<UserRow> = users::table
            .inner_join(user_identities::table)
            .filter(user_identities::provider.eq(provider))
            .filter(user_identities::subject.eq(subject))
            .select(UserRow::as_select())
            .first(&mut conn)
            .await
            .optional()
            .map_err(unavailable)?;
        row.map(to_user).transpose()
    }

    async fn link_identity(
        &self,
        user: UserId,
        provider: &str,
        subject: &str,
    ) -> Result<(), Unavailable> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        diesel::insert_into(user_identities::table)
            .values((
                user_identities::provider.eq(provider),
                user_identities::subject.eq(subject),
                user_identities::user_id.eq(user.as_uuid()),
            ))
            .on_conflict_do_nothing()
            .execute(&mut conn)
            .await
            .map_err(unavailable)?;
        Ok(())
    }

    async fn update(
        &self,
        id: UserId,
        patch: &AccountPatch,
    ) -> Result<Option<User>, UserStoreError> {
        let changes = UserChanges {
            email: patch.email.as_ref().map(|e| e.as_str().to_owned()),
            email_verified_at: patch.email_verified_at,
            password_hash: patch.password_hash.as_ref().map(|h| h.0.clone()),
            display_name: patch.display_name.as_ref().map(|n| n.as_str().to_owned()),
            profile: patch.profile.as_ref().map(profile_json).transpose()?,
            updated_at: Some(patch.now.unwrap_or_else(Utc::now)),
        };
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        let row: Option<UserRow> = diesel::update(users::table.filter(users::id.eq(id.as_uuid())))
            .set(&changes)
            .returning(UserRow::as_returning())
            .get_result(&mut conn)
            .await
            .optional()
            .map_err(store_error)?;
        Ok(row.map(to_user).transpose()?)
    }

    async fn delete(&self, id: UserId) -> Result<bool, Unavailable> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        conn.transaction::<bool, crate::OutboxError, _>(async |conn| {
            let deleted: Option<(Option<String>, Option<String>)> =
                diesel::delete(users::table.filter(users::id.eq(id.as_uuid())))
                    .returning((users::email, users::phone))
                    .get_result(conn)
                    .await
                    .optional()?;
            let Some((email, phone)) = deleted else {
                return Ok(false);
            };
            let job = NewJob::of(&PurgeUserData {
                user_id: id,
                email,
                phone,
            })
            .map_err(|e| DieselError::SerializationError(Box::new(e)))?;
            stage_job(conn, &job).await?;
            Ok(true)
        })
        .await
        .map_err(unavailable)
    }

    async fn export(&self, id: UserId) -> Result<Option<serde_json::Value>, Unavailable> {
        let Some(user) = self.by_id(id).await? else {
            return Ok(None);
        };
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        let identities: Vec<(String, DateTime<Utc>)> = user_identities::table
            .filter(user_identities::user_id.eq(id.as_uuid()))
            .select((user_identities::provider, user_identities::created_at))
            .load(&mut conn)
            .await
            .map_err(unavailable)?;
        let sessions: Vec<(DateTime<Utc>, DateTime<Utc>, Option<DateTime<Utc>>)> =
            refresh_tokens::table
                .filter(refresh_tokens::user_id.eq(id.as_uuid()))
                .filter(refresh_tokens::used_at.is_null())
                .select((
                    refresh_tokens::created_at,
                    refresh_tokens::expires_at,
                    refresh_tokens::revoked_at,
                ))
                .load(&mut conn)
                .await
                .map_err(unavailable)?;
        let email_links: Vec<(
            String,
            String,
            DateTime<Utc>,
            DateTime<Utc>,
            Option<DateTime<Utc>>,
        )> = email_tokens::table
            .filter(email_tokens::user_id.eq(id.as_uuid()))
            .select((
                email_tokens::purpose,
                email_tokens::email,
                email_tokens::created_at,
                email_tokens::expires_at,
                email_tokens::used_at,
            ))
            .order(email_tokens::created_at)
            .load(&mut conn)
            .await
            .map_err(unavailable)?;
        Ok(Some(serde_json::json!({
            "account": {
                "id": user.id,
                "email": user.email,
                "email_verified_at": user.email_verified_at,
                "phone": user.phone,
                "display_name": user.display_name,
                "role": user.role,
                "status": user.status,
                "has_password": user.password_hash.is_some(),
                "created_at": user.created_at,
                "updated_at": user.updated_at,
            },
            "profile": user.profile,
            "linked_identities": identities.iter().map(|(provider, at)| serde_json::json!({
                "provider": provider, "linked_at": at,
            })).collect::<Vec<_>>(),
            // The links sent by email (never the tokens, which Lingo does not keep).
            "email_links": email_links.iter().map(|(purpose, email, created, expires, used)| {
                serde_json::json!({"purpose": purpose, "email": email, "created_at": created,
                                   "expires_at": expires, "used_at": used})
            }).collect::<Vec<_>>(),
            "sessions": sessions.iter().map(|(created, expires, revoked)| serde_json::json!({
                "created_at": created, "expires_at": expires, "revoked_at": revoked,
            })).collect::<Vec<_>>(),
        })))
    }
}

/// One primary-key read per cache miss of the revocation cache; one update per bump.
#[async_trait]
impl TokenGenerations for PgUserRepository {
    async fn current(&self, user: UserId) -> Result<Option<u64>, Unavailable> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        let generation: Option<i64> = users::table
            .filter(users::id.eq(user.as_uuid()))
            .select(users::token_generation)
            .first(&mut conn)
            .await
            .optional()
            .map_err(unavailable)?;
        Ok(generation.map(|g| g.max(0) as u64))
    }

    async fn bump(&self, user: UserId) -> Result<Option<u64>, Unavailable> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        let generation: Option<i64> =
            diesel::update(users::table.filter(users::id.eq(user.as_uuid())))
                .set(users::token_generation.eq(users::token_generation + 1))
                .returning(users::token_generation)
                .get_result(&mut conn)
                .await
                .optional()
                .map_err(unavailable)?;
        Ok(generation.map(|g| g.max(0) as u64))
    }
}
