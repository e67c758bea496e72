//! Learning statistics from what the store counts.

use crate::ports::{ActivityDays, CardStore, LearnerProfiles, LearningStoreError};
use crate::streak::{self, ActivityDay, GoalProgress, HeatmapDay};
use chrono::{Days, NaiveDate, Offset};
use lingo_kernel::{Clock, UserId};
use lingo_users::DailyGoal;
use serde::Serialize;
use std::sync::Arc;

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

/// What the store counts about cards and mature reviews.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawStats {
    /// Reviews of mature cards (stability ≥ 21 days before the review) and how many passed.
    pub mature_reviews: u32,
    pub mature_passed: u32,
    pub states: StateCounts,
    /// Words with at least one card in Review.
    pub learned_words: u32,
    /// Due cards per local day for the coming days.
    pub forecast: Vec<(NaiveDate, u32)>,
}

/// Cards due on one coming local day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DueDay {
    pub date: NaiveDate,
    pub due: u32,
}

/// Days of `reviews_per_day`, ending today.
pub const RECENT_DAYS: u64 = 30;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    /// The last 30 local days with reviews.
    pub reviews_per_day: Vec<DayCount>,
    /// Share of passed reviews of mature cards; none before any.
    pub true_retention: Option<f64>,
    /// Consecutive local days with reviews, ending today (or yesterday, if today has none yet);
    /// frozen days bridge gaps (`streak::streak`).
    pub streak_days: u32,
    pub longest_streak_days: u32,
    pub streak_freezes_available: u32,
    pub goal: GoalProgress,
    /// The last 365 local days with reviews or a freeze, oldest first.
    pub heatmap: Vec<HeatmapDay>,
    pub states: StateCounts,
    pub learned_words: u32,
    /// Over the whole history.
    pub time_spent_ms: i64,
    /// Cards due per local day for the coming days.
    pub forecast: Vec<DueDay>,
}

pub fn summarise(
    raw: RawStats,
    activity: &[ActivityDay],
    goal: DailyGoal,
    today: NaiveDate,
) -> Stats {
    let recent_start = today
        .checked_sub_days(Days::new(RECENT_DAYS - 1))
        .unwrap_or(today);
    let mut reviews_per_day: Vec<DayCount> = activity
        .iter()
        .filter(|d| d.reviews > 0 && d.date >= recent_start && d.date <= today)
        .map(|d| DayCount {
            date: d.date,
            reviews: d.reviews,
            passed: d.passed,
            time_ms: d.time_ms,
        })
        .collect();
    reviews_per_day.sort_by_key(|d| d.date);
    let streak = streak::streak(activity, today);
    Stats {
        true_retention: (raw.mature_reviews > 0)
            .then(|| f64::from(raw.mature_passed) / f64::from(raw.mature_reviews)),
        time_spent_ms: activity.iter().map(|d| d.time_ms).sum(),
        reviews_per_day,
        goal: GoalProgress::of(goal, activity.iter().find(|d| d.date == today)),
        heatmap: streak::heatmap(activity, &streak, today),
        streak_days: streak.current,
        longest_streak_days: streak.longest,
        streak_freezes_available: streak.freezes_available,
        states: raw.states,
        learned_words: raw.learned_words,
        forecast: raw
            .forecast
            .into_iter()
            .map(|(date, due)| DueDay { date, due })
            .collect(),
    }
}

#[derive(Clone)]
pub struct StatsService {
    cards: Arc<dyn CardStore>,
    activity: Arc<dyn ActivityDays>,
    profiles: Arc<dyn LearnerProfiles>,
    clock: Arc<dyn Clock>,
}

impl StatsService {
    pub fn new(
        cards: Arc<dyn CardStore>,
        activity: Arc<dyn ActivityDays>,
        profiles: Arc<dyn LearnerProfiles>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            cards,
            activity,
            profiles,
            clock,
        }
    }

    /// Reviews per day, streak and heatmap from the activity days (dated when each review was
    /// written, so a DST change or a later time-zone change does not move them); the 30-day due
    /// forecast is cut with the learner's current UTC offset and rollover hour.
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
        let raw = self.cards.stats(owner, now, shift).await?;
        let activity = self.activity.days(owner, None).await?;
        Ok(summarise(
            raw,
            &activity,
            profile.daily_goal,
            crate::local_day::today(now, timezone, rollover_hour),
        ))
    }

    /// Today's progress towards the daily goal.
    /// `profile` is the learner's, already read by the caller.
    pub async fn goal_today(
        &self,
        owner: UserId,
        profile: &lingo_users::LearningProfile,
    ) -> Result<GoalProgress, LearningStoreError> {
        let today = crate::local_day::today(
            self.clock.now(),
            profile.timezone.tz(),
            profile.day_rollover_hour,
        );
        let days = self.activity.days(owner, Some(today)).await?;
        Ok(GoalProgress::of(
            profile.daily_goal,
            days.iter().find(|d| d.date == today),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().expect("date")
    }

    #[test]
    fn the_summary_takes_the_last_thirty_days_the_streak_and_the_goal_from_activity() {
        let days: Vec<ActivityDay> = ["2026-03-07", "2026-03-08", "2026-03-09", "2026-02-05"]
            .iter()
            .map(|d| ActivityDay {
                date: day(d),
                reviews: 3,
                passed: 2,
                time_ms: 1000,
            })
            .collect();
        let raw = RawStats {
            mature_reviews: 4,
            mature_passed: 3,
            ..Default::default()
        };
        let stats = summarise(raw.clone(), &days, DailyGoal::Reviews(3), day("2026-03-09"));
        assert_eq!(stats.streak_days, 3);
        assert_eq!(stats.true_retention, Some(0.75));
        assert_eq!(stats.time_spent_ms, 4000);
        assert_eq!(stats.reviews_per_day.len(), 3);
        assert!(stats.goal.met);
        assert_eq!(stats.heatmap.len(), 4);
        let later = summarise(raw, &days, DailyGoal::Reviews(3), day("2026-03-12"));
        assert_eq!((later.streak_days, later.longest_streak_days), (0, 3));
        assert!(!later.goal.met);
    }
}
