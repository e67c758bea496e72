//! Administrators disable and enable accounts and grant or revoke the admin role; each change is
//! recorded in the audit log, and the tokens it invalidates stop working at once on this node.

use crate::ports::{AccountAdministration, Actor, AdminAction, AuditEntry, UserRepository};
use crate::revocation::RevocationCache;
use crate::{Email, User};
use lingo_kernel::{Caller, Clock, UserId};
use std::sync::Arc;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AdminAccountError {
    #[error("this action is for administrators")]
    Forbidden,
    #[error("no such account")]
    NotFound,
    /// Locking oneself out (disabling or demoting one's own account) is refused: another
    /// administrator, or the console, must do it.
    #[error("administrators cannot disable or demote their own account")]
    OwnAccount,
    #[error("{0}")]
    Unavailable(String),
}

impl From<crate::ports::Unavailable> for AdminAccountError {
    fn from(e: crate::ports::Unavailable) -> Self {
        Self::Unavailable(e.0)
    }
}

/// An account named by id or by email (`lingo-admin users disable sara@example.com`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountRef {
    Id(UserId),
    Email(Email),
}

impl AccountRef {
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        if let Ok(id) = raw.parse::<uuid::Uuid>() {
            return Some(Self::Id(UserId::from_uuid(id)));
        }
        Email::parse(raw).ok().map(Self::Email)
    }
}

#[derive(Clone)]
pub struct AccountAdminService {
    users: Arc<dyn UserRepository>,
    administration: Arc<dyn AccountAdministration>,
    revocations: Arc<RevocationCache>,
    clock: Arc<dyn Clock>,
}

impl AccountAdminService {
    pub fn new(
        users: Arc<dyn UserRepository>,
        administration: Arc<dyn AccountAdministration>,
        revocations: Arc<RevocationCache>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            users,
            administration,
            revocations,
            clock,
        }
    }

    async fn resolve(&self, target: &AccountRef) -> Result<UserId, AdminAccountError> {
        match target {
            AccountRef::Id(id) => Ok(*id),
            AccountRef::Email(email) => self
                .users
                .by_email(email)
                .await?
                .map(|u| u.id)
                .ok_or(AdminAccountError::NotFound),
        }
    }

    /// An administrator's change through the api.
    #[tracing::instrument(skip_all, fields(admin_id = %caller.user, target = %target, action = action.as_str()))]
    pub async fn apply_as_admin(
        &self,
        caller: Caller,
        target: UserId,
        action: AdminAction,
    ) -> Result<User, AdminAccountError> {
        caller
            .require_admin()
            .map_err(|_| AdminAccountError::Forbidden)?;
        let locks_out = matches!(action, AdminAction::Disable | AdminAction::RevokeAdmin);
        if locks_out && target == caller.user {
            return Err(AdminAccountError::OwnAccount);
        }
        self.apply(Actor::Admin(caller.user), target, action).await
    }

    /// An operator's change at the console (`lingo-admin users …`).
    #[tracing::instrument(skip_all, fields(operator = %operator, action = action.as_str()))]
    pub async fn apply_as_operator(
        &self,
        operator: &str,
        target: &AccountRef,
        action: AdminAction,
    ) -> Result<User, AdminAccountError> {
        let target = self.resolve(target).await?;
        self.apply(Actor::Operator(operator.to_owned()), target, action)
            .await
    }

    async fn apply(
        &self,
        actor: Actor,
        target: UserId,
        action: AdminAction,
    ) -> Result<User, AdminAccountError> {
        let entry = AuditEntry {
            actor,
            action,
            target,
            at: self.clock.now(),
        };
        let user = self
            .administration
            .apply(&entry)
            .await?
            .ok_or(AdminAccountError::NotFound)?;
        self.revocations
            .record(user.id, Some(user.token_generation));
        tracing::info!(target_id = %user.id, "account changed by an administrator");
        Ok(user)
    }

    /// The latest audit entries about an account, newest first.
    pub async fn audit_of(
        &self,
        caller: Caller,
        target: UserId,
        limit: usize,
    ) -> Result<Vec<AuditEntry>, AdminAccountError> {
        caller
            .require_admin()
            .map_err(|_| AdminAccountError::Forbidden)?;
        Ok(self.administration.audit_of(target, limit).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accounts_are_named_by_id_or_email() {
        let id = UserId::new();
        assert_eq!(AccountRef::parse(&id.to_string()), Some(AccountRef::Id(id)));
        assert!(matches!(
            AccountRef::parse(" Sara@Example.com "),
            Some(AccountRef::Email(e)) if e.as_str() == "sara@example.com"
        ));
        assert_eq!(AccountRef::parse("not an account"), None);
    }
}
