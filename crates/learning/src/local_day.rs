//! "Today" for a learner: their time zone and the hour their day rolls over.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

/// The learner's current day (the date the day started on, local time).
pub fn today(now: DateTime<Utc>, tz: Tz, rollover_hour: u8) -> NaiveDate {
    (now.with_timezone(&tz) - Duration::hours(i64::from(rollover_hour))).date_naive()
}

/// When the learner's current day started, as an instant.
pub fn day_start(now: DateTime<Utc>, tz: Tz, rollover_hour: u8) -> DateTime<Utc> {
    let date = today(now, tz, rollover_hour);
    let local = date
        .and_hms_opt(u32::from(rollover_hour), 0, 0)
        .unwrap_or_default();
    // A rollover hour skipped by a DST change starts the day at the next valid instant.
    tz.from_local_datetime(&local)
        .earliest()
        .or_else(|| {
            tz.from_local_datetime(&(local + Duration::hours(1)))
                .earliest()
        })
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or(now)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .expect("valid")
            .with_timezone(&Utc)
    }

    #[test]
    fn the_day_rolls_over_at_the_learners_hour_in_their_zone() {
        let tehran: Tz = "Asia/Tehran".parse().expect("zone");
        // 01:00 UTC is 04:30 in Tehran: after a 04:00 rollover, so the new day.
        assert_eq!(
            today(at("2026-03-10T01:00:00Z"), tehran, 4).to_string(),
            "2026-03-10"
        );
        // 00:00 UTC is 03:30 in Tehran: still yesterday.
        assert_eq!(
            today(at("2026-03-10T00:00:00Z"), tehran, 4).to_string(),
            "2026-03-09"
        );
        assert_eq!(
            day_start(at("2026-03-10T01:00:00Z"), tehran, 4),
            at("2026-03-10T00:30:00Z")
        );
    }
}
