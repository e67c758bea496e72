//! PostgreSQL adapters on diesel-async: the connection pool, the embedded migrations, the
//! transactional outbox and the users, learning and dictionary stores. Nothing outside this
//! crate writes SQL.

mod account_administration;
mod account_exports;
mod answer_deadline;
mod content_spend;
mod content_usage;
mod dictionary;
mod email_tokens;
mod fsrs_parameters;
mod job_ledger;
mod learner_profiles;
mod learning;
mod migrate;
mod notifications;
mod pool;
mod prepared;
mod refresh_tokens;
mod schema;
mod users;

pub use account_administration::PgAccountAdministration;
pub use account_exports::{PgExportArchive, PgRequestedJobs};
pub use content_spend::PgContentSpend;
pub use content_usage::{PgContentDrafts, PgUsageLedger};
pub use dictionary::{
    PgFrequencies, PgImportCheckpoints, PgLearnerVocabulary, PgLemmaTable, PgWordModeration,
    PgWordRepository,
};
pub use email_tokens::PgEmailTokenStore;
pub use fsrs_parameters::PgFsrsParameters;
pub use job_ledger::{OutboxError, PgJobLedger, stage_job};
pub use learner_profiles::PgLearnerProfiles;
pub use learning::{
    PgActivityDays, PgCardStore, PgChangeFeed, PgDeckContents, PgDeckStore, PgLearningExport,
    PgQuizStore, PgTombstones,
};
pub use migrate::{MigrationError, migrations_fingerprint, run_migrations};
pub use notifications::{
    PgDeviceStore, PgNotificationRetention, PgNotificationStore, PgReminderStore,
};
pub use pool::{PgPool, PoolSettings, connect};
pub use refresh_tokens::PgRefreshTokenStore;
pub use users::PgUserRepository;

pub use diesel_async::AsyncPgConnection;
