//! Learning statistics from what the store counts.

use chrono::NaiveDate;
use serde::Serialize;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DayCount {
    pub date: NaiveDate,
    pub reviews: u32,
    pub passed: u32,
    pub time_ms: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct StateCounts {
    pub new: u32,
    pub learning: u32,
    pub review: u32,
    pub relearning: u32,
    pub suspended: u32,
    pub leeches: u32,
}

/// What the store counts, per local day (already shifted by time zone and rollover).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawStats {
    pub days: Vec<DayCount>,
    /// Reviews of mature cards (stability ≥ 21 days before the review) and how many passed.
    pub mature_reviews: u32,
    pub mature_passed: u32,
    pub states: StateCounts,
    /// Words with at least one card in Review.
    pub learned_words: u32,
    /// Due cards per local day for the coming days.
    pub forecast: Vec<(NaiveDate, u32)>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    pub reviews_per_day: Vec<DayCount>,
    /// Share of passed reviews of mature cards; none before any.
    pub true_retention: Option<f64>,
    /// Consecutive local days with reviews, ending today (or yesterday, if today has none yet).
    pub streak_days: u32,
    pub states: StateCounts,
    pub learned_words: u32,
    pub time_spent_ms: i64,
    pub forecast: Vec<(NaiveDate, u32)>,
}

pub fn summarise(raw: RawStats, today: NaiveDate) -> Stats {
    let studied: std::collections::HashSet<NaiveDate> = raw
        .days
        .iter()
        .filter(|d| d.reviews > 0)
        .map(|d| d.date)
        .collect();
    let mut day = if studied.contains(&today) {
        today
    } else {
        today.pred_opt().unwrap_or(today)
    };
    let mut streak_days = 0;
    while studied.contains(&day) {
        streak_days += 1;
        match day.pred_opt() {
            Some(previous) => day = previous,
            None => break,
        }
    }
    Stats {
        true_retention: (raw.mature_reviews > 0)
            .then(|| f64::from(raw.mature_passed) / f64::from(raw.mature_reviews)),
        time_spent_ms: raw.days.iter().map(|d| d.time_ms).sum(),
        reviews_per_day: raw.days,
        streak_days,
        states: raw.states,
        learned_words: raw.learned_words,
        forecast: raw.forecast,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().expect("date")
    }

    #[test]
    fn the_streak_counts_back_from_today_or_yesterday() {
        let days = ["2026-03-07", "2026-03-08", "2026-03-09", "2026-03-05"]
            .iter()
            .map(|d| DayCount {
                date: day(d),
                reviews: 3,
                passed: 2,
                time_ms: 1000,
            })
            .collect();
        let raw = RawStats {
            days,
            mature_reviews: 4,
            mature_passed: 3,
            ..Default::default()
        };
        let stats = summarise(raw.clone(), day("2026-03-10"));
        assert_eq!(stats.streak_days, 3);
        assert_eq!(stats.true_retention, Some(0.75));
        assert_eq!(stats.time_spent_ms, 4000);
        assert_eq!(summarise(raw, day("2026-03-12")).streak_days, 0);
    }
}

use crate::ports::{CardStore, LearnerProfiles, LearningStoreError};
use chrono::{Duration, Offset};
use lingo_kernel::{Clock, UserId};
use std::sync::Arc;

#[derive(Clone)]
pub struct StatsService {
    cards: Arc<dyn CardStore>,
    profiles: Arc<dyn LearnerProfiles>,
    clock: Arc<dyn Clock>,
}

impl StatsService {
    pub fn new(
        cards: Arc<dyn CardStore>,
        profiles: Arc<dyn LearnerProfiles>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            cards,
            profiles,
            clock,
        }
    }

    /// The last 30 local days of reviews and the next 30 of due cards. Days are cut with the
    /// learner's current UTC offset and rollover hour.
    pub async fn stats(&self, owner: UserId) -> Result<Stats, LearningStoreError> {
        let profile = self.profiles.profile(owner).await?;
        let (timezone, rollover_hour) = (profile.timezone.tz(), profile.day_rollover_hour);
        let now = self.clock.now();
        let offset = now
            .with_timezone(&timezone)
            .offset()
            .fix()
            .local_minus_utc();
        let shift = offset - i32::from(rollover_hour) * 3600;
        let raw = self
            .cards
            .stats(owner, now, now - Duration::days(30), shift)
            .await?;
        Ok(summarise(
            raw,
            crate::local_day::today(now, timezone, rollover_hour),
        ))
    }
}
