//! Reviewing a card: the rules around the scheduler (time window, suspension, ordering, lapses,
//! leeches), one review at a time or a batch made offline.

use crate::Rating;
use crate::card::{Card, CardSnapshot};
use crate::fold_reviews::{FoldStep, Folded, LeechRule, fold};
use crate::ports::{CardStore, LearningStoreError, ParameterSet};
use crate::scheduler::{DEFAULT_PARAMETERS, Scheduler, SchedulerConfig};
use crate::undo_review::{UndoError, undo};
use chrono::{DateTime, Duration, SubsecRound, Utc};
use lingo_kernel::{CardId, Clock, UserId};
use std::sync::Arc;

/// How far ahead of the server's clock a review may claim to be (device clocks drift); also how
/// far before the card's creation.
pub const FUTURE_TOLERANCE: Duration = Duration::minutes(5);
/// How old an offline review may be: a device may stay offline for most of a year.
pub const MAX_AGE: Duration = Duration::days(365);

#[derive(Debug, Clone, PartialEq)]
pub struct ReviewRequest {
    pub card_id: CardId,
    pub rating: Rating,
    pub reviewed_at: DateTime<Utc>,
    pub duration_ms: Option<u32>,
    pub client_review_id: String,
}

/// The learner's scheduling settings (from the profile) and parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct SchedulingSettings {
    pub desired_retention: f64,
    pub learning_steps: Vec<std::time::Duration>,
    pub relearning_steps: Vec<std::time::Duration>,
    pub maximum_interval: u32,
    pub leech_threshold: u32,
    pub suspend_leeches: bool,
}

/// Review intervals never exceed a hundred years.
pub const MAXIMUM_INTERVAL_DAYS: u32 = 36_500;

impl SchedulingSettings {
    pub fn from_profile(profile: &lingo_users::LearningProfile) -> Self {
        Self {
            desired_retention: profile.desired_retention.get(),
            learning_steps: profile.learning_steps.durations().to_vec(),
            relearning_steps: profile.relearning_steps.durations().to_vec(),
            maximum_interval: MAXIMUM_INTERVAL_DAYS,
            leech_threshold: profile.leech_threshold,
            suspend_leeches: profile.suspend_leeches,
        }
    }

    /// When lapses make a card a leech, and whether that suspends it.
    pub fn leeches(&self) -> LeechRule {
        LeechRule {
            threshold: self.leech_threshold,
            suspend: self.suspend_leeches,
        }
    }

    /// The scheduler of these settings with `parameters` (the defaults when `None`). Stored
    /// settings and parameters were valid when saved; should they not be, the defaults are.
    pub fn scheduler(
        &self,
        parameters: Option<&ParameterSet>,
    ) -> Result<Scheduler, crate::scheduler::SchedulerError> {
        let config = SchedulerConfig {
            parameters: parameters
                .map(|p| p.parameters.clone())
                .unwrap_or_else(|| DEFAULT_PARAMETERS.to_vec()),
            desired_retention: self.desired_retention,
            learning_steps: self.learning_steps.clone(),
            relearning_steps: self.relearning_steps.clone(),
            maximum_interval: self.maximum_interval,
            enable_fuzzing: true,
        };
        Scheduler::new(config).or_else(|_| Scheduler::new(SchedulerConfig::default()))
    }
}

/// A review already in the card's log, as a late review's fold needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct LoggedReview {
    pub client_review_id: String,
    pub rating: Rating,
    pub reviewed_at: DateTime<Utc>,
    /// The card just before this review, as the log holds it.
    pub before: CardSnapshot,
}

/// Everything `decide` needs, loaded under the card's lock.
#[derive(Debug, Clone)]
pub struct SchedulingContext {
    pub card: Card,
    pub settings: SchedulingSettings,
    pub parameters: Option<ParameterSet>,
    /// The card's reviews later than the new one (not undone, since its last reset), oldest
    /// first: empty unless the new review is older than the card's last review.
    pub later: Vec<LoggedReview>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ReviewRejection {
    #[error("the card is suspended")]
    Suspended,
    #[error("reviewed_at is more than 5 minutes in the future")]
    InFuture,
    #[error("reviewed_at is more than 365 days ago")]
    TooOld,
    #[error("reviewed_at is before the card was created")]
    BeforeCardCreated,
}

/// Why a `client_review_id` used before cannot be replayed for this request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ReviewConflict {
    #[error("this client_review_id was used for another card")]
    OtherCard,
    #[error("this client_review_id was used with another rating")]
    OtherRating,
}

/// The stored review with the request's `client_review_id`.
#[derive(Debug, Clone, PartialEq)]
pub struct PriorReview {
    pub card: CardId,
    pub rating: Rating,
    /// The card right after it.
    pub after: CardSnapshot,
}

