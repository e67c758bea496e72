//! PostgreSQL adapters on diesel-async: the connection pool, the embedded migrations, the
//! transactional outbox and the users, learning and dictionary stores. Nothing outside this
//! crate writes SQL.

mod answer_deadline;
mod content_usage;
mod dictionary;
mod fsrs_parameters;
mod learner_profiles;
mod learning;
mod migrate;
mod outbox;
mod pool;
mod refresh_tokens;
mod schema;
mod users;

pub use content_usage::PgUsageLedger;
pub use dictionary::{
    PgFrequencies, PgImportCheckpoints, PgLearnerVocabulary, PgLemmaTable, PgWordRepository,
};
pub use fsrs_parameters::PgFsrsParameters;
pub use learner_profiles::PgLearnerProfiles;
pub use learning::{PgCardStore, PgDeckStore, PgQuizStore};
pub use migrate::{MigrationError, run_migrations};
pub use outbox::{OutboxError, PgOutbox, stage_job};
pub use pool::{PgPool, PoolSettings, connect};
pub use refresh_tokens::PgRefreshTokenStore;
pub use users::PgUserRepository;

pub use diesel_async::AsyncPgConnection;
