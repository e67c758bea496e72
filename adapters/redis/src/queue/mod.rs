//! The job queue on Redis streams.
//!
//! Layout (all under the key prefix, and all in the hash tag `{jobs}`: every script touches
//! the job's record with one or more of the queue's keys, so on a Redis Cluster they all live in
//! one slot):
//! - `{jobs}:stream`: the stream of ready jobs, read by the consumer group `workers`; an entry
//!   stays in the group's pending list until its worker acknowledges it, and is reclaimed by
//!   another worker when idle longer than the visibility timeout (its worker died);
//! - `{jobs}:delayed`: retries waiting for their backoff, scored by due time;
//! - `{jobs}:dead`: the dead-letter stream;
//! - `{jobs}:settings`: the queue's own settings (its one visibility timeout), written by the
//!   first process that creates the queue and read by every worker;
//! - `{jobs}:job:<id>`: the job's record (status, attempts, result, error, progress), which the status
//!   endpoint reads and which makes enqueueing idempotent on the job id.

mod consumer;
mod dead_letters;
mod producer;
mod record;
mod scripts;

use crate::connection::RedisError;
use chrono::{DateTime, Utc};
use fred::prelude::{Client, ClientLike, HashesInterface, LuaInterface};
use lingo_kernel::Clock;
use lingo_kernel::jobs::{JobId, QueueError};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

/// Fills the trace-context carrier of a job being enqueued (set by the app's telemetry).
pub type TraceInjector = Arc<dyn Fn() -> BTreeMap<String, String> + Send + Sync>;

const GROUP: &str = "workers";

/// The hash tag of every queue key (see the module's documentation).
const TAG: &str = "{jobs}";

#[derive(Debug, Clone)]
pub struct QueueSettings {
    /// A delivered job not acknowledged nor heartbeated for this long is given to another worker.
    pub visibility_timeout: Duration,
    /// How long finished job records stay queryable.
    pub finished_retention: Duration,
    /// How long dead and failed job records stay queryable.
    pub dead_retention: Duration,
}

impl Default for QueueSettings {
    fn default() -> Self {
        Self {
            visibility_timeout: Duration::from_secs(60),
            finished_retention: Duration::from_secs(7 * 24 * 3600),
            dead_retention: Duration::from_secs(30 * 24 * 3600),
        }
    }
}

/// The job-queue ports on Redis streams. Cheap to clone.
#[derive(Clone)]
pub struct RedisJobQueue {
    client: Client,
    /// A second connection for blocking reads, so they never stall other commands.
    blocking: Client,
    keys: Keys,
    settings: QueueSettings,
    trace: Option<TraceInjector>,
    /// Stamps enqueues, deliveries and retry due times (the scripts take "now" as an argument).
    clock: Arc<dyn Clock>,
}

#[derive(Debug, Clone)]
struct Keys {
    stream: String,
    delayed: String,
    dead: String,
    settings: String,
    job_prefix: String,
}

impl Keys {
    fn new(prefix: &str) -> Self {
        Self {
            stream: format!("{prefix}{TAG}:stream"),
            delayed: format!("{prefix}{TAG}:delayed"),
            dead: format!("{prefix}{TAG}:dead"),
            settings: format!("{prefix}{TAG}:settings"),
            job_prefix: format!("{prefix}{TAG}:job:"),
        }
    }

    fn job(&self, id: JobId) -> String {
        format!("{}{id}", self.job_prefix)
    }

    /// The record key a message with no readable job id is buried under.
    fn unknown_job(&self) -> String {
        format!("{}unknown", self.job_prefix)
    }
}

impl RedisJobQueue {
    pub fn new(
        client: Client,
        blocking: Client,
        prefix: &str,
        settings: QueueSettings,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            client,
            blocking,
            keys: Keys::new(prefix),
            settings,
            trace: None,
            clock,
        }
    }

    /// Connects both clients (commands, and blocking reads whose timeout outlasts their block).
    pub fn connect(
        redis: &crate::RedisSettings,
        settings: QueueSettings,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, RedisError> {
        let client = crate::connect_fred(redis)?;
        let blocking = crate::connect_fred(&crate::RedisSettings {
            command_timeout: redis.command_timeout + std::time::Duration::from_secs(5),
            ..redis.clone()
        })?;
        Ok(Self::new(
            client,
            blocking,
            &redis.key_prefix,
            settings,
            clock,
        ))
    }

    /// The client for other coordination (leases), sharing the command connection.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Jobs enqueued from now on carry the trace context this function returns.
    pub fn with_trace_injector(mut self, injector: TraceInjector) -> Self {
        self.trace = Some(injector);
        self
    }

    pub fn settings(&self) -> &QueueSettings {
        &self.settings
    }

    /// Round trip to the server, for readiness checks.
    pub async fn ping(&self) -> Result<(), RedisError> {
        let _: String = self.client.ping(None).await?;
        Ok(())
    }

    /// Creates the stream and its consumer group if missing (idempotent), and stores this
    /// process's visibility timeout as the queue's unless the queue has one already.
    pub async fn ensure_group(&self) -> Result<(), QueueError> {
        let _: i64 = self
            .client
            .hsetnx(
                self.keys.settings.as_str(),
                "visibility_ms",
                self.settings.visibility_timeout.as_millis() as u64,
            )
            .await
            .map_err(unavailable)?;
        let created: Result<(), _> = self
            .client
            .xgroup_create(self.keys.stream.as_str(), GROUP, "0", true)
            .await;
        match created {
            Ok(()) => Ok(()),
            Err(e) if e.details().contains("BUSYGROUP") => Ok(()),
            Err(e) => Err(unavailable(e)),
        }
    }

    fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    fn now_ms(&self) -> String {
        millis(self.now())
    }

    async fn eval<R: fred::types::FromValue>(
        &self,
        script: &str,
        keys: Vec<String>,
        args: Vec<String>,
    ) -> Result<R, QueueError> {
        self.client
            .eval(script, keys, args)
            .await
            .map_err(unavailable)
    }
}

use fred::prelude::StreamsInterface;

fn unavailable(e: fred::error::Error) -> QueueError {
    QueueError::Unavailable(e.to_string())
}

fn millis(at: DateTime<Utc>) -> String {
    at.timestamp_millis().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::key_slot::key_slot;

    #[test]
    fn every_queue_key_is_in_one_cluster_slot_whatever_the_prefix() {
        for prefix in ["", "lingo:", "test:4f1c2a:", "staging:lingo:"] {
            let keys = Keys::new(prefix);
            let every = [
                keys.stream.clone(),
                keys.delayed.clone(),
                keys.dead.clone(),
                keys.settings.clone(),
                keys.job(JobId::new()),
                keys.job(JobId::new()),
                keys.unknown_job(),
            ];
            let slot = key_slot(&keys.stream);
            for key in &every {
                assert!(key.starts_with(prefix), "{key} keeps the prefix {prefix}");
                assert_eq!(key_slot(key), slot, "{key} is in the stream's slot");
            }
        }
    }
}
