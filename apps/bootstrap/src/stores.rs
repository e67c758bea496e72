//! Builds every adapter from configuration. The one place that knows which technology backs
//! which port.

use crate::config::Config;
use crate::readiness::{StoreCheck, check};
use crate::telemetry;
use lingo_kernel::jobs::{DispatchSettings, DurableJobs};
use lingo_kernel::{Clock, SystemClock};
use lingo_mongo::{MongoSettings, MongoStore};
use lingo_postgres::{PgJobLedger, PgPool, PoolSettings};
use lingo_redis::{QueueSettings, RedisCache, RedisClient, RedisJobQueue, RedisSettings};
use std::sync::Arc;
use std::time::Duration;

/// All store handles of a process. Cheap to clone.
#[derive(Clone)]
pub struct Stores {
    pub postgres: PgPool,
    pub mongo: MongoStore,
    pub cache: RedisCache,
    /// The job queue every producer and worker uses: the PostgreSQL ledger behind the broker.
    pub jobs: DurableJobs,
    /// The broker alone (Redis streams): the fast dispatch path, for its own checks and tests.
    pub queue: RedisJobQueue,
    /// The ledger alone: staged jobs, durable records.
    pub ledger: PgJobLedger,
    /// For leases and other coordination.
    pub redis: RedisClient,
    pub redis_prefix: String,
}

impl Stores {
    /// Builds the adapters without waiting for the stores: a process starts while a store is
    /// down, reports itself not ready, and recovers when the store comes back. Mongo indexes
    /// and migrations are applied by `prepare`.
    pub async fn connect(config: &Config, process: &str) -> anyhow::Result<Self> {
        let postgres = lingo_postgres::connect(&PoolSettings {
            url: config.database.url.clone(),
            max_size: config.database.pool_size,
            acquire_timeout: config.database.acquire_timeout,
            statement_timeout: config.database.statement_timeout,
            lock_timeout: config.database.lock_timeout,
        })?;
        let mongo = MongoStore::connect(&MongoSettings {
            url: config.mongo.url.clone(),
            database: config.mongo.database.clone(),
            timeout: config.mongo.timeout,
            operation_timeout: config.mongo.operation_timeout,
            bulk_timeout: config.mongo.bulk_timeout,
            app_name: format!("lingo-{process}"),
        })
        .await?;
        let redis_settings = RedisSettings {
            url: config.redis.url.clone(),
            key_prefix: config.redis.key_prefix.clone(),
            command_timeout: config.redis.command_timeout,
            pool_size: config.redis.pool_size,
        };
        let cache = RedisCache::new(
            lingo_redis::connect_pool(&redis_settings)?,
            &config.redis.key_prefix,
        );
        let clock: Arc<dyn Clock> = Arc::new(SystemClock);
        let queue = RedisJobQueue::connect(
            &redis_settings,
            QueueSettings {
                visibility_timeout: config.queue.visibility_timeout,
                finished_retention: config.queue.finished_retention,
                ..QueueSettings::default()
            },
            clock.clone(),
        )?
        .with_trace_injector(Arc::new(telemetry::current_trace_context));
        let redis = queue.client().clone();
        let ledger = PgJobLedger::new(postgres.clone(), clock.clone());
        let jobs = DurableJobs::new(
            Arc::new(ledger.clone()),
            Arc::new(queue.clone()),
            clock,
            DispatchSettings {
                check_every: config.queue.reconcile_every,
                // A worker that lost its delivery stops within the visibility timeout.
                lost_grace: config.queue.visibility_timeout + Duration::from_secs(5),
                ..DispatchSettings::default()
            },
        );
        Ok(Self {
            jobs,
            ledger,
            postgres,
            mongo,
            cache,
            queue,
            redis,
            redis_prefix: config.redis.key_prefix.clone(),
        })
    }

    /// Start-up work that needs the stores up: migrations (when configured), Mongo indexes and
    /// the queue's consumer group. Failures are logged, not fatal: the process keeps running
    /// and reports not-ready, and the next start retries.
    pub async fn prepare(&self, config: &Config) {
        if config.database.migrate_on_start {
            match lingo_postgres::run_migrations(&config.database.url).await {
                Ok(applied) if !applied.is_empty() => {
                    tracing::info!(?applied, "migrations applied")
                }
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "migrations not applied"),
            }
        }
        if let Err(e) = lingo_mongo::ensure_indexes(&self.mongo).await {
            tracing::error!(error = %e, "mongo indexes not ensured");
        }
        if let Err(e) = self.queue.ensure_group().await {
            tracing::error!(error = %e, "job queue group not ensured");
        }
    }

    /// Applies the pending PostgreSQL migrations (`lingo-admin migrate`); returns their versions.
    pub async fn migrate(config: &Config) -> anyhow::Result<Vec<String>> {
        Ok(lingo_postgres::run_migrations(&config.database.url).await?)
    }

    /// The lease that makes one scheduler replica fire each tick, held as `holder`.
    pub fn scheduler_lease(&self, holder: String, ttl: Duration) -> lingo_redis::RedisLease {
        lingo_redis::RedisLease::new(
            self.redis.clone(),
            &self.redis_prefix,
            "scheduler",
            holder,
            ttl,
        )
    }

    /// Pings PostgreSQL, MongoDB and Redis concurrently, each with `timeout`.
    pub async fn readiness(&self, timeout: Duration) -> Vec<StoreCheck> {
        let (postgres, mongo, redis) = tokio::join!(
            check("postgres", timeout, self.postgres.ping()),
            check("mongodb", timeout, self.mongo.ping()),
            check("redis", timeout, async {
                self.cache.ping().await?;
                self.queue.ping().await
            }),
        );
        vec![postgres, mongo, redis]
    }
}