impl PriorReview {
    /// A retry (same card, same rating) replays the stored result; anything else reusing the
    /// id is a conflict, never a replay of another review.
    pub fn replays(&self, request: &ReviewRequest) -> Result<(), ReviewConflict> {
        if self.card != request.card_id {
            return Err(ReviewConflict::OtherCard);
        }
        if self.rating != request.rating {
            return Err(ReviewConflict::OtherRating);
        }
        Ok(())
    }
}

/// What one review writes: its log row's snapshots, the rewritten snapshots of the later
/// reviews folded after it, and the card.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub card: Card,
    pub before: CardSnapshot,
    pub after: CardSnapshot,
    /// Later reviews replayed after a late one, with their new snapshots (oldest first).
    pub refolded: Vec<(String, Folded)>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ReviewOutcome {
    Applied {
        card: Card,
        parameters_version: i32,
    },
    /// The same `client_review_id` was applied before; this is its result, nothing was written.
    Replayed {
        card: Card,
    },
    Rejected(ReviewRejection),
    /// The `client_review_id` belongs to another review; nothing was written.
    Conflict(ReviewConflict),
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReviewError {
    #[error("no such card")]
    NotFound,
    #[error("{0}")]
    Unavailable(String),
}

impl From<LearningStoreError> for ReviewError {
    fn from(e: LearningStoreError) -> Self {
        match e {
            LearningStoreError::NotFound => Self::NotFound,
            LearningStoreError::Unavailable(m) => Self::Unavailable(m),
        }
    }
}

fn refuse(card: &Card, at: DateTime<Utc>, now: DateTime<Utc>) -> Option<ReviewRejection> {
    if at > now + FUTURE_TOLERANCE {
        return Some(ReviewRejection::InFuture);
    }
    if at < now - MAX_AGE {
        return Some(ReviewRejection::TooOld);
    }
    if at < card.created_at - FUTURE_TOLERANCE {
        return Some(ReviewRejection::BeforeCardCreated);
    }
    if card.suspended {
        return Some(ReviewRejection::Suspended);
    }
    None
}

fn scheduler(context: &SchedulingContext) -> Result<Scheduler, crate::scheduler::SchedulerError> {
    context.settings.scheduler(context.parameters.as_ref())
}

/// The pure decision: what `request` writes, or why it is refused.
///
/// The review is folded in time order (docs/reviews.md): in order, it applies to the card as it
/// is; late, it applies to the card as it was just before it, and every later review is
/// replayed after it. A review from before the card's last reset is history only: logged, the
/// card unchanged.
pub fn decide(
    context: &SchedulingContext,
    request: &ReviewRequest,
    now: DateTime<Utc>,
) -> Result<Decision, ReviewRejection> {
    let card = &context.card;
    if let Some(rejection) = refuse(card, request.reviewed_at, now) {
        return Err(rejection);
    }
    if card
        .reset_at
        .is_some_and(|reset| request.reviewed_at < reset)
    {
        let mut unchanged = card.clone();
        unchanged.version += 1;
        return Ok(Decision {
            card: unchanged,
            before: card.snapshot(),
            after: card.snapshot(),
            refolded: Vec::new(),
        });
    }
    let base = context
        .later
        .first()
        .map(|later| later.before.clone())
        .unwrap_or_else(|| card.snapshot());
    let steps: Vec<FoldStep<'_>> = std::iter::once(FoldStep {
        client_review_id: &request.client_review_id,
        rating: request.rating,
        reviewed_at: request.reviewed_at,
    })
    .chain(context.later.iter().map(|later| FoldStep {
        client_review_id: &later.client_review_id,
        rating: later.rating,
        reviewed_at: later.reviewed_at,
    }))
    .collect();
    // Unreachable (the defaults are valid); refused rather than a panic.
    let scheduler = scheduler(context).map_err(|_| ReviewRejection::Suspended)?;
    let mut folded = fold(
        &scheduler,
        card.id,
        &base,
        &steps,
        context.settings.leeches(),
    );
    let last = folded
        .last()
        .map(|f| f.after.clone())
        .unwrap_or(base.clone());
    let own = folded.remove(0);
    let mut next = card.clone();
    next.restore_schedule(&last);
    // Flags the fold set (a new leech) are added; flags set since (a suspension) are kept.
    next.leech |= last.leech && !base.leech;
    next.suspended |= last.suspended && !base.suspended;
    next.buried_until = None;
    next.version += 1;
    Ok(Decision {
        card: next,
        before: own.before,
        after: own.after,
        refolded: context
            .later
            .iter()
            .map(|l| l.client_review_id.clone())
            .zip(folded)
            .collect(),
    })
}

