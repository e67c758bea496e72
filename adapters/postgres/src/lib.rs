//! PostgreSQL adapters on diesel-async: the connection pool, the embedded migrations and the
//! transactional outbox. Nothing outside this crate writes SQL.

mod fsrs_parameters;
mod learning;
mod migrate;
mod outbox;
mod pool;
mod refresh_tokens;
mod schema;
mod users;

pub use fsrs_parameters::PgFsrsParameters;
pub use learning::{PgCardStore, PgDeckStore};
pub use migrate::{MigrationError, run_migrations};
pub use outbox::{OutboxError, PgOutbox, stage_job};
pub use pool::{PgPool, PoolSettings, connect};
pub use refresh_tokens::PgRefreshTokenStore;
pub use users::PgUserRepository;

pub use diesel_async::AsyncPgConnection;
