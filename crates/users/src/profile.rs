//! The learning profile: what "today", "enough" and "remembered" mean for this learner.

use lingo_kernel::LanguageCode;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// Self-assessed CEFR level (the kernel's type, shared with word difficulty).
pub use lingo_kernel::CefrLevel;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ProfileError {
    #[error("'{0}' is not an IANA time zone (e.g. Asia/Tehran, Europe/Berlin, UTC)")]
    Timezone(String),
    #[error("the day rolls over at an hour from 0 to 23")]
    RolloverHour,
    #[error("desired retention is between 0.70 and 0.97")]
    Retention,
    #[error("the daily new-card limit is from 0 to 1000")]
    NewLimit,
    #[error("the daily review limit is from 0 to 10000")]
    ReviewLimit,
    #[error("steps are 1 to 10 durations, each from 1 minute to 1 day")]
    Steps,
    #[error("the leech threshold is from 3 to 100 lapses")]
    LeechThreshold,
    #[error("the daily goal is 1 to 2000 reviews or 1 to 600 minutes")]
    DailyGoal,
    #[error("'{0}' is not a goal kind (reviews or minutes)")]
    DailyGoalKind(String),
}

/// An IANA time-zone name, checked against the tz database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Timezone(String);

impl Timezone {
    /// Every IANA name `parse` accepts as written.
    pub fn names() -> impl Iterator<Item = &'static str> {
        chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name())
    }

    pub fn parse(raw: &str) -> Result<Self, ProfileError> {
        let tz: chrono_tz::Tz = raw
            .trim()
            .parse()
            .map_err(|_| ProfileError::Timezone(raw.to_owned()))?;
        Ok(Self(tz.name().to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn tz(&self) -> chrono_tz::Tz {
        self.0.parse().unwrap_or(chrono_tz::UTC)
    }
}

impl TryFrom<String> for Timezone {
    type Error = ProfileError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Timezone> for String {
    fn from(value: Timezone) -> Self {
        value.0
    }
}

/// Desired probability of recall at review time.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize, Deserialize)]
#[serde(try_from = "f64", into = "f64")]
pub struct DesiredRetention(f64);

impl DesiredRetention {
    pub fn new(value: f64) -> Result<Self, ProfileError> {
        if (0.70..=0.97).contains(&value) {
            Ok(Self(value))
        } else {
            Err(ProfileError::Retention)
        }
    }

    pub fn get(self) -> f64 {
        self.0
    }
}

impl TryFrom<f64> for DesiredRetention {
    type Error = ProfileError;

    fn try_from(value: f64) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl From<DesiredRetention> for f64 {
    fn from(value: DesiredRetention) -> Self {
        value.0
    }
}

/// Learning or relearning steps, in seconds on the wire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<u64>", into = "Vec<u64>")]
pub struct Steps(Vec<Duration>);

impl Steps {
    pub fn from_secs(secs: &[u64]) -> Result<Self, ProfileError> {
        let valid =
            (1..=10).contains(&secs.len()) && secs.iter().all(|s| (60..=86_400).contains(s));
        if !valid {
            return Err(ProfileError::Steps);
        }
        Ok(Self(secs.iter().map(|s| Duration::from_secs(*s)).collect()))
    }

    pub fn durations(&self) -> &[Duration] {
        &self.0
    }
}

impl TryFrom<Vec<u64>> for Steps {
    type Error = ProfileError;

    fn try_from(value: Vec<u64>) -> Result<Self, Self::Error> {
        Self::from_secs(&value)
    }
}

impl From<Steps> for Vec<u64> {
    fn from(value: Steps) -> Self {
        value.0.iter().map(Duration::as_secs).collect()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LearningProfile {
    pub native_language: LanguageCode,
    pub target_language: LanguageCode,
    pub level: CefrLevel,
    pub timezone: Timezone,
    /// The hour (local time) at which "today" starts.
    pub day_rollover_hour: u8,
    pub daily_new_limit: u32,
    pub daily_review_limit: u32,
    pub desired_retention: DesiredRetention,
    pub learning_steps: Steps,
    pub relearning_steps: Steps,
    /// Lapses after which a card is a leech.
    pub leech_threshold: u32,
    pub suspend_leeches: bool,
    /// What "enough for today" means; profiles stored before goals existed get the default.
    #[serde(default)]
    pub daily_goal: DailyGoal,
    /// The daily study reminder; profiles stored before reminders existed have it off.
    #[serde(default)]
    pub reminder: crate::ReminderSettings,
}

/// The learner's daily goal: a number of reviews or of minutes spent reviewing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "target", rename_all = "snake_case")]
pub enum DailyGoal {
    Reviews(u32),
    Minutes(u32),
}

impl DailyGoal {
    pub const MAX_REVIEWS: u32 = 2000;
    pub const MAX_MINUTES: u32 = 600;

    /// A goal of 1 to 2000 reviews or 1 to 600 minutes.
    pub fn new(kind: &str, target: u32) -> Result<Self, ProfileError> {
        match kind {
            "reviews" if (1..=Self::MAX_REVIEWS).contains(&target) => Ok(Self::Reviews(target)),
            "minutes" if (1..=Self::MAX_MINUTES).contains(&target) => Ok(Self::Minutes(target)),
            "reviews" | "minutes" => Err(ProfileError::DailyGoal),
            _ => Err(ProfileError::DailyGoalKind(kind.to_owned())),
        }
    }

    pub fn kind(self) -> &'static str {
        match self {
            Self::Reviews(_) => "reviews",
            Self::Minutes(_) => "minutes",
        }
    }

    pub fn target(self) -> u32 {
        match self {
            Self::Reviews(n) | Self::Minutes(n) => n,
        }
    }

    /// Progress towards the goal from a day's reviews and review time.
    pub fn done(self, reviews: u32, time_ms: i64) -> u32 {
        match self {
            Self::Reviews(_) => reviews,
            Self::Minutes(_) => u32::try_from(time_ms.max(0) / 60_000).unwrap_or(u32::MAX),
        }
    }
}

impl Default for DailyGoal {
    fn default() -> Self {
        Self::Reviews(20)
    }
}

impl Default for LearningProfile {
    /// English as the target, the native language undetermined (`und`) until the learner says.
    fn default() -> Self {
        Self {
            native_language: LanguageCode::undetermined(),
            target_language: LanguageCode::english(),
            level: CefrLevel::A2,
            timezone: Timezone("UTC".to_owned()),
            day_rollover_hour: 4,
            daily_new_limit: 20,
            daily_review_limit: 200,
            desired_retention: DesiredRetention(0.9),
            learning_steps: Steps(vec![Duration::from_secs(60), Duration::from_secs(600)]),
            relearning_steps: Steps(vec![Duration::from_secs(600)]),
            leech_threshold: 8,
            suspend_leeches: true,
            daily_goal: DailyGoal::default(),
            reminder: crate::ReminderSettings::default(),
        }
    }
}

/// Range checks of the numeric fields; the typed fields check themselves.
pub fn check_rollover_hour(hour: u8) -> Result<u8, ProfileError> {
    if hour <= 23 {
        Ok(hour)
    } else {
        Err(ProfileError::RolloverHour)
    }
}

pub fn check_new_limit(limit: u32) -> Result<u32, ProfileError> {
    if limit <= 1000 {
        Ok(limit)
    } else {
        Err(ProfileError::NewLimit)
    }
}

pub fn check_review_limit(limit: u32) -> Result<u32, ProfileError> {
    if limit <= 10_000 {
        Ok(limit)
    } else {
        Err(ProfileError::ReviewLimit)
    }
}

pub fn check_leech_threshold(threshold: u32) -> Result<u32, ProfileError> {
    if (3..=100).contains(&threshold) {
        Ok(threshold)
    } else {
        Err(ProfileError::LeechThreshold)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_sensible() {
        let profile = LearningProfile::default();
        assert_eq!(profile.target_language.as_str(), "en");
        assert_eq!(profile.desired_retention.get(), 0.9);
        assert_eq!(Vec::<u64>::from(profile.learning_steps), vec![60, 600]);
    }

    #[test]
    fn timezones_come_from_the_tz_database() {
        assert_eq!(
            Timezone::parse("Asia/Tehran").expect("valid").as_str(),
            "Asia/Tehran"
        );
        assert!(Timezone::parse("Mars/Olympus").is_err());
        assert!(Timezone::parse("+03:30").is_err());
    }

    #[test]
    fn ranges_are_enforced() {
        assert!(DesiredRetention::new(0.69).is_err());
        assert!(DesiredRetention::new(0.97).is_ok());
        assert!(Steps::from_secs(&[]).is_err());
        assert!(Steps::from_secs(&[30]).is_err());
        assert!(Steps::from_secs(&[60, 86_400]).is_ok());
        assert!(check_rollover_hour(24).is_err());
        assert!(check_new_limit(1001).is_err());
        assert_eq!("b2".parse::<CefrLevel>().expect("valid"), CefrLevel::B2);
        assert!("D1".parse::<CefrLevel>().is_err());
    }
}
