//! An Anki card's review log (`revlog`) as the reviews FSRS replays. Anki numbers the answer
//! buttons as FSRS does (ease 1 Again … 4 Easy) and stamps each entry with its id, milliseconds
//! since the epoch. Entries that are not answers are left out: manual changes and reschedules
//! (kinds 4 and 5, ease 0). A "Forget" (a manual entry with interval 0) resets the card, so only
//! what follows the last one is replayed — the way Anki's own FSRS reads a history.

use crate::Rating;
use chrono::{DateTime, Utc};

/// Learning, review, relearning and filtered-deck answers; 4 is manual, 5 rescheduled.
const MANUAL: i64 = 4;
const LAST_ANSWER_KIND: i64 = 3;

/// One `revlog` row, as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RevlogEntry {
    /// Milliseconds since the epoch: when the answer was given.
    pub id: i64,
    /// The button: 1 Again … 4 Easy; 0 for manual entries.
    pub ease: i64,
    /// 0 learning, 1 review, 2 relearning, 3 filtered, 4 manual, 5 rescheduled.
    pub kind: i64,
    /// The interval after the entry (negative: seconds; positive: days).
    pub interval: i64,
}

/// A review to replay: the Anki entry id (stable, for idempotent log rows), the rating, when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReplayableReview {
    pub revlog_id: i64,
    pub rating: Rating,
    pub reviewed_at: DateTime<Utc>,
}

/// The answers of `entries` since the card was last forgotten, oldest first; entries dated
/// after `now` (a device with a wrong clock, a forged file) or unreadable are left out.
pub fn replayable_reviews(entries: &[RevlogEntry], now: DateTime<Utc>) -> Vec<ReplayableReview> {
    let mut sorted: Vec<RevlogEntry> = entries.to_vec();
    sorted.sort_by_key(|e| e.id);
    sorted.dedup_by_key(|e| e.id);
    let since_reset = sorted
        .iter()
        .rposition(|e| e.kind == MANUAL && e.interval == 0)
        .map_or(0, |at| at + 1);
    sorted[since_reset..]
        .iter()
        .filter(|e| (0..=LAST_ANSWER_KIND).contains(&e.kind))
        .filter_map(|e| {
            let rating = u8::try_from(e.ease)
                .ok()
                .and_then(|b| Rating::try_from(b).ok())?;
            let reviewed_at = DateTime::<Utc>::from_timestamp_millis(e.id)?;
            (reviewed_at <= now).then_some(ReplayableReview {
                revlog_id: e.id,
                rating,
                reviewed_at,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY_MS: i64 = 86_400_000;
    const T0: i64 = 1_767_225_600_000; // 2026-01-01T00:00:00Z

    fn entry(day: i64, ease: i64, kind: i64, interval: i64) -> RevlogEntry {
        RevlogEntry {
            id: T0 + day * DAY_MS,
            ease,
            kind,
            interval,
        }
    }

    fn now() -> DateTime<Utc> {
        DateTime::<Utc>::from_timestamp_millis(T0 + 400 * DAY_MS).expect("valid")
    }

    #[test]
    fn answers_replay_oldest_first_with_anki_buttons_as_ratings() {
        let reviews = replayable_reviews(
            &[entry(3, 3, 1, 8), entry(0, 1, 0, -60), entry(1, 4, 0, 3)],
            now(),
        );
        let ratings: Vec<Rating> = reviews.iter().map(|r| r.rating).collect();
        assert_eq!(ratings, [Rating::Again, Rating::Easy, Rating::Good]);
        assert_eq!(reviews[0].revlog_id, T0);
        assert_eq!(reviews[0].reviewed_at.timestamp_millis(), T0);
    }

    #[test]
    fn only_answers_after_the_last_forget_are_replayed() {
        let reviews = replayable_reviews(
            &[
                entry(0, 3, 0, 1),
                entry(5, 0, MANUAL, 0),
                entry(6, 2, 0, 1),
                // Set due date: manual, but not a reset.
                entry(7, 0, MANUAL, 30),
                entry(8, 3, 1, 4),
            ],
            now(),
        );
        let days: Vec<i64> = reviews
            .iter()
            .map(|r| (r.revlog_id - T0) / DAY_MS)
            .collect();
        assert_eq!(days, [6, 8]);
    }

    #[test]
    fn entries_that_are_not_answers_or_are_in_the_future_are_left_out() {
        let reviews = replayable_reviews(
            &[
                entry(0, 3, 0, 1),
                entry(1, 7, 1, 1),
                entry(2, 3, 5, 10),
                entry(3, 3, 9, 10),
                entry(500, 3, 1, 10),
                entry(0, 3, 0, 1),
            ],
            now(),
        );
        assert_eq!(reviews.len(), 1);
    }
}
