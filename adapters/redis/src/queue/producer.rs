use super::{RedisJobQueue, millis, record, scripts};
use async_trait::async_trait;
use fred::prelude::HashesInterface;
use lingo_kernel::jobs::{
    Enqueued, JobEnvelope, JobId, JobQueue, JobRecord, NewJob, QueueError, QueueStats,
};
use std::collections::HashMap;

#[async_trait]
impl JobQueue for RedisJobQueue {
    #[tracing::instrument(skip_all, fields(job.id = %job.id, job.kind = %job.kind))]
    async fn enqueue(&self, job: NewJob) -> Result<Enqueued, QueueError> {
        let envelope = JobEnvelope::new(job, self.now(), || {
            self.trace
                .as_ref()
                .map(|inject| inject())
                .unwrap_or_default()
        });
        let encoded =
            serde_json::to_string(&envelope).map_err(|e| QueueError::Encoding(e.to_string()))?;
        let created: i64 = self
            .eval(
                scripts::ENQUEUE,
                vec![self.keys.job(envelope.id), self.keys.stream.clone()],
                vec![
                    encoded,
                    envelope.kind.clone(),
                    envelope.owner.map(|o| o.to_string()).unwrap_or_default(),
                    millis(envelope.created_at),
                    envelope.max_attempts.to_string(),
                ],
            )
            .await?;
        Ok(if created == 1 {
            Enqueued::Created
        } else {
            Enqueued::AlreadyExists
        })
    }

    async fn status(&self, id: JobId) -> Result<Option<JobRecord>, QueueError> {
        let fields: HashMap<String, String> = self
            .client
            .hgetall(self.keys.job(id))
            .await
            .map_err(super::unavailable)?;
        Ok(record::parse(id, &fields))
    }

    async fn stats(&self) -> Result<QueueStats, QueueError> {
        let counts: Vec<i64> = self
            .eval(
                scripts::STATS,
                vec![
                    self.keys.stream.clone(),
                    self.keys.delayed.clone(),
                    self.keys.dead.clone(),
                ],
                vec![super::GROUP.to_owned()],
            )
            .await?;
        let at = |i: usize| counts.get(i).copied().unwrap_or(0).max(0) as u64;
        Ok(QueueStats {
            ready: at(0),
            in_flight: at(1),
            delayed: at(2),
            dead: at(3),
        })
    }
}
