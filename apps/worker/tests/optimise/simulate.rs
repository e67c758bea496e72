//! A synthetic review log: a learner studies on the default FSRS schedule but forgets faster
//! than the default parameters predict, so an optimiser has something to find. Seeded, so the
//! same seed gives the same log. (Shared by the optimiser tests and the `fsrs_optimise` bench.)

use chrono::{DateTime, Duration, TimeZone, Utc};
use fsrs::{FSRS, MemoryState, NextStates};
use lingo_learning::ports::HistoryReview;
use lingo_learning::scheduler::DEFAULT_PARAMETERS;

/// How much faster than the defaults' clock this learner's memories fade.
const PACE: f32 = 1.8;

pub fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 5, 7, 0, 0)
        .single()
        .expect("valid start")
}

/// `cards` histories of `reviews` reviews each, oldest first, starting on or after `start()`.
pub fn histories(cards: usize, reviews: usize, seed: u64) -> Vec<Vec<HistoryReview>> {
    let weights: Vec<f32> = DEFAULT_PARAMETERS.iter().map(|&w| w as f32).collect();
    let model = FSRS::new(&weights).expect("default parameters");
    let decay = weights[20];
    let mut rng = fastrand::Rng::with_seed(seed);
    (0..cards)
        .map(|_| card(&model, decay, &mut rng, reviews))
        .collect()
}

fn card(model: &FSRS, decay: f32, rng: &mut fastrand::Rng, reviews: usize) -> Vec<HistoryReview> {
    let mut at = start() + Duration::minutes(i64::from(rng.u32(0..60 * 24 * 30)));
    let mut history = Vec::with_capacity(reviews);
    let mut memory: Option<MemoryState> = None;
    let mut interval = 0.0_f32;
    let mut last_rating = 0_u8;
    for _ in 0..reviews {
        let days = if memory.is_none() {
            0
        } else if last_rating == 1 || (last_rating == 2 && rng.f32() < 0.3) {
            // A learning or relearning step: back the same day.
            at += Duration::minutes(10);
            0
        } else {
            let planned = (interval * (0.7 + 0.7 * rng.f32())).round().max(1.0) as u32;
            at +=
                Duration::days(i64::from(planned)) + Duration::minutes(i64::from(rng.u32(0..240)));
            planned
        };
        let rating = match memory {
            None => pick(rng, &[(1, 0.3), (2, 0.1), (3, 0.5), (4, 0.1)]),
            Some(state) => {
                let recall = if days == 0 {
                    0.9
                } else {
                    fsrs::current_retrievability(state, days as f32 * PACE, decay)
                };
                if rng.f32() < recall {
                    pick(rng, &[(2, 0.15), (3, 0.75), (4, 0.1)])
                } else {
                    1
                }
            }
        };
        let next = model.next_states(memory, 0.9, days).expect("next states");
        let state = chosen(&next, rating);
        memory = Some(state.memory);
        interval = state.interval;
        last_rating = rating;
        history.push(HistoryReview {
            reviewed_at: at,
            rating,
        });
    }
    history
}

fn pick(rng: &mut fastrand::Rng, weighted: &[(u8, f32)]) -> u8 {
    let mut roll = rng.f32();
    for &(rating, weight) in weighted {
        if roll < weight {
            return rating;
        }
        roll -= weight;
    }
    weighted.last().map_or(3, |&(rating, _)| rating)
}

fn chosen(next: &NextStates, rating: u8) -> &fsrs::ItemState {
    match rating {
        1 => &next.again,
        2 => &next.hard,
        3 => &next.good,
        _ => &next.easy,
    }
}
