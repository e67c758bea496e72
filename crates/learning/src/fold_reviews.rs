//! Folding reviews in time order: the card's schedule is what the scheduler makes of its reviews
//! (not undone, since its last reset) replayed oldest first. A review that arrives late (an
//! offline device, a retried request) is inserted where its time puts it and every later review
//! is replayed after it, from the card as it was just before the late one. See docs/reviews.md.

use crate::Rating;
use crate::card::CardSnapshot;
use crate::scheduler::{CardState, Scheduler};
use chrono::{DateTime, Utc};
use lingo_kernel::CardId;

/// One review to replay.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FoldStep<'a> {
    pub client_review_id: &'a str,
    pub rating: Rating,
    pub reviewed_at: DateTime<Utc>,
}

/// When lapses make a card a leech, and whether that suspends it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LeechRule {
    pub threshold: u32,
    pub suspend: bool,
}

/// The card before and after one replayed review.
#[derive(Debug, Clone, PartialEq)]
pub struct Folded {
    pub before: CardSnapshot,
    pub after: CardSnapshot,
}

/// The fuzz seed of a review (FNV-1a over the card id and the client's review id): the same
/// card and client review always fuzz the same way, on every server and version, so replaying
/// an unchanged history gives back the same due dates.
pub fn fuzz_seed(card: CardId, client_review_id: &str) -> u64 {
    card.as_uuid()
        .as_bytes()
        .iter()
        .chain(client_review_id.as_bytes())
        .fold(0xcbf2_9ce4_8422_2325u64, |hash, byte| {
            (hash ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3)
        })
}

/// The card after one review of `before`: the schedule, a rep, a lapse when a Review card is
/// forgotten, and the leech flag (which suspends) from the leech threshold on.
pub fn step(
    scheduler: &Scheduler,
    card: CardId,
    before: &CardSnapshot,
    review: &FoldStep<'_>,
    leeches: LeechRule,
) -> CardSnapshot {
    let schedule = scheduler.review(
        &before.schedule(),
        review.rating,
        review.reviewed_at,
        fuzz_seed(card, review.client_review_id),
    );
    let mut after = CardSnapshot::of(&schedule, before);
    after.reps += 1;
    if before.state == CardState::Review && review.rating == Rating::Again {
        after.lapses += 1;
        if after.lapses >= i32::try_from(leeches.threshold).unwrap_or(i32::MAX) {
            after.leech = true;
            after.suspended |= leeches.suspend;
        }
    }
    after
}

