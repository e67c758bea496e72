use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Learner,
    Admin,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role '{0}' (expected 'learner' or 'admin')")]
pub struct RoleError(pub String);

impl Role {
    pub fn parse(raw: &str) -> Result<Self, RoleError> {
        match raw {
            "learner" => Ok(Self::Learner),
            "admin" => Ok(Self::Admin),
            other => Err(RoleError(other.to_owned())),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Learner => "learner",
            Self::Admin => "admin",
        }
    }

    pub fn is_admin(self) -> bool {
        self == Self::Admin
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_parse_from_their_names_only() {
        assert_eq!(Role::parse("admin"), Ok(Role::Admin));
        assert_eq!(Role::parse("learner"), Ok(Role::Learner));
        assert!(Role::parse("Admin").is_err());
        assert!(Role::Admin.is_admin() && !Role::Learner.is_admin());
    }
}
