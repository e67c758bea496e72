//! When the learner wants to be reminded to study: a local clock time, and quiet hours in which
//! nothing is sent. Part of the learning profile; the rule that applies them is in
//! `lingo-notifications` (`reminder_rule`).

use chrono::{NaiveTime, Timelike};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReminderSettingsError {
    #[error("'{0}' is not a time of day as HH:MM (00:00 to 23:59)")]
    ClockTime(String),
    #[error("quiet hours start and end at different times")]
    EmptyQuietHours,
}

/// A local time of day to the minute, `"HH:MM"` on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ClockTime(NaiveTime);

impl ClockTime {
    /// `HH:MM`, 24-hour, two digits each.
    pub fn parse(raw: &str) -> Result<Self, ReminderSettingsError> {
        let invalid = || ReminderSettingsError::ClockTime(raw.to_owned());
        let (hours, minutes) = raw.split_once(':').ok_or_else(invalid)?;
        if hours.len() != 2 || minutes.len() != 2 {
            return Err(invalid());
        }
        let hours: u32 = hours.parse().map_err(|_| invalid())?;
        let minutes: u32 = minutes.parse().map_err(|_| invalid())?;
        NaiveTime::from_hms_opt(hours, minutes, 0)
            .map(Self)
            .ok_or_else(invalid)
    }

    pub fn hm(hours: u32, minutes: u32) -> Result<Self, ReminderSettingsError> {
        Self::parse(&format!("{hours:02}:{minutes:02}"))
    }

    pub fn time(self) -> NaiveTime {
        self.0
    }

    /// The same time of day, seconds dropped.
    pub fn of(time: NaiveTime) -> Self {
        Self(NaiveTime::from_hms_opt(time.hour(), time.minute(), 0).unwrap_or(time))
    }
}

impl std::fmt::Display for ClockTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:02}:{:02}", self.0.hour(), self.0.minute())
    }
}

impl TryFrom<String> for ClockTime {
    type Error = ReminderSettingsError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<ClockTime> for String {
    fn from(value: ClockTime) -> Self {
        value.to_string()
    }
}

/// Local hours in which nothing is sent: from `start` (included) to `end` (excluded), across
/// midnight when `end` is earlier than `start` (22:00 to 07:00).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "QuietHoursWire", into = "QuietHoursWire")]
pub struct QuietHours {
    start: ClockTime,
    end: ClockTime,
}

#[derive(Serialize, Deserialize)]
struct QuietHoursWire {
    start: ClockTime,
    end: ClockTime,
}

impl QuietHours {
    pub fn new(start: ClockTime, end: ClockTime) -> Result<Self, ReminderSettingsError> {
        if start == end {
            return Err(ReminderSettingsError::EmptyQuietHours);
        }
        Ok(Self { start, end })
    }

    pub fn start(self) -> ClockTime {
        self.start
    }

    pub fn end(self) -> ClockTime {
        self.end
    }

    /// Whether the local time `at` is quiet.
    pub fn contains(self, at: NaiveTime) -> bool {
        let (start, end) = (self.start.time(), self.end.time());
        if start < end {
            start <= at && at < end
        } else {
            at >= start || at < end
        }
    }
}

impl TryFrom<QuietHoursWire> for QuietHours {
    type Error = ReminderSettingsError;

    fn try_from(value: QuietHoursWire) -> Result<Self, Self::Error> {
        Self::new(value.start, value.end)
    }
}

impl From<QuietHours> for QuietHoursWire {
    fn from(value: QuietHours) -> Self {
        Self {
            start: value.start,
            end: value.end,
        }
    }
}

/// The learner's reminder: off until they turn it on; one a day at `time`, local.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReminderSettings {
    pub enabled: bool,
    pub time: ClockTime,
    #[serde(default)]
    pub quiet_hours: Option<QuietHours>,
}

impl Default for ReminderSettings {
    fn default() -> Self {
        Self {
            enabled: false,
            time: ClockTime(NaiveTime::from_hms_opt(19, 0, 0).unwrap_or_default()),
            quiet_hours: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(raw: &str) -> ClockTime {
        ClockTime::parse(raw).expect("valid")
    }

    #[test]
    fn clock_times_are_two_digit_hours_and_minutes() {
        assert_eq!(t("20:00").to_string(), "20:00");
        assert_eq!(t("07:05").to_string(), "07:05");
        for bad in [
            "24:00", "7:05", "07:5", "07:60", "0700", "", "ab:cd", "-1:00",
        ] {
            assert!(ClockTime::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn quiet_hours_may_cross_midnight() {
        let night = QuietHours::new(t("22:00"), t("07:00")).expect("valid");
        assert!(night.contains(t("22:00").time()));
        assert!(night.contains(t("03:00").time()));
        assert!(!night.contains(t("07:00").time()));
        assert!(!night.contains(t("20:00").time()));
        let lunch = QuietHours::new(t("12:00"), t("13:30")).expect("valid");
        assert!(lunch.contains(t("12:45").time()));
        assert!(!lunch.contains(t("13:30").time()));
        assert!(QuietHours::new(t("08:00"), t("08:00")).is_err());
    }

    #[test]
    fn settings_round_trip_as_json() {
        let settings = ReminderSettings {
            enabled: true,
            time: t("20:00"),
            quiet_hours: Some(QuietHours::new(t("22:00"), t("07:00")).expect("valid")),
        };
        let json = serde_json::to_value(settings).expect("serialises");
        assert_eq!(
            json,
            serde_json::json!({"enabled": true, "time": "20:00",
                "quiet_hours": {"start": "22:00", "end": "07:00"}})
        );
        let back: ReminderSettings = serde_json::from_value(json).expect("parses");
        assert_eq!(back, settings);
        assert!(
            serde_json::from_value::<ReminderSettings>(serde_json::json!({"enabled": true,
                "time": "20:00", "quiet_hours": {"start": "01:00", "end": "01:00"}}))
            .is_err()
        );
    }
}
