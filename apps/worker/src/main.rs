use clap::Parser;
use lingo_bootstrap::{Config, Overrides, Services, Stores, shutdown, telemetry};
use lingo_kernel::jobs::RetryPolicy;
use lingo_worker::jobs;
use lingo_worker::{Worker, WorkerSettings, relay};
use std::sync::Arc;
use std::time::Duration;

/// Lingo worker: runs background jobs from the Redis job queue and relays the PostgreSQL
/// outbox. Configured by LINGO_… environment variables (see .env.example).
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Jobs run at once (overrides LINGO_WORKER_CONCURRENCY).
    #[arg(long)]
    concurrency: Option<usize>,
    /// Consumer name; unique per process (default: host-pid).
    #[arg(long)]
    name: Option<String>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let config = Config::from_env()?;
    let _telemetry = telemetry::init(&config.telemetry, "worker")?;
    let stores = Stores::connect(&config, "worker").await?;
    stores.prepare(&config).await;

    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let stopped = move || {
        let mut rx = stop_rx.clone();
        async move {
            let _ = rx.wait_for(|stop| *stop).await;
        }
    };
    let relay = tokio::spawn(relay::run(
        stores.jobs.clone(),
        config.queue.outbox_poll_interval,
        stopped(),
    ));
    let name = args.name.unwrap_or_else(|| {
        let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "worker".to_owned());
        format!("{host}-{}", std::process::id())
    });
    let settings = WorkerSettings {
        name,
        concurrency: args
            .concurrency
            .unwrap_or(config.queue.worker_concurrency)
            .max(1),
        retry: RetryPolicy {
            base: config.queue.retry_base,
            max: config.queue.retry_max,
        },
        retry_window: config.queue.retry_window,
        poll_block: Duration::from_secs(1),
        heartbeat_every: (config.queue.visibility_timeout / 3).max(Duration::from_millis(100)),
        shutdown_grace: config.queue.shutdown_grace,
    };
    let services = Services::build(&config, stores.clone(), Overrides::default())?;
    tracing::info!(
        generator = services.content_generation.generator_name(),
        "learner content generator"
    );
    let registry = jobs::registry(services.job_deps.clone());
    let worker = Worker::new(Arc::new(stores.jobs.clone()), registry, settings)
        .with_clock(services.job_deps.clock.clone());
    tokio::spawn(async move {
        shutdown::signal().await;
        let _ = stop_tx.send(true);
    });
    worker.run(stopped()).await;
    relay.await?;
    Ok(())
}
