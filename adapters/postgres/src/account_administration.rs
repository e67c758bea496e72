//! Administrative changes to accounts on PostgreSQL: the change, its token revocation and its
//! audit-log entry in one transaction.

use crate::pool::PgPool;
use crate::schema::{account_audit_log, refresh_tokens, users};
use crate::users::{UserRow, to_user, unavailable};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, RunQueryDsl};
use lingo_kernel::UserId;
use lingo_users::ports::{AccountAdministration, Actor, AdminAction, AuditEntry, Unavailable};
use lingo_users::{Role, User, UserStatus};

#[derive(Clone)]
pub struct PgAccountAdministration {
    pool: PgPool,
}

impl PgAccountAdministration {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

#[derive(AsChangeset)]
#[diesel(table_name = users)]
struct AdminChange {
    status: Option<&'static str>,
    role: Option<&'static str>,
    updated_at: DateTime<Utc>,
}

fn actor_columns(actor: &Actor) -> (Option<uuid::Uuid>, String) {
    match actor {
        Actor::Admin(id) => (Some(id.as_uuid()), "api".to_owned()),
        Actor::Operator(name) => (None, format!("cli:{name}")),
    }
}

fn parse_action(raw: &str) -> Option<AdminAction> {
    [
        AdminAction::Disable,
        AdminAction::Enable,
        AdminAction::GrantAdmin,
        AdminAction::RevokeAdmin,
    ]
    .into_iter()
    .find(|a| a.as_str() == raw)
}

#[async_trait]
impl AccountAdministration for PgAccountAdministration {
    async fn apply(&self, entry: &AuditEntry) -> Result<Option<User>, Unavailable> {
        let target = entry.target.as_uuid();
        let now = entry.at;
        let (actor_id, actor) = actor_columns(&entry.actor);
        let action = entry.action;
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        let row = conn
            .transaction::<Option<UserRow>, diesel::result::Error, _>(async |conn| {
                let (status, role, bump) = match action {
                    AdminAction::Disable => (Some(UserStatus::Disabled), None, 1),
                    AdminAction::Enable => (Some(UserStatus::Active), None, 0),
                    AdminAction::GrantAdmin => (None, Some(Role::Admin), 0),
                    AdminAction::RevokeAdmin => (None, Some(Role::Learner), 1),
                };
                let change = AdminChange {
                    status: status.map(UserStatus::as_str),
                    role: role.map(Role::as_str),
                    updated_at: now,
                };
                let row: Option<UserRow> =
                    diesel::update(users::table.filter(users::id.eq(target)))
                        .set((
                            change,
                            users::token_generation.eq(users::token_generation + bump),
                        ))
                        .returning(UserRow::as_returning())
                        .get_result(conn)
                        .await
                        .optional()?;
                if row.is_none() {
                    return Ok(None);
                }
                if action == AdminAction::Disable {
                    diesel::update(
                        refresh_tokens::table.filter(refresh_tokens::user_id.eq(target)),
                    )
                    .filter(refresh_tokens::revoked_at.is_null())
                    .set(refresh_tokens::revoked_at.eq(now))
                    .execute(conn)
                    .await?;
                }
                diesel::insert_into(account_audit_log::table)
                    .values((
                        account_audit_log::actor_id.eq(actor_id),
                        account_audit_log::actor.eq(&actor),
                        account_audit_log::action.eq(action.as_str()),
                        account_audit_log::target_id.eq(target),
                        account_audit_log::created_at.eq(now),
                    ))
                    .execute(conn)
                    .await?;
                Ok(row)
            })
            .await
            .map_err(unavailable)?;
        row.map(to_user).transpose()
    }

    async fn audit_of(&self, target: UserId, limit: usize) -> Result<Vec<AuditEntry>, Unavailable> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        let rows: Vec<(Option<uuid::Uuid>, String, String, DateTime<Utc>)> =
            account_audit_log::table
                .filter(account_audit_log::target_id.eq(target.as_uuid()))
                .order((
                    account_audit_log::created_at.desc(),
                    account_audit_log::id.desc(),
                ))
                .limit(i64::try_from(limit).unwrap_or(i64::MAX))
                .select((
                    account_audit_log::actor_id,
                    account_audit_log::actor,
                    account_audit_log::action,
                    account_audit_log::created_at,
                ))
                .load(&mut conn)
                .await
                .map_err(unavailable)?;
        rows.into_iter()
            .map(|(actor_id, actor, action, at)| {
                let actor = match actor_id {
                    Some(id) => Actor::Admin(UserId::from_uuid(id)),
                    None => {
                        Actor::Operator(actor.strip_prefix("cli:").unwrap_or(&actor).to_owned())
                    }
                };
                let action = parse_action(&action)
                    .ok_or_else(|| Unavailable(format!("unknown audit action {action}")))?;
                Ok(AuditEntry {
                    actor,
                    action,
                    target,
                    at,
                })
            })
            .collect()
    }
}
