use super::Job;
use crate::ids::{JobId, UserId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// A job about to be enqueued.
#[derive(Debug, Clone, PartialEq)]
pub struct NewJob {
    pub id: JobId,
    pub kind: String,
    pub payload: Value,
    pub owner: Option<UserId>,
    pub max_attempts: u32,
    /// Trace context to continue; empty means "the context current at enqueue time".
    pub trace: BTreeMap<String, String>,
}

impl NewJob {
    /// A typed job with a fresh id.
    pub fn of<J: Job>(job: &J) -> Result<Self, serde_json::Error> {
        Ok(Self {
            id: JobId::new(),
            kind: J::NAME.to_owned(),
            payload: serde_json::to_value(job)?,
            owner: None,
            max_attempts: J::MAX_ATTEMPTS,
            trace: BTreeMap::new(),
        })
    }

    /// Fixes the id: enqueueing the same id twice creates one job (used by the outbox relay and
    /// the scheduler for exactly-once enqueueing).
    pub fn with_id(mut self, id: JobId) -> Self {
        self.id = id;
        self
    }

    /// The user who may see this job's status.
    pub fn owned_by(mut self, owner: UserId) -> Self {
        self.owner = Some(owner);
        self
    }
}

/// What travels in the queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobEnvelope {
    pub id: JobId,
    #[serde(rename = "type")]
    pub kind: String,
    pub payload: Value,
    /// Attempts already made (0 on the first run).
    pub attempts: u32,
    pub max_attempts: u32,
    pub created_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<UserId>,
    /// W3C trace context (`traceparent`, `tracestate`) of the code that enqueued the job.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub trace: BTreeMap<String, String>,
}

impl JobEnvelope {
    /// `current_trace` is used when the job carries no trace context of its own.
    pub fn new(
        job: NewJob,
        created_at: DateTime<Utc>,
        current_trace: impl FnOnce() -> BTreeMap<String, String>,
    ) -> Self {
        let trace = if job.trace.is_empty() {
            current_trace()
        } else {
            job.trace
        };
        Self {
            id: job.id,
            kind: job.kind,
            payload: job.payload,
            attempts: 0,
            max_attempts: job.max_attempts.max(1),
            created_at,
            owner: job.owner,
            trace,
        }
    }

    /// True when the attempt now running is the last one allowed.
    pub fn is_last_attempt(&self) -> bool {
        self.attempts + 1 >= self.max_attempts
    }
}

/// A job handed to a worker: the envelope, the queue's receipt for acknowledging it, and the
/// delivery token that fences its outcome: the queue accepts an outcome or progress only with
/// the token of the job's current delivery, so a worker whose job was reclaimed cannot finish,
/// retry or bury it behind the new owner's back.
#[derive(Debug, Clone, PartialEq)]
pub struct Delivery {
    pub receipt: String,
    pub token: String,
    pub envelope: JobEnvelope,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    /// Waiting to run: new, or a retry waiting for its backoff (see `next_attempt_at`).
    Queued,
    Running,
    Succeeded,
    /// The handler reported a failure that retrying cannot fix; kept in the dead-letter stream.
    Failed,
    /// Every attempt failed (or the message was unusable); kept in the dead-letter stream.
    Dead,
}

impl JobStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Running => "running",
            Self::Succeeded => "succeeded",
            Self::Failed => "failed",
            Self::Dead => "dead",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Some(match raw {
            "queued" => Self::Queued,
            "running" => Self::Running,
            "succeeded" => Self::Succeeded,
            "failed" => Self::Failed,
            "dead" => Self::Dead,
            _ => return None,
        })
    }

    pub fn is_final(self) -> bool {
        matches!(self, Self::Succeeded | Self::Failed | Self::Dead)
    }
}

/// Progress of a long job (imports, optimisation runs).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct JobProgress {
    /// Units of work done so far (records read, words processed …).
    pub processed: u64,
    /// Total units when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<u64>,
    /// Named counters: imported, skipped, failed …
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub counters: BTreeMap<String, u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

impl JobProgress {
    /// Percentage done, when the total is known.
    pub fn percent(&self) -> Option<f64> {
        self.total.map(|total| {
            if total == 0 {
                100.0
            } else {
                (self.processed as f64 / total as f64 * 100.0).min(100.0)
            }
        })
    }
}

/// What the queue knows about a job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobRecord {
    pub id: JobId,
    #[serde(rename = "type")]
    pub kind: String,
    pub status: JobStatus,
    pub attempts: u32,
    pub max_attempts: u32,
    pub owner: Option<UserId>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub result: Option<Value>,
    pub progress: Option<JobProgress>,
}

/// An entry of the dead-letter stream.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeadJob {
    /// The dead-letter entry's own id.
    pub entry_id: String,
    /// Absent when the message was too malformed to name its job.
    pub job_id: Option<JobId>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub reason: String,
    /// The message as received, when it could not be parsed.
    pub raw: Option<String>,
    pub dead_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize, Deserialize)]
    struct Ping {
        n: u32,
    }

    impl Job for Ping {
        const NAME: &'static str = "test.ping";
        const MAX_ATTEMPTS: u32 = 3;
    }

    #[test]
    fn typed_jobs_carry_their_name_payload_and_limit() {
        let job = NewJob::of(&Ping { n: 7 }).expect("serialisable");
        assert_eq!(job.kind, "test.ping");
        assert_eq!(job.payload, serde_json::json!({"n": 7}));
        assert_eq!(job.max_attempts, 3);
    }

    #[test]
    fn envelope_wire_format_uses_type_and_round_trips() {
        let job = NewJob::of(&Ping { n: 1 }).expect("serialisable");
        let envelope = JobEnvelope::new(job, Utc::now(), BTreeMap::new);
        let text = serde_json::to_string(&envelope).expect("serialisable");
        assert!(text.contains("\"type\":\"test.ping\""));
        let back: JobEnvelope = serde_json::from_str(&text).expect("parses");
        assert_eq!(back, envelope);
    }

    #[test]
    fn last_attempt_is_known() {
        let job = NewJob::of(&Ping { n: 1 }).expect("serialisable");
        let mut envelope = JobEnvelope::new(job, Utc::now(), BTreeMap::new);
        assert!(!envelope.is_last_attempt());
        envelope.attempts = 2;
        assert!(envelope.is_last_attempt());
    }

    #[test]
    fn statuses_round_trip_through_text() {
        for status in [
            JobStatus::Queued,
            JobStatus::Running,
            JobStatus::Succeeded,
            JobStatus::Failed,
            JobStatus::Dead,
        ] {
            assert_eq!(JobStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(JobStatus::parse("exploded"), None);
    }

    #[test]
    fn progress_percent_needs_a_total() {
        let mut progress = JobProgress {
            processed: 25,
            ..Default::default()
        };
        assert_eq!(progress.percent(), None);
        progress.total = Some(200);
        assert_eq!(progress.percent(), Some(12.5));
    }
}
