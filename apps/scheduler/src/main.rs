use clap::Parser;
use lingo_bootstrap::{Config, Stores, shutdown, telemetry};
use lingo_scheduler::{Scheduler, parse_schedule};
use std::sync::Arc;
use std::time::Duration;

/// Lingo scheduler: enqueues periodic jobs from the LINGO_SCHEDULE cron table. Run as many
/// replicas as you like; each tick enqueues exactly once.
#[derive(Parser)]
#[command(version)]
struct Args {}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    Args::parse();
    let config = Config::from_env()?;
    let entries = parse_schedule(&config.scheduler.schedule, lingo_worker::jobs::KNOWN)?;
    let _telemetry = telemetry::init(&config.telemetry, "scheduler")?;
    let stores = Stores::connect(&config, "scheduler").await?;
    let holder = format!(
        "{}-{}",
        std::env::var("HOSTNAME").unwrap_or_else(|_| "scheduler".to_owned()),
        std::process::id()
    );
    let lease = stores.scheduler_lease(holder, config.scheduler.lease_ttl);
    let tick =
        (config.scheduler.lease_ttl / 3).clamp(Duration::from_millis(200), Duration::from_secs(1));
    tracing::info!(entries = entries.len(), "scheduler started");
    let mut scheduler = Scheduler::new(
        lease,
        Arc::new(stores.jobs.clone()),
        entries,
        tick,
        Arc::new(lingo_kernel::SystemClock),
    );
    scheduler.lookback = (config.scheduler.lease_ttl * 2).max(Duration::from_secs(120));
    let fired = scheduler.run(shutdown::signal()).await;
    tracing::info!(fired, "scheduler stopped");
    Ok(())
}
