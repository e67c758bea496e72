use clap::Parser;
use lingo_api::{AppState, Overrides, ServerSettings};
use lingo_bootstrap::{Config, Stores, telemetry};
use std::net::TcpListener;

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
    let state = AppState::build(&config, stores, Overrides::default())?;
    let port = args.port.unwrap_or(config.http.port);
    let listener = TcpListener::bind((config.http.host.as_str(), port))?;
    tracing::info!(address = %listener.local_addr()?, "api listening");
    let http = &config.http;
    let admin = match &http.metrics_address {
        Some(address) => {
            let listener = TcpListener::bind(address.as_str())
                .map_err(|e| anyhow::anyhow!("LINGO_METRICS_ADDR={address}: {e}"))?;
            tracing::info!(address = %listener.local_addr()?, "metrics listening");
            Some(lingo_api::start_admin(
                listener,
                state.clone(),
                http.shutdown_timeout,
            )?)
        }
        None => None,
    };
    let public = lingo_api::start(
        listener,
        state,
        ServerSettings {
            body_limit_bytes: http.body_limit_bytes,
            request_timeout: http.request_timeout,
            shutdown_timeout: http.shutdown_timeout,
            cors_origins: http.cors_origins.clone(),
            workers: http.workers,
        },
    )?;
    match admin {
        Some(admin) => {
            let (public, admin) = tokio::join!(public, admin);
            public?;
            admin?;
        }
        None => public.await?,
    }
    tracing::info!("api stopped");
    Ok(())
}
