use super::{RedisJobQueue, scripts, unavailable};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use fred::prelude::StreamsInterface;
use fred::types::Value;
use lingo_kernel::jobs::{DeadJob, DeadLetters, JobEnvelope, JobId, QueueError};
use std::collections::HashMap;

type Entries = Vec<(String, HashMap<String, Value>)>;

fn field(fields: &HashMap<String, Value>, name: &str) -> Option<String> {
    fields
        .get(name)
        .and_then(|v| v.as_str())
        .map(|s| s.into_owned())
        .filter(|s| !s.is_empty())
}

fn dead_job(entry_id: String, fields: &HashMap<String, Value>) -> DeadJob {
    DeadJob {
        job_id: field(fields, "job_id").and_then(|id| id.parse().ok()),
        kind: field(fields, "kind"),
        reason: field(fields, "reason").unwrap_or_default(),
        raw: field(fields, "raw"),
        dead_at: field(fields, "dead_at")
            .and_then(|ms| ms.parse().ok())
            .and_then(DateTime::<Utc>::from_timestamp_millis)
            .unwrap_or_default(),
        entry_id,
    }
}

impl RedisJobQueue {
    async fn dead_entries(&self, count: Option<u64>) -> Result<Entries, QueueError> {
        self.client
            .xrange_values(self.keys.dead.as_str(), "-", "+", count)
            .await
            .map_err(unavailable)
    }
}

#[async_trait]
impl DeadLetters for RedisJobQueue {
    async fn list(&self, limit: usize) -> Result<Vec<DeadJob>, QueueError> {
        Ok(self
            .dead_entries(Some(limit as u64))
            .await?
            .into_iter()
            .map(|(id, fields)| dead_job(id, &fields))
            .collect())
    }

    async fn requeue(&self, id: JobId) -> Result<bool, QueueError> {
        let entries = self.dead_entries(None).await?;
        let Some(dead) = entries
            .into_iter()
            .map(|(entry, fields)| dead_job(entry, &fields))
            .find(|dead| dead.job_id == Some(id))
        else {
            return Ok(false);
        };
        let Some(mut envelope) = dead
            .raw
            .as_deref()
            .and_then(|raw| serde_json::from_str::<JobEnvelope>(raw).ok())
        else {
            return Ok(false);
        };
        envelope.attempts = 0;
        let encoded =
            serde_json::to_string(&envelope).map_err(|e| QueueError::Encoding(e.to_string()))?;
        let requeued: i64 = self
            .eval(
                scripts::REQUEUE,
                vec![
                    self.keys.dead.clone(),
                    self.keys.stream.clone(),
                    self.keys.job(id),
                ],
                vec![
                    dead.entry_id,
                    encoded,
                    self.now_ms(),
                    envelope.kind.clone(),
                    envelope.max_attempts.to_string(),
                ],
            )
            .await?;
        Ok(requeued == 1)
    }
}
