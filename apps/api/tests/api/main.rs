//! The api through its front door: real HTTP against real PostgreSQL, MongoDB and Redis.

mod admin_jobs;
mod auth_password;
mod auth_phone;
mod client_version;
mod content;
mod dictionary;
mod dictionary_reconcile;
mod errors;
mod google;
mod http_caching;
mod idempotency;
mod input_limits;
mod jobs;
mod learning;
mod me;
mod openapi_contract;
mod operations;
mod privacy;
mod private_words;
mod quizzes;
mod rate_limits;
mod readiness;
mod reviews;
mod revocation;
mod study_session;
mod tokens;
