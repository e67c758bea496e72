//! The api through its front door: real HTTP against real PostgreSQL, MongoDB and Redis.

mod admin_jobs;
mod errors;
mod jobs;
mod operations;
mod readiness;
