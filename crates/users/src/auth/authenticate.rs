//! Who is calling: a bearer access token checked against the injected clock.

use super::AuthService;
use crate::{AccessClaims, AccessTokenError};

impl AuthService {
    /// The claims of a valid access token; `Expired` and `Invalid` otherwise.
    pub fn authenticate(&self, token: &str) -> Result<AccessClaims, AccessTokenError> {
        self.deps.access_tokens.verify(token, self.deps.clock.now())
    }
}
