//! Admin routes over accounts: disable, enable, grant or revoke the admin role, and the audit
//! log of these changes. Tokens a change invalidates stop working at once.

use super::list::List;
use crate::caller::Caller;
use crate::problem::{ApiError, Problem};
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use lingo_kernel::UserId;
use lingo_users::User;
use lingo_users::ports::{Actor, AdminAction, AuditEntry};
use serde::Serialize;
use utoipa::ToSchema;

/// The account after an administrative change.
#[derive(Serialize, ToSchema)]
pub struct AccountStandingView {
    #[schema(value_type = String, format = Uuid)]
    id: UserId,
    #[schema(value_type = super::enums::RoleName)]
    role: String,
    #[schema(value_type = super::enums::AccountStatus)]
    status: String,
    updated_at: DateTime<Utc>,
}

impl From<User> for AccountStandingView {
    fn from(u: User) -> Self {
        Self {
            id: u.id,
            role: u.role.as_str().to_owned(),
            status: u.status.as_str().to_owned(),
            updated_at: u.updated_at,
        }
    }
}

/// One administrative change to an account.
#[derive(Serialize, ToSchema)]
pub struct AuditEntryView {
    /// `disable`, `enable`, `grant_admin` or `revoke_admin`.
    action: String,
    /// The administrator's account, when the change came through the api.
    #[schema(value_type = Option<String>, format = Uuid)]
    actor_id: Option<UserId>,
    /// `api`, or `cli:<operator>` for `lingo-admin`.
    actor: String,
    at: DateTime<Utc>,
}

impl From<AuditEntry> for AuditEntryView {
    fn from(e: AuditEntry) -> Self {
        let (actor_id, actor) = match e.actor {
            Actor::Admin(id) => (Some(id), "api".to_owned()),
            Actor::Operator(name) => (None, format!("cli:{name}")),
        };
        Self {
            action: e.action.as_str().to_owned(),
            actor_id,
            actor,
            at: e.at,
        }
    }
}

fn account_id(raw: &str) -> Result<UserId, ApiError> {
    raw.parse()
        .map_err(|_| ApiError::NotFound("no such account".to_owned()))
}

async fn apply(
    caller: Caller,
    id: &str,
    action: AdminAction,
    state: &AppState,
) -> Result<HttpResponse, ApiError> {
    caller.require_admin()?;
    let user = state
        .account_admin
        .apply_as_admin(caller.domain(), account_id(id)?, action)
        .await?;
    Ok(HttpResponse::Ok().json(AccountStandingView::from(user)))
}

/// Disables an account: it cannot sign in, and its tokens and sessions stop working.
#[utoipa::path(post, path = "/api/v1/admin/users/{id}/disable", tag = "admin",
    params(("id" = String, Path, description = "Account id (UUID)")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Disabled", body = AccountStandingView),
        (status = 403, description = "Not an administrator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The caller's own account", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn disable(
    caller: Caller,
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    apply(caller, &id, AdminAction::Disable, &state).await
}

/// Enables a disabled account: it can sign in again (its old sessions stay ended).
#[utoipa::path(post, path = "/api/v1/admin/users/{id}/enable", tag = "admin",
    params(("id" = String, Path, description = "Account id (UUID)")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Enabled", body = AccountStandingView),
        (status = 403, description = "Not an administrator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn enable(
    caller: Caller,
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    apply(caller, &id, AdminAction::Enable, &state).await
}

/// Makes an account an administrator (from its next sign-in or refresh).
#[utoipa::path(post, path = "/api/v1/admin/users/{id}/grant-admin", tag = "admin",
    params(("id" = String, Path, description = "Account id (UUID)")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Now an administrator", body = AccountStandingView),
        (status = 403, description = "Not an administrator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn grant_admin(
    caller: Caller,
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    apply(caller, &id, AdminAction::GrantAdmin, &state).await
}

/// Makes an administrator a learner: the admin tokens it holds stop working.
#[utoipa::path(post, path = "/api/v1/admin/users/{id}/revoke-admin", tag = "admin",
    params(("id" = String, Path, description = "Account id (UUID)")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Now a learner", body = AccountStandingView),
        (status = 403, description = "Not an administrator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The caller's own account", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn revoke_admin(
    caller: Caller,
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    apply(caller, &id, AdminAction::RevokeAdmin, &state).await
}

/// The administrative changes to an account, newest first (at most 100).
#[utoipa::path(get, path = "/api/v1/admin/users/{id}/audit", tag = "admin",
    params(("id" = String, Path, description = "Account id (UUID)")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Audit entries", body = List<AuditEntryView>),
        (status = 403, description = "Not an administrator", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn audit(
    caller: Caller,
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    caller.require_admin()?;
    let entries = state
        .account_admin
        .audit_of(caller.domain(), account_id(&id)?, 100)
        .await?;
    Ok(HttpResponse::Ok().json(
        entries
            .into_iter()
            .map(AuditEntryView::from)
            .collect::<List<_>>(),
    ))
}
