//! Google Sign-In: verifies Google ID tokens (RS256 JWTs) against Google's published signing keys
//! and turns them into an [`ExternalIdentity`](lingo_users::ports::ExternalIdentity).
//!
//! The signing keys (JWKS) are fetched lazily and cached for as long as Google's
//! `Cache-Control: max-age` allows. A token naming an unknown key id triggers a refetch (Google
//! rotates its keys), but never more often than [`GoogleSettings::min_refresh_interval`], so
//! tokens with made-up key ids cannot make us hammer Google.

mod jwks;
mod key_cache;
mod settings;
mod verify_id_token;

pub use settings::GoogleSettings;
pub use verify_id_token::GoogleIdTokenVerifier;
