use clap::Parser;
use lingo_api::{AppState, Metrics, ServerSettings};
use lingo_bootstrap::{Config, Stores, telemetry};
use lingo_jwt::JwtAccessTokens;
use lingo_kernel::SystemClock;
use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

/// Lingo api: the versioned REST api (/api/v1) of the mobile app, with /metrics and /docs.
/// Configured by LINGO_… environment variables (see .env.example).
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Port to listen on (overrides LINGO_HTTP_PORT).
    #[arg(long)]
    port: Option<u16>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let config = Config::from_env()?;
    let _telemetry = telemetry::init(&config.telemetry, "api")?;
    let stores = Stores::connect(&config, "api").await?;
    stores.prepare(&config).await;
    let state = AppState {
        jobs: Arc::new(stores.queue.clone()),
        dead_letters: Arc::new(stores.queue.clone()),
        stores,
        tokens: Arc::new(JwtAccessTokens::new(
            config.auth.jwt_secret.as_bytes(),
            &config.auth.jwt_issuer,
            &config.auth.jwt_audience,
            chrono::Duration::minutes(15),
        )),
        clock: Arc::new(SystemClock),
        metrics: Arc::new(Metrics::default()),
        ready_timeout: Duration::from_secs(1),
    };
    let port = args.port.unwrap_or(config.http.port);
    let listener = TcpListener::bind((config.http.host.as_str(), port))?;
    tracing::info!(address = %listener.local_addr()?, "api listening");
    let http = &config.http;
    lingo_api::start(
        listener,
        state,
        ServerSettings {
            body_limit_bytes: http.body_limit_bytes,
            request_timeout: http.request_timeout,
            shutdown_timeout: http.shutdown_timeout,
            cors_origins: http.cors_origins.clone(),
            workers: http.workers,
        },
    )?
    .await?;
    tracing::info!("api stopped");
    Ok(())
}
