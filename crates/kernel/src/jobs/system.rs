//! Job types of the platform itself (not of a domain), shared by the producers (api, admin,
//! scheduler) and the worker that runs them.

use super::Job;
use serde::{Deserialize, Serialize};

/// Returns its message after an optional delay, reporting progress each second: a smoke test of
/// the whole pipeline, and the long job of the crash tests.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SystemEcho {
    pub message: String,
    #[serde(default)]
    pub delay_ms: u64,
}

impl Job for SystemEcho {
    const NAME: &'static str = "system.echo";
    const MAX_ATTEMPTS: u32 = 3;
}

/// What `system.echo` reports: the message and the attempt that returned it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Echoed {
    pub echo: String,
    pub attempt: u32,
}

/// Deletes outbox rows relayed longer ago than the retention. Idempotent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PurgeOutbox {
    /// Overrides the configured retention.
    #[serde(default)]
    pub older_than_secs: Option<u64>,
}

impl Job for PurgeOutbox {
    const NAME: &'static str = "outbox.purge";
}

/// What `outbox.purge` reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxPurged {
    /// Ledger rows deleted.
    pub deleted: usize,
}

/// Records the depth of the queue and of the outbox backlog.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct QueueStatsReport {}

impl Job for QueueStatsReport {
    const NAME: &'static str = "queue.stats";
    const MAX_ATTEMPTS: u32 = 1;
    const RETRY_WINDOW: Option<std::time::Duration> = Some(std::time::Duration::ZERO);
}

/// What `queue.stats` reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueStatsReported {
    pub queue: super::QueueStats,
    /// Outbox rows not yet relayed to the broker.
    pub outbox_backlog: i64,
}
