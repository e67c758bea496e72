use chrono::{DateTime, Utc};
use std::str::FromStr;

/// One cron entry: enqueue a job of type `job` at every tick of `schedule`.
#[derive(Debug, Clone)]
pub struct Entry {
    pub job: String,
    schedule: cron::Schedule,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid configuration: LINGO_SCHEDULE: {0}")]
pub struct ScheduleError(String);

impl Entry {
    /// Ticks in (from, to].
    pub fn ticks_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<DateTime<Utc>> {
        self.schedule
            .after(&from)
            .take_while(|tick| *tick <= to)
            .take(1000)
            .collect()
    }
}

/// Parses `job=cron;job=cron`, where cron has six fields (seconds first) and every job is one
/// of `known`.
pub fn parse_schedule(spec: &str, known: &[&str]) -> Result<Vec<Entry>, ScheduleError> {
    spec.split(';')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(|item| {
            let (job, cron) = item
                .split_once('=')
                .ok_or_else(|| ScheduleError(format!("'{item}' is not job=cron")))?;
            let job = job.trim();
            if !known.contains(&job) {
                return Err(ScheduleError(format!(
                    "unknown job type '{job}' (known: {})",
                    known.join(", ")
                )));
            }
            let schedule = cron::Schedule::from_str(cron.trim())
                .map_err(|e| ScheduleError(format!("'{}': {e}", cron.trim())))?;
            Ok(Entry {
                job: job.to_owned(),
                schedule,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const KNOWN: &[&str] = &["outbox.purge", "queue.stats"];

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .expect("valid")
            .with_timezone(&Utc)
    }

    #[test]
    fn entries_parse_and_list_their_ticks() {
        let entries = parse_schedule("queue.stats=0 * * * * *; outbox.purge=0 30 3 * * *", KNOWN)
            .expect("valid");
        assert_eq!(entries.len(), 2);
        let ticks =
            entries[0].ticks_between(at("2026-01-01T00:00:30Z"), at("2026-01-01T00:03:00Z"));
        assert_eq!(
            ticks,
            vec![
                at("2026-01-01T00:01:00Z"),
                at("2026-01-01T00:02:00Z"),
                at("2026-01-01T00:03:00Z")
            ]
        );
    }

    #[test]
    fn unknown_jobs_and_bad_cron_are_rejected_with_the_variable_named() {
        let error = parse_schedule("nope=0 * * * * *", KNOWN).expect_err("unknown job");
        assert!(error.to_string().contains("LINGO_SCHEDULE"));
        assert!(parse_schedule("queue.stats=every minute", KNOWN).is_err());
        assert!(parse_schedule("queue.stats", KNOWN).is_err());
    }
}
