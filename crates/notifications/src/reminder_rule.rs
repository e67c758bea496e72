//! Whether a learner gets their study reminder now: a pure rule (time in, decision out; no
//! clock read, no I/O), applied by the `reminders.send` job to the candidates the store
//! pre-selects.
//!
//! The reminder belongs to the learner's day (their zone and rollover hour, as for goals and
//! streaks): day D runs from D at the rollover hour to D + 1 at the rollover hour, and its
//! reminder is at the chosen local time within it — on date D if that time is at or after the
//! rollover hour, on D + 1 otherwise (02:00 with a 04:00 rollover is still "tonight"). A local
//! time skipped by a DST change is sent at the first valid instant after it; a repeated one
//! at its first occurrence.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use lingo_users::{DailyGoal, ReminderSettings};

/// How late a reminder may still go out after its time (the job runs every 15 minutes; a
/// queue or store outage may delay it more). Past this the day's reminder is skipped: a
/// "study now" at midnight for a 20:00 reminder helps nobody.
pub const GRACE: Duration = Duration::hours(1);

/// What the rule needs to know about one learner, at one instant.
#[derive(Debug, Clone, Copy)]
pub struct ReminderInput {
    pub now: DateTime<Utc>,
    pub zone: Tz,
    pub rollover_hour: u8,
    pub settings: ReminderSettings,
    pub goal: DailyGoal,
    /// Reviews and review time of the learner's current day.
    pub day_reviews: u32,
    pub day_time_ms: i64,
    /// The last learner-day a reminder was recorded for.
    pub last_reminded: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Send the reminder of learner-day `day`.
    Send {
        day: NaiveDate,
    },
    Off,
    /// Before the reminder's time today, or more than `GRACE` after it.
    NotDue,
    AlreadySent,
    GoalMet,
    /// Now is within the learner's quiet hours.
    Quiet,
}

/// The rule.
pub fn decide(input: &ReminderInput) -> Decision {
    if !input.settings.enabled {
        return Decision::Off;
    }
    let day = learner_day(input.now, input.zone, input.rollover_hour);
    let due = due_at(day, input.zone, input.rollover_hour, input.settings);
    if input.now < due || input.now >= due + GRACE {
        return Decision::NotDue;
    }
    if input.last_reminded.is_some_and(|last| last >= day) {
        return Decision::AlreadySent;
    }
    let done = input.goal.done(input.day_reviews, input.day_time_ms);
    if done >= input.goal.target() {
        return Decision::GoalMet;
    }
    let local = input.now.with_timezone(&input.zone).time();
    if input
        .settings
        .quiet_hours
        .is_some_and(|quiet| quiet.contains(local))
    {
        return Decision::Quiet;
    }
    Decision::Send { day }
}

/// The learner's current day (same rule as goals and streaks).
fn learner_day(now: DateTime<Utc>, zone: Tz, rollover_hour: u8) -> NaiveDate {
    (now.with_timezone(&zone) - Duration::hours(i64::from(rollover_hour))).date_naive()
}

/// When the reminder of learner-day `day` is due.
pub fn due_at(
    day: NaiveDate,
    zone: Tz,
    rollover_hour: u8,
    settings: ReminderSettings,
) -> DateTime<Utc> {
    let time = settings.time.time();
    let date = if time.hour() >= u32::from(rollover_hour) {
        day
    } else {
        day.succ_opt().unwrap_or(day)
    };
    instant(date.and_time(time), zone)
}

/// A local date-time as an instant: the earliest of a repeated time, the first valid minute
/// after a skipped one.
fn instant(local: NaiveDateTime, zone: Tz) -> DateTime<Utc> {
    let mut candidate = local;
    for _ in 0..=180 {
        if let Some(at) = zone.from_local_datetime(&candidate).earliest() {
            return at.with_timezone(&Utc);
        }
        candidate += Duration::minutes(1);
    }
    Utc.from_utc_datetime(&local)
}

