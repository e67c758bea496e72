//! The FSRS scheduler: the card state machine of py-fsrs 6.3.2 (learning and relearning steps,
//! graduation, lapses, interval rounding, the maximum interval, fuzz) on top of the `fsrs`
//! crate's memory model. Pure: card and answer in, card out; no clock, no I/O, and randomness
//! only from a seed the caller passes (see docs in `fuzz.rs`).

mod card;
mod fuzz;
mod interval;
mod steps;

pub use card::{CardSchedule, CardState};

use crate::Rating;
use chrono::{DateTime, Duration, Utc};
use steps::StepOutcome;

/// The 21 FSRS-6 default parameters.
pub const DEFAULT_PARAMETERS: [f64; 21] = [
    0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796, 1.4835,
    0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542,
];

#[derive(Debug, Clone, PartialEq)]
pub struct SchedulerConfig {
    pub parameters: Vec<f64>,
    pub desired_retention: f64,
    pub learning_steps: Vec<std::time::Duration>,
    pub relearning_steps: Vec<std::time::Duration>,
    /// Days.
    pub maximum_interval: u32,
    pub enable_fuzzing: bool,
}

impl Default for SchedulerConfig {
    fn default() -> Self {
        Self {
            parameters: DEFAULT_PARAMETERS.to_vec(),
            desired_retention: 0.9,
            learning_steps: vec![
                std::time::Duration::from_secs(60),
                std::time::Duration::from_secs(600),
            ],
            relearning_steps: vec![std::time::Duration::from_secs(600)],
            maximum_interval: 36_500,
            enable_fuzzing: true,
        }
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SchedulerError {
    #[error("FSRS needs 21 finite parameters: {0}")]
    Parameters(String),
    #[error("desired retention must be between 0 and 1 (exclusive)")]
    DesiredRetention,
    #[error("the maximum interval is at least one day")]
    MaximumInterval,
}

pub struct Scheduler {
    config: SchedulerConfig,
    model: fsrs::FSRS,
    curve: interval::Curve,
}

impl Scheduler {
    pub fn new(config: SchedulerConfig) -> Result<Self, SchedulerError> {
        if config.parameters.len() != 21 || config.parameters.iter().any(|w| !w.is_finite()) {
            return Err(SchedulerError::Parameters(format!(
                "got {} values",
                config.parameters.len()
            )));
        }
        if !(config.desired_retention > 0.0 && config.desired_retention < 1.0) {
            return Err(SchedulerError::DesiredRetention);
        }
        if config.maximum_interval == 0 {
            return Err(SchedulerError::MaximumInterval);
        }
        let weights: Vec<f32> = config.parameters.iter().map(|w| *w as f32).collect();
        let model =
            fsrs::FSRS::new(&weights).map_err(|e| SchedulerError::Parameters(e.to_string()))?;
        let curve = interval::Curve::new(config.parameters[20], config.desired_retention);
        Ok(Self {
            config,
            model,
            curve,
        })
    }

    pub fn config(&self) -> &SchedulerConfig {
        &self.config
    }

    /// Whole days between two instants, floored (py-fsrs: `timedelta.days`); never negative.
    pub fn elapsed_days(from: DateTime<Utc>, to: DateTime<Utc>) -> u32 {
        let seconds = (to - from).num_seconds();
        u32::try_from(seconds.div_euclid(86_400)).unwrap_or(0)
    }

    /// The probability of recall at `at` (0 for a card never reviewed).
    pub fn retrievability(&self, card: &CardSchedule, at: DateTime<Utc>) -> f64 {
        match (card.last_review, card.stability) {
            (Some(last), Some(stability)) => self
                .curve
                .retrievability(f64::from(Self::elapsed_days(last, at)), stability),
            _ => 0.0,
        }
    }

    /// The card after answering `rating` at `at`. `fuzz_seed` makes the fuzz deterministic: the
    /// same card, review and seed give the same due date.
    pub fn review(
        &self,
        card: &CardSchedule,
        rating: Rating,
        at: DateTime<Utc>,
        fuzz_seed: u64,
    ) -> CardSchedule {
        let next = self.next_states(card, at);
        self.outcome(
            card,
            rating,
            self.memory_after(card, next.as_ref(), rating),
            at,
            fuzz_seed,
        )
    }

    /// The four possible outcomes of answering now, for the study screen's buttons (the model
    /// is asked once for all four).
    pub fn preview(
        &self,
        card: &CardSchedule,
        at: DateTime<Utc>,
        fuzz_seed: u64,
    ) -> [CardSchedule; 4] {
        let next = self.next_states(card, at);
        [Rating::Again, Rating::Hard, Rating::Good, Rating::Easy].map(|rating| {
            let memory = self.memory_after(card, next.as_ref(), rating);
            self.outcome(card, rating, memory, at, fuzz_seed)
        })
    }

    fn outcome(
        &self,
        card: &CardSchedule,
        rating: Rating,
        (stability, difficulty): (f64, f64),
        at: DateTime<Utc>,
        fuzz_seed: u64,
    ) -> CardSchedule {
        let (state, step, interval) = match card.state {
            CardState::Learning | CardState::Relearning => {
                let steps = if card.state == CardState::Learning {
                    &self.config.learning_steps
                } else {
                    &self.config.relearning_steps
                };
                match steps::next(steps, card.step.unwrap_or(0), rating) {
                    StepOutcome::Step { step, wait } => (card.state, Some(step), wait),
                    StepOutcome::Graduate => (
                        CardState::Review,
                        None,
                        self.review_interval(stability, fuzz_seed),
                    ),
                }
            }
            CardState::Review => match (rating, self.config.relearning_steps.first()) {
                (Rating::Again, Some(first)) => (
                    CardState::Relearning,
                    Some(0),
                    Duration::from_std(*first).unwrap_or(Duration::zero()),
                ),
                _ => (
                    CardState::Review,
                    None,
                    self.review_interval(stability, fuzz_seed),
                ),
            },
        };
        CardSchedule {
            state,
            step,
            stability: Some(stability),
            difficulty: Some(difficulty),
            due: at + interval,
            last_review: Some(at),
        }
    }

    /// The model's memory states after each answer at `at`.
    fn next_states(&self, card: &CardSchedule, at: DateTime<Utc>) -> Option<fsrs::NextStates> {
        let current = match (card.stability, card.difficulty) {
            (Some(s), Some(d)) => Some(fsrs::MemoryState {
                stability: s as f32,
                difficulty: d as f32,
            }),
            _ => None,
        };
        let days = card
            .last_review
            .map(|last| Self::elapsed_days(last, at))
            .unwrap_or(0);
        self.model
            .next_states(current, self.config.desired_retention as f32, days)
            .ok()
    }

    fn memory_after(
        &self,
        card: &CardSchedule,
        next: Option<&fsrs::NextStates>,
        rating: Rating,
    ) -> (f64, f64) {
        let memory = next.map(|n| match rating {
            Rating::Again => n.again.memory,
            Rating::Hard => n.hard.memory,
            Rating::Good => n.good.memory,
            Rating::Easy => n.easy.memory,
        });
        match memory {
            Some(m) => (f64::from(m.stability), f64::from(m.difficulty)),
            // The model refuses only non-finite states, which validated inputs never produce;
            // keep the card's memory rather than invent one.
            None => (
                card.stability.unwrap_or(self.config.parameters[2]),
                card.difficulty.unwrap_or(5.0),
            ),
        }
    }

    fn review_interval(&self, stability: f64, fuzz_seed: u64) -> Duration {
        let days = self
            .curve
            .interval_days(stability, self.config.maximum_interval);
        let days = if self.config.enable_fuzzing {
            fuzz::fuzzed(days, self.config.maximum_interval, fuzz_seed)
        } else {
            days
        };
        Duration::days(i64::from(days))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .expect("valid")
            .with_timezone(&Utc)
    }

    fn graduated(scheduler: &Scheduler) -> CardSchedule {
        let t0 = at("2024-01-01T09:00:00Z");
        let card = scheduler.review(&CardSchedule::new(t0), Rating::Easy, t0, 1);
        let mut card = card;
        for _ in 0..3 {
            let due = card.due;
            card = scheduler.review(&card, Rating::Good, due, 1);
        }
        card
    }

    #[test]
    fn fuzz_is_repeatable_for_a_seed_and_varies_across_seeds() {
        let scheduler = Scheduler::new(SchedulerConfig::default()).expect("valid");
        let card = graduated(&scheduler);
        let now = card.due;
        let a = scheduler.review(&card, Rating::Good, now, 42);
        assert_eq!(scheduler.review(&card, Rating::Good, now, 42), a);
        let dues: std::collections::HashSet<_> = (0..50)
            .map(|seed| scheduler.review(&card, Rating::Good, now, seed).due)
            .collect();
        assert!(dues.len() > 1, "fuzz spreads due dates");
    }

    #[test]
    fn preview_gives_the_four_outcomes_in_rating_order() {
        let scheduler = Scheduler::new(SchedulerConfig::default()).expect("valid");
        let card = graduated(&scheduler);
        let [again, hard, good, easy] = scheduler.preview(&card, card.due, 7);
        assert_eq!(again.state, CardState::Relearning);
        assert!(hard.due <= good.due && good.due <= easy.due);
    }

    #[test]
    fn invalid_configurations_are_refused() {
        let mut config = SchedulerConfig::default();
        config.parameters.pop();
        assert!(Scheduler::new(config).is_err());
        let config = SchedulerConfig {
            desired_retention: 1.0,
            ..SchedulerConfig::default()
        };
        assert_eq!(
            Scheduler::new(config).err(),
            Some(SchedulerError::DesiredRetention)
        );
    }

    #[test]
    fn retrievability_uses_whole_elapsed_days() {
        let scheduler = Scheduler::new(SchedulerConfig::default()).expect("valid");
        let card = graduated(&scheduler);
        let last = card.last_review.expect("reviewed");
        assert_eq!(
            scheduler.retrievability(&card, last + Duration::hours(23)),
            1.0
        );
        assert!(scheduler.retrievability(&card, last + Duration::days(3)) < 1.0);
        assert_eq!(
            scheduler.retrievability(&CardSchedule::new(last), last),
            0.0
        );
    }
}
