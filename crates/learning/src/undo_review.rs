//! Undoing a review: the card goes back to its scheduling before the review, once, and only while
//! that review is the card's latest and no reset came after it (docs/reviews.md).

use crate::card::{Card, CardSnapshot};
use crate::ports::LearningStoreError;
use chrono::{DateTime, Utc};

/// The review to undo, as its log row holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct UndoTarget {
    pub client_review_id: String,
    pub reviewed_at: DateTime<Utc>,
    pub before: CardSnapshot,
    pub after: CardSnapshot,
    pub undone: bool,
}

/// Everything `undo` needs, loaded under the card's lock.
#[derive(Debug, Clone, PartialEq)]
pub struct UndoContext {
    pub card: Card,
    pub review: UndoTarget,
    /// Whether a review of the card later than `review` (and not undone) exists.
    pub later_review: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum UndoDecision {
    /// Mark the review undone and store the card.
    Undo(Card),
    /// The review was undone before: nothing to write; the card as it is.
    AlreadyUndone(Card),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UndoError {
    #[error("no such card, or no such review of it")]
    NotFound,
    #[error("the card was reset after this review; its snapshot no longer applies")]
    ResetSince,
    #[error("a later review of the card exists; undo that one first")]
    NotLatest,
    #[error("{0}")]
    Unavailable(String),
}

impl From<LearningStoreError> for UndoError {
    fn from(e: LearningStoreError) -> Self {
        match e {
            LearningStoreError::NotFound => Self::NotFound,
            LearningStoreError::Unavailable(m) => Self::Unavailable(m),
        }
    }
}

/// A flag goes back only if the undone review changed it and it still has the value the review
/// gave it: a leech suspension by the review is undone, a suspension by the learner since is not.
fn flag(now: bool, before: bool, after: bool) -> bool {
    if before != after && now == after {
        before
    } else {
        now
    }
}

/// The pure rule of undo.
pub fn undo(context: &UndoContext) -> Result<UndoDecision, UndoError> {
    let review = &context.review;
    if review.undone {
        return Ok(UndoDecision::AlreadyUndone(context.card.clone()));
    }
    if context
        .card
        .reset_at
        .is_some_and(|reset| review.reviewed_at < reset)
    {
        return Err(UndoError::ResetSince);
    }
    if context.later_review {
        return Err(UndoError::NotLatest);
    }
    let mut card = context.card.clone();
    card.restore_schedule(&review.before);
    card.suspended = flag(
        card.suspended,
        review.before.suspended,
        review.after.suspended,
    );
    card.leech = flag(card.leech, review.before.leech, review.after.leech);
    card.version += 1;
    Ok(UndoDecision::Undo(card))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheduler::CardState;
    use chrono::Duration;
    use lingo_kernel::WordId;

    fn t0() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-05-01T09:00:00Z")
            .expect("valid")
            .with_timezone(&Utc)
    }

    /// A card reviewed once (Good) at t0, and that review.
    fn reviewed() -> UndoContext {
        let before = CardSnapshot::unreviewed(t0() - Duration::days(1));
        let mut after = before.clone();
        after.step = Some(1);
        after.stability = Some(2.3);
        after.difficulty = Some(2.1);
        after.due = t0() + Duration::minutes(10);
        after.last_review = Some(t0());
        after.reps = 1;
        let mut card = Card {
            schedule: before.schedule(),
            ..Card::for_test(WordId::new(), t0() - Duration::days(1))
        };
        card.restore(&after);
        UndoContext {
            card,
            review: UndoTarget {
                client_review_id: "r-1".into(),
                reviewed_at: t0(),
                before,
                after,
                undone: false,
            },
            later_review: false,
        }
    }

    fn undone(context: &UndoContext) -> Card {
        match undo(context) {
            Ok(UndoDecision::Undo(card)) => card,
            other => panic!("expected an undo, got {other:?}"),
        }
    }

    #[test]
    fn undo_restores_the_schedule_before_the_review() {
        let context = reviewed();
        let card = undone(&context);
        assert_eq!(card.snapshot(), context.review.before);
        assert_eq!(card.schedule.state, CardState::Learning);
        assert_eq!(card.version, context.card.version + 1);
    }

    #[test]
    fn undoing_an_undone_review_changes_nothing() {
        let mut context = reviewed();
        context.review.undone = true;
        assert_eq!(
            undo(&context),
            Ok(UndoDecision::AlreadyUndone(context.card.clone()))
        );
    }

    #[test]
    fn a_suspension_since_the_review_survives_its_undo() {
        let mut context = reviewed();
        context.card.suspended = true;
        assert!(undone(&context).suspended);
    }

    #[test]
    fn a_leech_suspension_by_the_review_itself_is_undone() {
        let mut context = reviewed();
        context.review.after.leech = true;
        context.review.after.suspended = true;
        context.card.leech = true;
        context.card.suspended = true;
        let card = undone(&context);
        assert!(!card.leech && !card.suspended);
    }

    #[test]
    fn a_reset_or_a_later_review_refuses_the_undo() {
        let mut reset = reviewed();
        reset.card.reset_at = Some(t0() + Duration::hours(1));
        assert_eq!(undo(&reset), Err(UndoError::ResetSince));
        let mut later = reviewed();
        later.later_review = true;
        assert_eq!(undo(&later), Err(UndoError::NotLatest));
    }
}
