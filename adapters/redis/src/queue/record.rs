//! Reads a job's record hash back into a `JobRecord`.

use chrono::{DateTime, Utc};
use lingo_kernel::jobs::{JobId, JobProgress, JobRecord, JobStatus};
use std::collections::HashMap;

pub(super) fn parse(id: JobId, fields: &HashMap<String, String>) -> Option<JobRecord> {
    let status = JobStatus::parse(fields.get("status")?)?;
    let time = |name: &str| {
        fields
            .get(name)
            .and_then(|v| v.parse::<i64>().ok())
            .and_then(DateTime::<Utc>::from_timestamp_millis)
    };
    let number = |name: &str| fields.get(name).and_then(|v| v.parse::<u32>().ok());
    let text = |name: &str| fields.get(name).filter(|v| !v.is_empty()).cloned();
    let created_at = time("created_at")?;
    Some(JobRecord {
        id,
        kind: fields.get("kind").cloned().unwrap_or_default(),
        status,
        attempts: number("attempts").unwrap_or(0),
        max_attempts: number("max_attempts").unwrap_or(1),
        owner: fields.get("owner").and_then(|o| o.parse().ok()),
        created_at,
        updated_at: time("updated_at").unwrap_or(created_at),
        next_attempt_at: time("next_attempt_at"),
        last_error: text("last_error"),
        result: text("result").and_then(|r| serde_json::from_str(&r).ok()),
        progress: text("progress").and_then(|p| serde_json::from_str::<JobProgress>(&p).ok()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_needs_a_status_and_a_creation_time() {
        let id = JobId::new();
        let mut fields = HashMap::new();
        assert!(parse(id, &fields).is_none());
        fields.insert("status".to_owned(), "queued".to_owned());
        assert!(parse(id, &fields).is_none());
        fields.insert("created_at".to_owned(), "1700000000000".to_owned());
        let record = parse(id, &fields).expect("complete enough");
        assert_eq!(record.status, JobStatus::Queued);
        assert_eq!(record.updated_at, record.created_at);
    }

    #[test]
    fn results_progress_and_errors_are_decoded() {
        let id = JobId::new();
        let fields: HashMap<String, String> = [
            ("status", "running"),
            ("created_at", "1700000000000"),
            ("attempts", "2"),
            ("max_attempts", "5"),
            ("last_error", "boom"),
            ("progress", r#"{"processed":3,"total":10}"#),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let record = parse(id, &fields).expect("complete");
        assert_eq!(record.attempts, 2);
        assert_eq!(record.last_error.as_deref(), Some("boom"));
        assert_eq!(record.progress.and_then(|p| p.total), Some(10));
    }
}
