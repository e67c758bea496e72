//! Replays a review history through the scheduler, in py-fsrs's own vocabulary (the input and
//! output of `lingo-admin fsrs replay`, and of the golden-vector tests).

use crate::Rating;
use crate::scheduler::{CardSchedule, Scheduler, SchedulerConfig};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use std::time::Duration;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReplaySchedulerConfig {
    pub parameters: Vec<f64>,
    pub desired_retention: f64,
    /// Seconds.
    pub learning_steps: Vec<u64>,
    /// Seconds.
    pub relearning_steps: Vec<u64>,
    pub maximum_interval: u32,
    pub enable_fuzzing: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ReplayReview {
    pub review_datetime: DateTime<Utc>,
    pub rating: Rating,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ReplayInput {
    pub scheduler: ReplaySchedulerConfig,
    pub reviews: Vec<ReplayReview>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReplayCard {
    pub state: String,
    pub step: Option<u32>,
    pub stability: f64,
    pub difficulty: f64,
    pub due: String,
    pub last_review: String,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReplayError {
    #[error(transparent)]
    Scheduler(#[from] crate::scheduler::SchedulerError),
    #[error("review {index} is earlier than the review before it")]
    OutOfOrder { index: usize },
}

fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

impl From<&ReplaySchedulerConfig> for SchedulerConfig {
    fn from(c: &ReplaySchedulerConfig) -> Self {
        Self {
            parameters: c.parameters.clone(),
            desired_retention: c.desired_retention,
            learning_steps: c
                .learning_steps
                .iter()
                .map(|s| Duration::from_secs(*s))
                .collect(),
            relearning_steps: c
                .relearning_steps
                .iter()
                .map(|s| Duration::from_secs(*s))
                .collect(),
            maximum_interval: c.maximum_interval,
            enable_fuzzing: c.enable_fuzzing,
        }
    }
}

/// The card after each review. A new card starts at the first review; with fuzzing on, the seed
/// of each review is its index, so a replay is repeatable.
pub fn run(input: &ReplayInput) -> Result<Vec<ReplayCard>, ReplayError> {
    let scheduler = Scheduler::new(SchedulerConfig::from(&input.scheduler))?;
    let Some(first) = input.reviews.first() else {
        return Ok(Vec::new());
    };
    let mut card = CardSchedule::new(first.review_datetime);
    let mut out = Vec::with_capacity(input.reviews.len());
    for (index, review) in input.reviews.iter().enumerate() {
        if card
            .last_review
            .is_some_and(|last| review.review_datetime < last)
        {
            return Err(ReplayError::OutOfOrder { index });
        }
        card = scheduler.review(&card, review.rating, review.review_datetime, index as u64);
        out.push(ReplayCard {
            state: card.state.as_str().to_owned(),
            step: card.step,
            stability: card.stability.unwrap_or_default(),
            difficulty: card.difficulty.unwrap_or_default(),
            due: rfc3339(card.due),
            last_review: rfc3339(review.review_datetime),
        });
    }
    Ok(out)
}