/// Replays `steps` (oldest first) from `base`; the card before and after each.
pub fn fold(
    scheduler: &Scheduler,
    card: CardId,
    base: &CardSnapshot,
    steps: &[FoldStep<'_>],
    leeches: LeechRule,
) -> Vec<Folded> {
    let mut current = base.clone();
    steps
        .iter()
        .map(|review| {
            let after = step(scheduler, card, &current, review, leeches);
            let before = std::mem::replace(&mut current, after.clone());
            Folded { before, after }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::replay::{ReplayInput, ReplayReview, ReplaySchedulerConfig};
    use crate::scheduler::SchedulerConfig;
    use chrono::Duration;

    const LEECHES: LeechRule = LeechRule {
        threshold: 8,
        suspend: true,
    };

    fn t0() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-03-01T08:00:00Z")
            .expect("valid")
            .with_timezone(&Utc)
    }

    fn scheduler() -> Scheduler {
        Scheduler::new(SchedulerConfig {
            enable_fuzzing: false,
            ..SchedulerConfig::default()
        })
        .expect("valid")
    }

    fn new_card() -> CardSnapshot {
        CardSnapshot::unreviewed(t0())
    }

    fn steps(reviews: &[(i64, Rating)]) -> Vec<(String, Rating, DateTime<Utc>)> {
        reviews
            .iter()
            .enumerate()
            .map(|(i, (hours, rating))| (format!("r-{i}"), *rating, t0() + Duration::hours(*hours)))
            .collect()
    }

    fn as_steps(owned: &[(String, Rating, DateTime<Utc>)]) -> Vec<FoldStep<'_>> {
        owned
            .iter()
            .map(|(id, rating, at)| FoldStep {
                client_review_id: id,
                rating: *rating,
                reviewed_at: *at,
            })
            .collect()
    }

    #[test]
    fn a_fold_matches_the_replay_tool_on_the_same_history() {
        let history = steps(&[
            (0, Rating::Good),
            (1, Rating::Good),
            (30, Rating::Again),
            (31, Rating::Good),
            (200, Rating::Easy),
        ]);
        let card = CardId::new();
        let folded = fold(
            &scheduler(),
            card,
            &new_card(),
            &as_steps(&history),
            LEECHES,
        );
        let replayed = crate::replay::run(&ReplayInput {
            scheduler: ReplaySchedulerConfig {
                parameters: crate::scheduler::DEFAULT_PARAMETERS.to_vec(),
                desired_retention: 0.9,
                learning_steps: vec![60, 600],
                relearning_steps: vec![600],
                maximum_interval: 36_500,
                enable_fuzzing: false,
            },
            reviews: history
                .iter()
                .map(|(_, rating, at)| ReplayReview {
                    review_datetime: *at,
                    rating: *rating,
                })
                .collect(),
        })
        .expect("in order");
        assert_eq!(folded.len(), replayed.len());
        for (f, r) in folded.iter().zip(&replayed) {
            assert_eq!(f.after.state.as_str(), r.state);
            assert_eq!(f.after.stability.unwrap_or_default(), r.stability);
            assert_eq!(
                f.after
                    .due
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                r.due
            );
        }
        assert_eq!(folded[4].after.reps, 5);
        assert_eq!(folded[4].after.lapses, 1);
    }

    #[test]
    fn each_review_starts_from_the_card_the_one_before_left() {
        let history = steps(&[(0, Rating::Good), (1, Rating::Good), (50, Rating::Hard)]);
        let folded = fold(
            &scheduler(),
            CardId::new(),
            &new_card(),
            &as_steps(&history),
            LEECHES,
        );
        assert_eq!(folded[0].before, new_card());
        assert_eq!(folded[1].before, folded[0].after);
        assert_eq!(folded[2].before, folded[1].after);
    }

    #[test]
    fn folding_from_a_midpoint_equals_folding_the_whole_history() {
        // A late review folded in from the card before it gives what a full replay gives.
        let history = steps(&[
            (0, Rating::Good),
            (2, Rating::Again),
            (3, Rating::Good),
            (80, Rating::Good),
        ]);
        let card = CardId::new();
        let all = fold(
            &scheduler(),
            card,
            &new_card(),
            &as_steps(&history),
            LEECHES,
        );
        let tail = fold(
            &scheduler(),
            card,
            &all[1].before,
            &as_steps(&history[1..]),
            LEECHES,
        );
        assert_eq!(tail.last(), all.last());
    }

    #[test]
    fn the_lapse_at_the_threshold_makes_a_suspended_leech() {
        let mut card = new_card();
        card.state = CardState::Review;
        card.stability = Some(5.0);
        card.difficulty = Some(5.0);
        card.last_review = Some(t0() - Duration::days(6));
        card.lapses = 7;
        let lapse = FoldStep {
            client_review_id: "x",
            rating: Rating::Again,
            reviewed_at: t0(),
        };
        let after = step(&scheduler(), CardId::new(), &card, &lapse, LEECHES);
        assert_eq!(after.lapses, 8);
        assert!(after.leech && after.suspended);
        let kept = step(
            &scheduler(),
            CardId::new(),
            &card,
            &lapse,
            LeechRule {
                suspend: false,
                ..LEECHES
            },
        );
        assert!(kept.leech && !kept.suspended);
    }
}
