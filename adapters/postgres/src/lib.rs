//! PostgreSQL adapters on diesel-async: the connection pool, the embedded migrations and the
//! transactional outbox. Nothing outside this crate writes SQL.

mod migrate;
mod outbox;
mod pool;
mod schema;

pub use migrate::{MigrationError, run_migrations};
pub use outbox::{OutboxError, PgOutbox, stage_job};
pub use pool::{PgPool, PoolSettings, connect};

pub use diesel_async::AsyncPgConnection;
