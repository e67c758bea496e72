use diesel_async::AsyncPgConnection;
use diesel_async::RunQueryDsl;
use diesel_async::pooled_connection::AsyncDieselConnectionManager;
use diesel_async::pooled_connection::deadpool::Pool;
use std::time::Duration;

/// The shared connection pool.
#[derive(Clone)]
pub struct PgPool {
    pool: Pool<AsyncPgConnection>,
}

#[derive(Debug, Clone)]
pub struct PoolSettings {
    pub url: String,
    pub max_size: usize,
    /// How long a caller waits for a connection (or for one to be created) before failing:
    /// a store that is down fails fast instead of hanging requests.
    pub acquire_timeout: Duration,
}

#[derive(Debug, thiserror::Error)]
#[error("database unavailable: {0}")]
pub struct PoolError(pub String);

/// Builds the pool without connecting: a process starts while PostgreSQL is down, and
/// connections are made (and remade after a restart) on demand.
pub fn connect(settings: &PoolSettings) -> Result<PgPool, PoolError> {
    let manager = AsyncDieselConnectionManager::<AsyncPgConnection>::new(settings.url.clone());
    let pool = Pool::builder(manager)
        .max_size(settings.max_size.max(1))
        .wait_timeout(Some(settings.acquire_timeout))
        .create_timeout(Some(settings.acquire_timeout))
        .recycle_timeout(Some(settings.acquire_timeout))
        .runtime(deadpool::Runtime::Tokio1)
        .build()
        .map_err(|e| PoolError(e.to_string()))?;
    Ok(PgPool { pool })
}

impl PgPool {
    pub async fn get(
        &self,
    ) -> Result<diesel_async::pooled_connection::deadpool::Object<AsyncPgConnection>, PoolError>
    {
        self.pool.get().await.map_err(|e| PoolError(e.to_string()))
    }

    /// `SELECT 1` through the pool, for readiness checks.
    pub async fn ping(&self) -> Result<(), PoolError> {
        let mut conn = self.get().await?;
        diesel::sql_query("SELECT 1")
            .execute(&mut conn)
            .await
            .map_err(|e| PoolError(e.to_string()))?;
        Ok(())
    }

    /// (open connections, idle connections), for metrics.
    pub fn status(&self) -> (usize, usize) {
        let status = self.pool.status();
        (status.size, status.available)
    }
}
