use super::{GROUP, RedisJobQueue, millis, scripts, unavailable};
use async_trait::async_trait;
use fred::prelude::{HashesInterface, StreamsInterface};
use fred::types::Value;
use fred::types::streams::XReadResponse;
use lingo_kernel::jobs::{
    Delivery, JobConsumer, JobEnvelope, JobId, JobProgress, JobStatus, QueueError, Terminal,
};
use std::time::Duration;

/// Renews the idle time of entries still owned by this consumer and returns the ones it no
/// longer owns (reclaimed by another worker, or gone with the broker's data): their jobs must
/// stop. KEYS: stream. ARGV: group, consumer, entry ids…
const HEARTBEAT: &str = r#"
local lost = {}
for i = 3, #ARGV do
  local ok, pending = pcall(redis.call, 'XPENDING', KEYS[1], ARGV[1], ARGV[i], ARGV[i], 1)
  if ok and pending[1] and pending[1][2] == ARGV[2] then
    redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[i], 'JUSTID')
  else
    table.insert(lost, ARGV[i])
  end
end
return lost
"#;

/// Fenced like the outcomes. KEYS: job hash. ARGV: progress, now_ms, token.
const PROGRESS: &str = r#"
if redis.call('HGET', KEYS[1], 'token') ~= ARGV[3] or
   redis.call('HGET', KEYS[1], 'status') ~= 'running' then return 0 end
redis.call('HSET', KEYS[1], 'progress', ARGV[1], 'updated_at', ARGV[2])
return 1
"#;

/// Turns a fenced script's answer into an outcome: 0 means the delivery no longer owns the job.
fn fenced(applied: i64, id: JobId) -> Result<(), QueueError> {
    if applied == 1 {
        Ok(())
    } else {
        Err(QueueError::NotOwner(id))
    }
}

/// A message as read from the stream: its entry id and its `job` field, if any.
struct Raw {
    entry: String,
    job: Option<String>,
}

fn text(value: &Value) -> Option<String> {
    value.as_str().map(|s| s.into_owned())
}

impl RedisJobQueue {
    async fn maintain(&self, consumer: &str, max: usize) -> Result<Vec<Raw>, QueueError> {
        let keys = vec![
            self.keys.stream.clone(),
            self.keys.delayed.clone(),
            self.keys.settings.clone(),
        ];
        let args = vec![
            GROUP.to_owned(),
            consumer.to_owned(),
            self.now_ms(),
            self.settings.visibility_timeout.as_millis().to_string(),
            max.to_string(),
        ];
        let flat: Vec<Value> = match self
            .eval(scripts::MAINTAIN, keys.clone(), args.clone())
            .await
        {
            Err(QueueError::Unavailable(e)) if e.contains("NOGROUP") => {
                self.ensure_group().await?;
                self.eval(scripts::MAINTAIN, keys, args).await?
            }
            other => other?,
        };
        Ok(flat
            .chunks(2)
            .filter_map(|pair| {
                let entry = text(pair.first()?)?;
                let job = pair.get(1).and_then(text).filter(|j| !j.is_empty());
                Some(Raw { entry, job })
            })
            .collect())
    }

    async fn read_new(
        &self,
        consumer: &str,
        count: usize,
        block: Option<Duration>,
    ) -> Result<Vec<Raw>, QueueError> {
        let read: Result<Value, _> = self
            .blocking
            .xreadgroup(
                GROUP,
                consumer,
                Some(count as u64),
                block.map(|b| b.as_millis() as u64),
                false,
                self.keys.stream.as_str(),
                ">",
            )
            .await;
        let response = match read {
            Ok(response) => response,
            Err(e) if e.details().contains("NOGROUP") => {
                // Redis lost its data (restart without persistence): recreate and go on.
                self.ensure_group().await?;
                return Ok(Vec::new());
            }
            Err(e) => return Err(unavailable(e)),
        };
        if response.is_null() {
            // The block timed out with nothing new.
            return Ok(Vec::new());
        }
        let response: XReadResponse<String, String, String, Value> =
            response.into_xread_response().map_err(unavailable)?;
        Ok(response
            .into_values()
            .flatten()
            .map(|(entry, fields)| Raw {
                entry,
                job: fields.get("job").and_then(text),
            })
            .collect())
    }