#[cfg(test)]
mod tests {
    use super::*;
    use lingo_users::{ClockTime, QuietHours};

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .expect("valid")
            .with_timezone(&Utc)
    }

    fn time(raw: &str) -> ClockTime {
        ClockTime::parse(raw).expect("valid")
    }

    fn date(raw: &str) -> NaiveDate {
        raw.parse().expect("valid date")
    }

    fn input(now: &str, zone: &str, reminder: &str) -> ReminderInput {
        ReminderInput {
            now: at(now),
            zone: zone.parse().expect("zone"),
            rollover_hour: 4,
            settings: ReminderSettings {
                enabled: true,
                time: time(reminder),
                quiet_hours: None,
            },
            goal: DailyGoal::Reviews(20),
            day_reviews: 3,
            day_time_ms: 0,
            last_reminded: None,
        }
    }

    #[test]
    fn a_reminder_at_20_00_asia_tehran_goes_out_at_16_30_utc() {
        // Tehran is UTC+03:30 all year (no DST since 2022).
        let due = input("2026-12-02T16:30:00Z", "Asia/Tehran", "20:00");
        assert_eq!(
            decide(&due),
            Decision::Send {
                day: date("2026-12-02")
            }
        );
        let early = input("2026-12-02T16:29:00Z", "Asia/Tehran", "20:00");
        assert_eq!(decide(&early), Decision::NotDue);
        let late = input("2026-12-02T17:14:00Z", "Asia/Tehran", "20:00");
        assert!(matches!(decide(&late), Decision::Send { .. }));
        let too_late = input("2026-12-02T17:30:00Z", "Asia/Tehran", "20:00");
        assert_eq!(decide(&too_late), Decision::NotDue);
    }

    #[test]
    fn one_reminder_a_day_only_while_the_goal_is_not_met() {
        let mut sent = input("2026-12-02T16:45:00Z", "Asia/Tehran", "20:00");
        sent.last_reminded = Some(date("2026-12-02"));
        assert_eq!(decide(&sent), Decision::AlreadySent);
        sent.last_reminded = Some(date("2026-12-01"));
        assert!(matches!(decide(&sent), Decision::Send { .. }));
        let mut met = input("2026-12-02T16:45:00Z", "Asia/Tehran", "20:00");
        met.day_reviews = 20;
        assert_eq!(decide(&met), Decision::GoalMet);
        let mut minutes = input("2026-12-02T16:45:00Z", "Asia/Tehran", "20:00");
        minutes.goal = DailyGoal::Minutes(10);
        minutes.day_time_ms = 9 * 60_000 + 59_999;
        assert!(matches!(decide(&minutes), Decision::Send { .. }));
        minutes.day_time_ms = 10 * 60_000;
        assert_eq!(decide(&minutes), Decision::GoalMet);
    }

    #[test]
    fn nothing_is_sent_in_quiet_hours_or_when_off() {
        let mut quiet = input("2026-12-02T16:30:00Z", "Asia/Tehran", "20:00");
        quiet.settings.quiet_hours =
            Some(QuietHours::new(time("19:30"), time("07:00")).expect("valid"));
        assert_eq!(decide(&quiet), Decision::Quiet);
        let mut off = input("2026-12-02T16:30:00Z", "Asia/Tehran", "20:00");
        off.settings.enabled = false;
        assert_eq!(decide(&off), Decision::Off);
    }

    #[test]
    fn a_reminder_after_midnight_belongs_to_the_learners_day_before_the_rollover() {
        // 01:30 in Berlin (UTC+1 in December), rollover 04:00: still learner-day Dec 2.
        let late_night = input("2026-12-03T00:30:00Z", "Europe/Berlin", "01:30");
        assert_eq!(
            decide(&late_night),
            Decision::Send {
                day: date("2026-12-02")
            }
        );
    }

    #[test]
    fn reminders_follow_the_local_clock_across_dst_changes() {
        // New York, 20:00 local: 01:00 UTC in winter (EST), 00:00 UTC in summer (EDT).
        let winter = input("2026-03-08T01:00:00Z", "America/New_York", "20:00");
        assert!(matches!(decide(&winter), Decision::Send { .. }));
        let summer = input("2026-03-09T00:00:00Z", "America/New_York", "20:00");
        assert_eq!(
            decide(&summer),
            Decision::Send {
                day: date("2026-03-08")
            }
        );
        // On the night of the spring change in Berlin (29 March 2026), 02:30 does not exist:
        // the reminder goes at 03:00 CEST = 01:00 UTC.
        let day = date("2026-03-28");
        let settings = ReminderSettings {
            enabled: true,
            time: time("02:30"),
            quiet_hours: None,
        };
        let berlin: Tz = "Europe/Berlin".parse().expect("zone");
        assert_eq!(due_at(day, berlin, 4, settings), at("2026-03-29T01:00:00Z"));
        // In the autumn (25 October 2026) 02:30 happens twice: the first one (CEST) counts.
        let day = date("2026-10-24");
        assert_eq!(due_at(day, berlin, 4, settings), at("2026-10-25T00:30:00Z"));
    }
}
