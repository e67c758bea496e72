use crate::answer_deadline::AnswerDeadline;
use diesel::ConnectionError;
use diesel_async::AsyncPgConnection;
use diesel_async::RunQueryDsl;
use diesel_async::pooled_connection::deadpool::Pool;
use diesel_async::pooled_connection::{
    AsyncDieselConnectionManager, ManagerConfig, RecyclingMethod,
};
use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use std::time::Duration;
use tokio_postgres::config::Host;

/// The shared connection pool, and a smaller one whose sessions always run a cached
/// statement's generic plan (`get_generic`).
#[derive(Clone)]
pub struct PgPool {
    pool: Pool<AsyncPgConnection>,
    generic: Pool<AsyncPgConnection>,
}

#[derive(Debug, Clone)]
pub struct PoolSettings {
    pub url: String,
    pub max_size: usize,
    /// How long a caller waits for a connection (or for one to be created) before failing:
    /// a store that is down fails fast instead of hanging requests.
    pub acquire_timeout: Duration,
    /// `statement_timeout` of every pooled session: the server cancels a statement that runs
    /// longer. Zero leaves the server's setting (and disables the answer deadline below).
    pub statement_timeout: Duration,
    /// `lock_timeout` of every pooled session: a statement waiting this long for a lock fails
    /// instead of queueing behind a stuck transaction. Zero leaves the server's setting.
    pub lock_timeout: Duration,
}

impl PoolSettings {
    /// How long a pooled connection waits for the server to say anything after a request:
    /// past `statement_timeout`, so only a server that no longer answers hits it.
    pub fn answer_deadline(&self) -> Option<Duration> {
        (!self.statement_timeout.is_zero())
            .then(|| self.statement_timeout + self.statement_timeout / 2 + Duration::from_secs(1))
    }
}

#[derive(Debug, thiserror::Error)]
#[error("database unavailable: {0}")]
pub struct PoolError(pub String);

/// Builds the pool without connecting: a process starts while PostgreSQL is down, and
/// connections are made (and remade after a restart) on demand. Migrations do not use the
/// pool (`run_migrations` opens its own session), so the timeouts here never cut them.
pub fn connect(settings: &PoolSettings) -> Result<PgPool, PoolError> {
    Ok(PgPool {
        pool: build(settings, false, settings.max_size)?,
        // Half as many: only the study reads use it, and a caller waits for one as for any.
        generic: build(settings, true, settings.max_size / 2)?,
    })
}

fn build(
    settings: &PoolSettings,
    generic_plans: bool,
    max_size: usize,
) -> Result<Pool<AsyncPgConnection>, PoolError> {
    let session = settings.clone();
    let mut config = ManagerConfig::default();
    // A connection handed out again is checked for a closed socket and a transaction left
    // open (both discard it), not with a test query: `Verified` spent a round trip (`SELECT
    // 1`) on every checkout, one more than the work itself on a review. A server gone since
    // the check fails the first statement, which the callers map to 503 as any outage.
    config.recycling_method = RecyclingMethod::Fast;
    config.custom_setup =
        Box::new(move |url| establish(url.to_owned(), session.clone(), generic_plans).boxed());
    let manager =
        AsyncDieselConnectionManager::<AsyncPgConnection>::new_with_config(&settings.url, config);
    Pool::builder(manager)
        .max_size(max_size.max(1))
        .wait_timeout(Some(settings.acquire_timeout))
        .create_timeout(Some(settings.acquire_timeout))
        .recycle_timeout(Some(settings.acquire_timeout))
        .runtime(deadpool::Runtime::Tokio1)
        .build()
        .map_err(|e| PoolError(e.to_string()))
}

/// One pooled session: the timeouts (and for the generic pool `plan_cache_mode`) travel in the
/// startup packet (no extra round trip), and the socket carries the answer deadline.
fn establish(
    url: String,
    settings: PoolSettings,
    generic_plans: bool,
) -> BoxFuture<'static, Result<AsyncPgConnection, ConnectionError>> {
    async move {
        let mut config: tokio_postgres::Config = url
            .parse()
            .map_err(|e: tokio_postgres::Error| ConnectionError::BadConnection(e.to_string()))?;
        let mut options = config.get_options().unwrap_or_default().to_owned();
        for (name, value) in [
            ("statement_timeout", settings.statement_timeout),
            ("lock_timeout", settings.lock_timeout),
        ] {
            if !value.is_zero() {
                options.push_str(&format!(" -c {name}={}", value.as_millis()));
            }
        }
        if generic_plans {
            options.push_str(" -c plan_cache_mode=force_generic_plan");
        }
        config.options(options.trim());
        let stream = open_socket(&config).await?;
        let limit = settings.answer_deadline();
        let (client, connection) = config
            .connect_raw(AnswerDeadline::new(stream, limit), tokio_postgres::NoTls)
            .await
            .map_err(|e| ConnectionError::BadConnection(e.to_string()))?;
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::warn!(error = %e, "PostgreSQL connection closed");
            }
        });
        AsyncPgConnection::try_from(client).await
    }
    .boxed()
}

/// The first of the configured hosts that accepts a TCP connection. Unix sockets are not
/// supported by the pool (the stacks all use TCP).
async fn open_socket(
    config: &tokio_postgres::Config,
) -> Result<tokio::net::TcpStream, ConnectionError> {
    let ports = config.get_ports();
    let mut last = String::from("no host configured");
    for (i, host) in config.get_hosts().iter().enumerate() {
        let port = ports.get(i).or(ports.first()).copied().unwrap_or(5432);
        let Host::Tcp(name) = host else {
            last = "unix sockets are not supported by the pool".to_owned();
            continue;
        };
        match tokio::net::TcpStream::connect((name.as_str(), port)).await {
            Ok(stream) => {
                let _ = stream.set_nodelay(true);
                return Ok(stream);
            }
            Err(e) => last = format!("{name}:{port}: {e}"),
        }
    }
    Err(ConnectionError::BadConnection(last))
}

impl PgPool {
    pub async fn get(
        &self,
    ) -> Result<diesel_async::pooled_connection::deadpool::Object<AsyncPgConnection>, PoolError>
    {
        self.pool.get().await.map_err(|e| PoolError(e.to_string()))
    }

    /// A session that runs every cached statement with its generic plan, planned once per
    /// connection. PostgreSQL otherwise plans some statements anew on every run (a custom plan,
    /// when it estimates the generic one dearer): the study reads spent more time planning
    /// than running (0.7 of 1.9 ms per session, docs/performance.md). Only for statements
    /// written for it: literal limits, and no `$n IS NULL OR …` a generic plan cannot fold.
    pub async fn get_generic(
        &self,
    ) -> Result<diesel_async::pooled_connection::deadpool::Object<AsyncPgConnection>, PoolError>
    {
        self.generic
            .get()
            .await
            .map_err(|e| PoolError(e.to_string()))
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

    /// (open connections, idle connections) of both pools, for metrics.
    pub fn status(&self) -> (usize, usize) {
        let (status, generic) = (self.pool.status(), self.generic.status());
        (
            status.size + generic.size,
            status.available + generic.available,
        )
    }
}