/// One item of an offline batch and what became of it.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchItem {
    pub client_review_id: String,
    pub outcome: Result<ReviewOutcome, ReviewError>,
}

#[derive(Clone)]
pub struct ReviewService {
    cards: Arc<dyn CardStore>,
    clock: Arc<dyn Clock>,
}

impl ReviewService {
    pub fn new(cards: Arc<dyn CardStore>, clock: Arc<dyn Clock>) -> Self {
        Self { cards, clock }
    }

    pub async fn review(
        &self,
        owner: UserId,
        request: &ReviewRequest,
    ) -> Result<ReviewOutcome, ReviewError> {
        let now = self.clock.now();
        // Review times are kept to the microsecond: a late review's fold then sees exactly the
        // instants the log holds (a nanosecond more could lose a whole elapsed day).
        let mut owned = request.clone();
        owned.reviewed_at = owned.reviewed_at.trunc_subsecs(6);
        let stored = owned.clone();
        let decision = move |context: &SchedulingContext| decide(context, &owned, now);
        Ok(self.cards.apply_review(owner, &stored, &decision).await?)
    }

    /// Applies offline reviews in `reviewed_at` order per card; each item has its own result.
    pub async fn review_batch(
        &self,
        owner: UserId,
        mut requests: Vec<ReviewRequest>,
    ) -> Vec<BatchItem> {
        requests.sort_by_key(|r| (r.card_id, r.reviewed_at));
        let mut items = Vec::with_capacity(requests.len());
        for request in &requests {
            items.push(BatchItem {
                client_review_id: request.client_review_id.clone(),
                outcome: self.review(owner, request).await,
            });
        }
        items
    }

    /// Undoes the card's review named by its `client_review_id` (or, unnamed, its last one).
    /// Undoing a review already undone changes nothing and answers the card as it is.
    pub async fn undo(
        &self,
        owner: UserId,
        card: CardId,
        review: Option<&str>,
    ) -> Result<Card, UndoError> {
        self.cards.undo_review(owner, card, review, &undo).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::card::CardType;
    use crate::scheduler::{CardSchedule, CardState};
    use lingo_kernel::{DeckId, WordId};

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-01-10T12:00:00Z")
            .expect("valid")
            .with_timezone(&Utc)
    }

    fn context(state: CardState, lapses: i32) -> SchedulingContext {
        let mut schedule = CardSchedule::new(now() - Duration::days(20));
        if state == CardState::Review {
            schedule = CardSchedule {
                state,
                step: None,
                stability: Some(5.0),
                difficulty: Some(5.0),
                due: now() - Duration::days(1),
                last_review: Some(now() - Duration::days(6)),
            };
        }
        SchedulingContext {
            card: Card {
                id: CardId::new(),
                user: UserId::new(),
                deck: DeckId::new(),
                word: WordId::new(),
                card_type: CardType::Recognition,
                schedule,
                reps: 3,
                lapses,
                suspended: false,
                buried_until: None,
                leech: false,
                version: 4,
                created_at: now() - Duration::days(20),
                reset_at: None,
                material: Default::default(),
            },
            settings: SchedulingSettings {
                desired_retention: 0.9,
                learning_steps: vec![std::time::Duration::from_secs(60)],
                relearning_steps: vec![std::time::Duration::from_secs(600)],
                maximum_interval: 36_500,
                leech_threshold: 8,
                suspend_leeches: true,
            },
            parameters: None,
            later: Vec::new(),
        }
    }

    fn request(rating: Rating, at: DateTime<Utc>) -> ReviewRequest {
        ReviewRequest {
            card_id: CardId::new(),
            rating,
            reviewed_at: at,
            duration_ms: Some(3_000),
            client_review_id: "r-1".into(),
        }
    }

    fn card_after(ctx: &SchedulingContext, request: &ReviewRequest) -> Card {
        decide(ctx, request, now()).expect("applied").card
    }

    #[test]
    fn a_review_counts_and_versions_the_card() {
        let next = card_after(
            &context(CardState::Review, 0),
            &request(Rating::Good, now()),
        );
        assert_eq!(next.reps, 4);
        assert_eq!(next.version, 5);
        assert!(next.schedule.due > now());
    }

    #[test]
    fn the_eighth_lapse_makes_a_suspended_leech() {
        let next = card_after(
            &context(CardState::Review, 7),
            &request(Rating::Again, now()),
        );
        assert_eq!(next.lapses, 8);
        assert!(next.leech && next.suspended);
        let mut ctx = context(CardState::Review, 7);
        ctx.settings.suspend_leeches = false;
        let next = card_after(&ctx, &request(Rating::Again, now()));
        assert!(next.leech && !next.suspended);
    }

