//! Streaks, streak freezes, the daily goal's progress and the year heatmap, from the learner's
//! activity days (one row per local day, dated when the review was written: see
//! docs/goals-and-streaks.md). Pure: days and "today" in, summary out.

use chrono::{Days, NaiveDate};
use lingo_users::DailyGoal;
use serde::Serialize;

/// One local day of activity as the store keeps it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ActivityDay {
    pub date: NaiveDate,
    pub reviews: u32,
    pub passed: u32,
    pub time_ms: i64,
}

/// A freeze is earned for every `DAYS_PER_FREEZE` consecutive active days of a streak.
pub const DAYS_PER_FREEZE: u32 = 7;
/// At most this many freezes are banked.
pub const MAX_FREEZES: u32 = 2;
/// Days of the heatmap, ending today.
pub const HEATMAP_DAYS: u64 = 365;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Streak {
    /// Consecutive local days with reviews (frozen days bridge a gap without counting), ending
    /// today, or yesterday while today has none yet.
    pub current: u32,
    pub longest: u32,
    /// Freezes banked now, each covering one missed day automatically.
    pub freezes_available: u32,
    /// Missed days a freeze covered, oldest first.
    pub frozen_days: Vec<NaiveDate>,
}

/// Progress towards today's goal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct GoalProgress {
    pub kind: &'static str,
    pub target: u32,
    pub done: u32,
    pub met: bool,
}

impl GoalProgress {
    pub fn of(goal: DailyGoal, today: Option<&ActivityDay>) -> Self {
        let done = today.map_or(0, |d| goal.done(d.reviews, d.time_ms));
        Self {
            kind: goal.kind(),
            target: goal.target(),
            done,
            met: done >= goal.target(),
        }
    }
}

/// One cell of the heatmap: a day with reviews, or a missed day a freeze covered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct HeatmapDay {
    pub date: NaiveDate,
    pub reviews: u32,
    pub time_ms: i64,
    pub frozen: bool,
}

/// The streak over the whole history. `days` may come in any order; days after `today` (a
/// device clock ahead, a time-zone change) are ignored.
///
/// Walking forward from the first active day: an active day extends the streak and every
/// `DAYS_PER_FREEZE`th earns a freeze (up to `MAX_FREEZES`); a missed day before today spends a
/// freeze if one is banked (the streak survives, not counting the day), else ends the streak.
/// Today without reviews yet neither extends nor breaks it.
pub fn streak(days: &[ActivityDay], today: NaiveDate) -> Streak {
    let mut active: Vec<NaiveDate> = days
        .iter()
        .filter(|d| d.reviews > 0 && d.date <= today)
        .map(|d| d.date)
        .collect();
    active.sort_unstable();
    active.dedup();
    let mut summary = Streak::default();
    let Some(&first) = active.first() else {
        return summary;
    };
    let (mut current, mut freezes, mut earned_in_run) = (0u32, 0u32, 0u32);
    let mut next = active.iter().peekable();
    let (mut day, mut last_active) = (first, first);
    while day <= today {
        if next.peek() == Some(&&day) {
            next.next();
            last_active = day;
            current += 1;
            earned_in_run += 1;
            if earned_in_run == DAYS_PER_FREEZE {
                earned_in_run = 0;
                freezes = (freezes + 1).min(MAX_FREEZES);
            }
        } else if day < today {
            if freezes > 0 && current > 0 {
                freezes -= 1;
                summary.frozen_days.push(day);
            } else {
                // Freezes spent on the gap of a streak that ended anyway were not spent.
                summary.frozen_days.retain(|d| *d < last_active);
                current = 0;
                earned_in_run = 0;
                freezes = 0;
            }
        }
        summary.longest = summary.longest.max(current);
        match day.checked_add_days(Days::new(1)) {
            Some(following) => day = following,
            None => break,
        }
    }
    summary.current = current;
    summary.freezes_available = freezes;
    summary
}

