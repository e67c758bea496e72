//! Who asks: every use case that acts for somebody takes the caller, so authorisation rules
//! (an admin-only action, a job visible to its owner) live in the domain, not in handlers.

use crate::UserId;

/// The signed-in user a use case acts for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caller {
    pub user: UserId,
    pub admin: bool,
}

/// An action reserved for administrators was asked for by a learner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("this action is for administrators")]
pub struct Forbidden;

impl Caller {
    pub const fn learner(user: UserId) -> Self {
        Self { user, admin: false }
    }

    pub const fn admin(user: UserId) -> Self {
        Self { user, admin: true }
    }

    /// `Forbidden` unless the caller is an administrator.
    pub fn require_admin(&self) -> Result<(), Forbidden> {
        if self.admin { Ok(()) } else { Err(Forbidden) }
    }

    /// Whether the caller may see something owned by `owner` (its owner or an administrator).
    pub fn may_see(&self, owner: Option<UserId>) -> bool {
        self.admin || owner == Some(self.user)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_admins_pass_the_admin_check() {
        let user = UserId::new();
        assert_eq!(Caller::learner(user).require_admin(), Err(Forbidden));
        assert_eq!(Caller::admin(user).require_admin(), Ok(()));
    }

    #[test]
    fn a_learner_sees_only_what_they_own() {
        let (me, other) = (UserId::new(), UserId::new());
        let caller = Caller::learner(me);
        assert!(caller.may_see(Some(me)));
        assert!(!caller.may_see(Some(other)));
        assert!(!caller.may_see(None));
        assert!(Caller::admin(me).may_see(Some(other)));
    }
}