    #[test]
    fn future_ancient_precreation_and_suspended_reviews_are_refused() {
        let ctx = context(CardState::Review, 0);
        assert_eq!(
            decide(
                &ctx,
                &request(Rating::Good, now() + Duration::hours(1)),
                now()
            ),
            Err(ReviewRejection::InFuture)
        );
        assert_eq!(
            decide(
                &ctx,
                &request(Rating::Good, now() - Duration::days(366)),
                now()
            ),
            Err(ReviewRejection::TooOld)
        );
        assert_eq!(
            decide(
                &ctx,
                &request(Rating::Good, now() - Duration::days(21)),
                now()
            ),
            Err(ReviewRejection::BeforeCardCreated)
        );
        let mut suspended = ctx.clone();
        suspended.card.suspended = true;
        assert_eq!(
            decide(&suspended, &request(Rating::Good, now()), now()),
            Err(ReviewRejection::Suspended)
        );
    }

    #[test]
    fn a_retried_review_fuzzes_to_the_same_due_date() {
        let ctx = context(CardState::Review, 0);
        let a = card_after(&ctx, &request(Rating::Good, now()));
        let b = card_after(&ctx, &request(Rating::Good, now()));
        assert_eq!(a.schedule.due, b.schedule.due);
    }

    /// The card's log as the store would load it, from a new card: each review applied in turn.
    fn history(ctx: &SchedulingContext, reviews: &[(&str, Rating, i64)]) -> Vec<Decision> {
        let mut ctx = ctx.clone();
        reviews
            .iter()
            .map(|(id, rating, hours)| {
                let mut r = request(*rating, now() - Duration::hours(*hours));
                r.client_review_id = (*id).to_owned();
                let decision = decide(&ctx, &r, now()).expect("applied");
                ctx.card = decision.card.clone();
                decision
            })
            .collect()
    }

    fn new_card_context() -> SchedulingContext {
        context(CardState::Learning, 0)
    }

    #[test]
    fn a_late_review_is_folded_in_and_later_reviews_replayed_after_it() {
        let ctx = new_card_context();
        // Reviewed in time order: a (100 h ago), b (late, 60 h ago), c (10 h ago).
        let in_order = history(
            &ctx,
            &[
                ("a", Rating::Good, 100),
                ("b", Rating::Again, 60),
                ("c", Rating::Good, 10),
            ],
        );
        // Without b first; b arrives last.
        let without_b = history(&ctx, &[("a", Rating::Good, 100), ("c", Rating::Good, 10)]);
        let mut late = ctx.clone();
        late.card = without_b[1].card.clone();
        late.later = vec![LoggedReview {
            client_review_id: "c".into(),
            rating: Rating::Good,
            reviewed_at: now() - Duration::hours(10),
            before: without_b[1].before.clone(),
        }];
        let mut b = request(Rating::Again, now() - Duration::hours(60));
        b.client_review_id = "b".into();
        let folded = decide(&late, &b, now()).expect("folded");
        assert_eq!(folded.before, in_order[1].before);
        assert_eq!(folded.after, in_order[1].after);
        assert_eq!(folded.refolded.len(), 1);
        assert_eq!(folded.refolded[0].0, "c");
        assert_eq!(folded.refolded[0].1.before, in_order[2].before);
        assert_eq!(folded.refolded[0].1.after, in_order[2].after);
        assert_eq!(folded.card.snapshot(), in_order[2].card.snapshot());
        assert_eq!(folded.card.reps, in_order[2].card.reps);
        assert_eq!(folded.card.version, late.card.version + 1);
    }

    #[test]
    fn a_review_before_the_last_reset_is_history_only() {
        let mut ctx = new_card_context();
        ctx.card.reset_at = Some(now() - Duration::hours(5));
        let decision = decide(
            &ctx,
            &request(Rating::Good, now() - Duration::hours(6)),
            now(),
        )
        .expect("logged");
        assert_eq!(decision.card.snapshot(), ctx.card.snapshot());
        assert!(decision.refolded.is_empty());
    }

    #[test]
    fn a_reused_client_review_id_replays_only_the_same_card_and_rating() {
        let ctx = context(CardState::Review, 0);
        let r = request(Rating::Good, now());
        let prior = PriorReview {
            card: r.card_id,
            rating: Rating::Good,
            after: ctx.card.snapshot(),
        };
        assert_eq!(prior.replays(&r), Ok(()));
        let mut other_rating = r.clone();
        other_rating.rating = Rating::Easy;
        assert_eq!(
            prior.replays(&other_rating),
            Err(ReviewConflict::OtherRating)
        );
        let mut other_card = r.clone();
        other_card.card_id = CardId::new();
        assert_eq!(prior.replays(&other_card), Err(ReviewConflict::OtherCard));
    }
}