/// The last `HEATMAP_DAYS` days ending today: days with reviews and frozen days, oldest first.
pub fn heatmap(days: &[ActivityDay], streak: &Streak, today: NaiveDate) -> Vec<HeatmapDay> {
    let start = today
        .checked_sub_days(Days::new(HEATMAP_DAYS - 1))
        .unwrap_or(today);
    let in_range = |d: NaiveDate| d >= start && d <= today;
    let mut cells: Vec<HeatmapDay> = days
        .iter()
        .filter(|d| d.reviews > 0 && in_range(d.date))
        .map(|d| HeatmapDay {
            date: d.date,
            reviews: d.reviews,
            time_ms: d.time_ms,
            frozen: false,
        })
        .chain(
            streak
                .frozen_days
                .iter()
                .filter(|d| in_range(**d))
                .map(|&date| HeatmapDay {
                    date,
                    reviews: 0,
                    time_ms: 0,
                    frozen: true,
                }),
        )
        .collect();
    cells.sort_by_key(|c| c.date);
    cells
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().expect("date")
    }

    fn active(from: &str, count: u64) -> Vec<ActivityDay> {
        (0..count)
            .map(|i| ActivityDay {
                date: day(from) + Days::new(i),
                reviews: 5,
                passed: 4,
                time_ms: 60_000,
            })
            .collect()
    }

    #[test]
    fn sixty_days_in_a_row_are_a_sixty_day_streak() {
        let days = active("2026-01-01", 60);
        let s = streak(&days, day("2026-03-01"));
        assert_eq!((s.current, s.longest), (60, 60));
        assert_eq!(s.freezes_available, MAX_FREEZES);
        assert!(s.frozen_days.is_empty());
        // Today has no review yet: the streak still stands at 60 until the day ends.
        assert_eq!(streak(&days, day("2026-03-02")).current, 60);
    }

    #[test]
    fn a_missed_day_spends_a_freeze_and_two_missed_days_without_freezes_end_the_streak() {
        let mut days = active("2026-01-01", 7);
        days.extend(active("2026-01-09", 3));
        let s = streak(&days, day("2026-01-11"));
        assert_eq!(s.current, 10);
        assert_eq!(s.frozen_days, vec![day("2026-01-08")]);
        assert_eq!(s.freezes_available, 0);

        let mut days = active("2026-01-01", 6);
        days.extend(active("2026-01-08", 2));
        let s = streak(&days, day("2026-01-09"));
        assert_eq!((s.current, s.longest), (2, 6));
        assert!(s.frozen_days.is_empty());
    }

    #[test]
    fn a_streak_that_ended_keeps_no_frozen_days_in_its_trailing_gap() {
        let days = active("2026-01-01", 7);
        let s = streak(&days, day("2026-01-12"));
        assert_eq!((s.current, s.longest), (0, 7));
        assert!(s.frozen_days.is_empty());
    }

    #[test]
    fn future_days_and_days_without_reviews_do_not_count() {
        let mut days = active("2026-01-01", 3);
        days.push(ActivityDay {
            date: day("2026-01-04"),
            reviews: 0,
            ..Default::default()
        });
        days.extend(active("2026-02-01", 1));
        let s = streak(&days, day("2026-01-04"));
        assert_eq!(s.current, 3);
    }

    #[test]
    fn the_goal_counts_reviews_or_whole_minutes() {
        let today = ActivityDay {
            date: day("2026-01-01"),
            reviews: 12,
            passed: 10,
            time_ms: 5 * 60_000 + 59_999,
        };
        let reviews = GoalProgress::of(DailyGoal::Reviews(10), Some(&today));
        assert_eq!((reviews.done, reviews.met), (12, true));
        let minutes = GoalProgress::of(DailyGoal::Minutes(10), Some(&today));
        assert_eq!((minutes.done, minutes.met), (5, false));
        assert_eq!(GoalProgress::of(DailyGoal::Minutes(10), None).done, 0);
    }

    #[test]
    fn the_heatmap_covers_a_year_with_frozen_days_marked() {
        let mut days = active("2025-01-01", 400);
        days.retain(|d| d.date != day("2026-01-20"));
        let today = day("2026-02-04");
        let s = streak(&days, today);
        let cells = heatmap(&days, &s, today);
        assert_eq!(cells.len(), 365);
        assert_eq!(cells[0].date, day("2025-02-05"));
        assert_eq!(cells.last().map(|c| c.date), Some(today));
        assert!(
            cells
                .iter()
                .any(|c| c.date == day("2026-01-20") && c.frozen && c.reviews == 0)
        );
    }
}