    /// Marks a well-formed delivery running; `None` when it must not run.
    async fn start(&self, consumer: &str, raw: &Raw, envelope: JobEnvelope) -> Option<Delivery> {
        let mut delivery = Delivery {
            receipt: raw.entry.clone(),
            token: String::new(),
            envelope,
        };
        let started: Result<i64, _> = self
            .eval(
                scripts::START,
                vec![
                    self.keys.job(delivery.envelope.id),
                    self.keys.stream.clone(),
                ],
                vec![
                    GROUP.to_owned(),
                    raw.entry.clone(),
                    self.now_ms(),
                    consumer.to_owned(),
                    delivery.envelope.max_attempts.to_string(),
                ],
            )
            .await;
        match started {
            Ok(-1) => {
                tracing::info!(job.id = %delivery.envelope.id, "duplicate delivery of a finished job dropped");
                None
            }
            Ok(-2) => {
                let reason = "delivered again and again without finishing: its worker crashed or \
                              timed out on every attempt";
                self.log_bury(&delivery, Terminal::Dead, reason).await;
                None
            }
            Ok(token) => {
                delivery.token = token.to_string();
                Some(delivery)
            }
            Err(e) => {
                // Left pending: it is reclaimed after the visibility timeout.
                tracing::warn!(error = %e, "could not mark a job running");
                None
            }
        }
    }

    async fn log_bury(&self, delivery: &Delivery, how: Terminal, reason: &str) {
        if let Err(e) = self.bury(delivery, how, reason).await {
            tracing::warn!(error = %e, job.id = %delivery.envelope.id, "could not dead-letter a job");
        }
    }

    /// Dead-letters a message that cannot be read as a job, so it never blocks the stream.
    async fn bury_malformed(&self, raw: &Raw, reason: &str) {
        tracing::warn!(entry = %raw.entry, reason, "malformed job message dead-lettered");
        let job_id = raw
            .job
            .as_deref()
            .and_then(|j| serde_json::from_str::<serde_json::Value>(j).ok())
            .and_then(|v| v.get("id")?.as_str()?.parse::<JobId>().ok());
        let hash = job_id
            .map(|id| self.keys.job(id))
            .unwrap_or_else(|| self.keys.unknown_job());
        let result: Result<i64, _> = self
            .eval(
                scripts::BURY,
                vec![hash, self.keys.stream.clone(), self.keys.dead.clone()],
                vec![
                    GROUP.to_owned(),
                    raw.entry.clone(),
                    JobStatus::Dead.as_str().to_owned(),
                    reason.to_owned(),
                    job_id.map(|id| id.to_string()).unwrap_or_default(),
                    String::new(),
                    raw.job.clone().unwrap_or_default(),
                    self.now_ms(),
                    "0".to_owned(),
                    self.settings.dead_retention.as_secs().to_string(),
                    String::new(),
                ],
            )
            .await;
        if let Err(e) = result {
            tracing::warn!(error = %e, "could not dead-letter a malformed message");
        }
    }

    /// A retry (`spent` = 1) or a postponement (0) after `delay`, fenced by the token.
    async fn requeue_after(
        &self,
        delivery: &Delivery,
        error: &str,
        delay: Duration,
        spent: u32,
    ) -> Result<(), QueueError> {
        let mut next = delivery.envelope.clone();
        next.attempts += spent;
        let encoded =
            serde_json::to_string(&next).map_err(|e| QueueError::Encoding(e.to_string()))?;
        let due = self.now()
            + chrono::Duration::from_std(delay).unwrap_or_else(|_| chrono::Duration::hours(1));
        let applied: i64 = self
            .eval(
                scripts::RETRY,
                vec![
                    self.keys.job(next.id),
                    self.keys.stream.clone(),
                    self.keys.delayed.clone(),
                ],
                vec![
                    GROUP.to_owned(),
                    delivery.receipt.clone(),
                    encoded,
                    millis(due),
                    error.to_owned(),
                    self.now_ms(),
                    next.attempts.to_string(),
                    delivery.token.clone(),
                    if spent == 0 { "-1" } else { "0" }.to_owned(),
                ],
            )
            .await?;
        fenced(applied, next.id)
    }
}

#[async_trait]
impl JobConsumer for RedisJobQueue {
    async fn fetch(
        &self,
        consumer: &str,
        max: usize,
        block: Duration,
    ) -> Result<Vec<Delivery>, QueueError> {
        if max == 0 {
            return Ok(Vec::new());
        }
        let mut raws = self.maintain(consumer, max).await?;
        if raws.len() < max {
            let block = raws.is_empty().then_some(block);
            match self.read_new(consumer, max - raws.len(), block).await {
                Ok(new) => raws.extend(new),
                // Reclaimed jobs are ours now: run them rather than drop them.
                Err(e) if !raws.is_empty() => tracing::warn!(error = %e, "reading new jobs failed"),
                Err(e) => return Err(e),
            }
        }
        let mut deliveries = Vec::with_capacity(raws.len());
        for raw in &raws {
            let Some(job) = raw.job.as_deref() else {
                self.bury_malformed(raw, "message has no 'job' field").await;
                continue;
            };
            match serde_json::from_str::<JobEnvelope>(job) {
                Ok(envelope) => deliveries.extend(self.start(consumer, raw, envelope).await),
                Err(e) => {
                    self.bury_malformed(raw, &format!("message is not a job envelope: {e}"))
                        .await
                }
            }
        }
        Ok(deliveries)
    }

