//! Reviewing a card: the rules around the scheduler (time window, suspension, ordering, lapses,
//! leeches), one review at a time or a batch made offline.

use crate::Rating;
use crate::card::Card;
use crate::ports::{CardStore, LearningStoreError, ParameterSet};
use crate::scheduler::{CardState, DEFAULT_PARAMETERS, Scheduler, SchedulerConfig};
use chrono::{DateTime, Duration, Utc};
use lingo_kernel::{CardId, Clock, UserId};
use std::sync::Arc;

/// How far ahead of the server's clock a review may claim to be (device clocks drift).
pub const FUTURE_TOLERANCE: Duration = Duration::minutes(5);
/// How old an offline review may be.
pub const MAX_AGE: Duration = Duration::days(30);

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
}

/// Everything `decide` needs, loaded under the card's lock.
#[derive(Debug, Clone)]
pub struct SchedulingContext {
    pub card: Card,
    pub settings: SchedulingSettings,
    pub parameters: Option<ParameterSet>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ReviewRejection {
    #[error("the card is suspended")]
    Suspended,
    #[error("the card has a later review already")]
    OlderThanLastReview,
    #[error("reviewed_at is in the future")]
    InFuture,
    #[error("reviewed_at is more than 30 days ago")]
    TooOld,
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

/// The fuzz seed of a review (FNV-1a over the card id and the client's review id): the same
/// card and client review always fuzz the same way, on every server and version.
fn fuzz_seed(card: CardId, client_review_id: &str) -> u64 {
    card.as_uuid()
        .as_bytes()
        .iter()
        .chain(client_review_id.as_bytes())
        .fold(0xcbf2_9ce4_8422_2325u64, |hash, byte| {
            (hash ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3)
        })
}

/// The pure decision: the card after `request`, or why it is refused.
pub fn decide(
    context: &SchedulingContext,
    request: &ReviewRequest,
    now: DateTime<Utc>,
) -> Result<Card, ReviewRejection> {
    if request.reviewed_at > now + FUTURE_TOLERANCE {
        return Err(ReviewRejection::InFuture);
    }
    if request.reviewed_at < now - MAX_AGE {
        return Err(ReviewRejection::TooOld);
    }
    let card = &context.card;
    if card.suspended {
        return Err(ReviewRejection::Suspended);
    }
    if card
        .schedule
        .last_review
        .is_some_and(|last| request.reviewed_at < last)
    {
        return Err(ReviewRejection::OlderThanLastReview);
    }
    let settings = &context.settings;
    let parameters = context
        .parameters
        .as_ref()
        .map(|p| p.parameters.clone())
        .unwrap_or_else(|| DEFAULT_PARAMETERS.to_vec());
    let scheduler = Scheduler::new(SchedulerConfig {
        parameters,
        desired_retention: settings.desired_retention,
        learning_steps: settings.learning_steps.clone(),
        relearning_steps: settings.relearning_steps.clone(),
        maximum_interval: settings.maximum_interval,
        enable_fuzzing: true,
    })
    .or_else(|_| Scheduler::new(SchedulerConfig::default()))
    .map_err(|_| ReviewRejection::Suspended)?;
    let mut next = card.clone();
    next.schedule = scheduler.review(
        &card.schedule,
        request.rating,
        request.reviewed_at,
        fuzz_seed(card.id, &request.client_review_id),
    );
    next.reps += 1;
    if card.schedule.state == CardState::Review && request.rating == Rating::Again {
        next.lapses += 1;
        if next.lapses >= settings.leech_threshold as i32 {
            next.leech = true;
            next.suspended = settings.suspend_leeches;
        }
    }
    next.buried_until = None;
    next.version += 1;
    Ok(next)
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
        let owned = request.clone();
        let decision = move |context: &SchedulingContext| decide(context, &owned, now);
        Ok(self.cards.apply_review(owner, request, &decision).await?)
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

    pub async fn undo(&self, owner: UserId, card: CardId) -> Result<Card, ReviewError> {
        Ok(self.cards.undo_last_review(owner, card).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::card::CardType;
    use crate::scheduler::CardSchedule;
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

    #[test]
    fn a_review_counts_and_versions_the_card() {
        let next = decide(
            &context(CardState::Review, 0),
            &request(Rating::Good, now()),
            now(),
        )
        .expect("applied");
        assert_eq!(next.reps, 4);
        assert_eq!(next.version, 5);
        assert!(next.schedule.due > now());
    }

    #[test]
    fn the_eighth_lapse_makes_a_suspended_leech() {
        let next = decide(
            &context(CardState::Review, 7),
            &request(Rating::Again, now()),
            now(),
        )
        .expect("applied");
        assert_eq!(next.lapses, 8);
        assert!(next.leech && next.suspended);
        let mut ctx = context(CardState::Review, 7);
        ctx.settings.suspend_leeches = false;
        let next = decide(&ctx, &request(Rating::Again, now()), now()).expect("applied");
        assert!(next.leech && !next.suspended);
    }

    #[test]
    fn future_ancient_suspended_and_out_of_order_reviews_are_refused() {
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
                &request(Rating::Good, now() - Duration::days(31)),
                now()
            ),
            Err(ReviewRejection::TooOld)
        );
        assert_eq!(
            decide(
                &ctx,
                &request(Rating::Good, now() - Duration::days(7)),
                now()
            ),
            Err(ReviewRejection::OlderThanLastReview)
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
        let a = decide(&ctx, &request(Rating::Good, now()), now()).expect("applied");
        let b = decide(&ctx, &request(Rating::Good, now()), now()).expect("applied");
        assert_eq!(a.schedule.due, b.schedule.due);
    }
}
