//! Users and authentication. This foundation holds the role model and the access-token
//! port; accounts, sign-in flows and profiles arrive with the users issue.

mod access_token;
mod role;

pub use access_token::{AccessClaims, AccessTokenError, AccessTokens};
pub use role::{Role, RoleError};