    async fn heartbeat(
        &self,
        consumer: &str,
        receipts: &[String],
    ) -> Result<Vec<String>, QueueError> {
        if receipts.is_empty() {
            return Ok(Vec::new());
        }
        let mut args = vec![GROUP.to_owned(), consumer.to_owned()];
        args.extend(receipts.iter().cloned());
        let lost: Vec<Value> = self
            .eval(HEARTBEAT, vec![self.keys.stream.clone()], args)
            .await?;
        Ok(lost.iter().filter_map(text).collect())
    }

    async fn visibility_timeout(&self) -> Result<Duration, QueueError> {
        let stored: Option<u64> = self
            .client
            .hget(self.keys.settings.as_str(), "visibility_ms")
            .await
            .map_err(unavailable)?;
        let own = self.settings.visibility_timeout;
        Ok(match stored {
            Some(ms) => {
                let queue = Duration::from_millis(ms);
                if queue != own {
                    tracing::warn!(
                        queue_ms = ms,
                        configured_ms = own.as_millis() as u64,
                        "this worker's visibility timeout differs from the queue's; using the queue's"
                    );
                }
                queue
            }
            None => {
                self.ensure_group().await?;
                own
            }
        })
    }

    async fn report_progress(
        &self,
        delivery: &Delivery,
        progress: &JobProgress,
    ) -> Result<(), QueueError> {
        let encoded =
            serde_json::to_string(progress).map_err(|e| QueueError::Encoding(e.to_string()))?;
        let id = delivery.envelope.id;
        let applied: i64 = self
            .eval(
                PROGRESS,
                vec![self.keys.job(id)],
                vec![encoded, self.now_ms(), delivery.token.clone()],
            )
            .await?;
        fenced(applied, id)
    }

    async fn succeed(
        &self,
        delivery: &Delivery,
        result: serde_json::Value,
    ) -> Result<(), QueueError> {
        let envelope = &delivery.envelope;
        let applied: i64 = self
            .eval(
                scripts::SUCCEED,
                vec![self.keys.job(envelope.id), self.keys.stream.clone()],
                vec![
                    GROUP.to_owned(),
                    delivery.receipt.clone(),
                    result.to_string(),
                    self.now_ms(),
                    (envelope.attempts + 1).to_string(),
                    self.settings.finished_retention.as_secs().to_string(),
                    delivery.token.clone(),
                ],
            )
            .await?;
        fenced(applied, envelope.id)
    }

    async fn retry_later(
        &self,
        delivery: &Delivery,
        error: &str,
        delay: Duration,
    ) -> Result<(), QueueError> {
        self.requeue_after(delivery, error, delay, 1).await
    }

    async fn postpone(
        &self,
        delivery: &Delivery,
        reason: &str,
        delay: Duration,
    ) -> Result<(), QueueError> {
        self.requeue_after(delivery, reason, delay, 0).await
    }

    async fn bury(
        &self,
        delivery: &Delivery,
        how: Terminal,
        reason: &str,
    ) -> Result<(), QueueError> {
        let envelope = &delivery.envelope;
        let status = match how {
            Terminal::Failed => JobStatus::Failed,
            Terminal::Dead => JobStatus::Dead,
        };
        let raw =
            serde_json::to_string(envelope).map_err(|e| QueueError::Encoding(e.to_string()))?;
        let applied: i64 = self
            .eval(
                scripts::BURY,
                vec![
                    self.keys.job(envelope.id),
                    self.keys.stream.clone(),
                    self.keys.dead.clone(),
                ],
                vec![
                    GROUP.to_owned(),
                    delivery.receipt.clone(),
                    status.as_str().to_owned(),
                    reason.to_owned(),
                    envelope.id.to_string(),
                    envelope.kind.clone(),
                    raw,
                    self.now_ms(),
                    (envelope.attempts + 1).to_string(),
                    self.settings.dead_retention.as_secs().to_string(),
                    delivery.token.clone(),
                ],
            )
            .await?;
        fenced(applied, envelope.id)
    }

    async fn release(&self, delivery: &Delivery) -> Result<(), QueueError> {
        let encoded = serde_json::to_string(&delivery.envelope)
            .map_err(|e| QueueError::Encoding(e.to_string()))?;
        let applied: i64 = self
            .eval(
                scripts::RELEASE,
                vec![
                    self.keys.job(delivery.envelope.id),
                    self.keys.stream.clone(),
                ],
                vec![
                    GROUP.to_owned(),
                    delivery.receipt.clone(),
                    encoded,
                    self.now_ms(),
                    delivery.token.clone(),
                ],
            )
            .await?;
        fenced(applied, delivery.envelope.id)
    }
}
