//! What a learner does to a card outside reviews: suspend, bury until tomorrow, reset, move,
//! and edit their own material on it.

use crate::card::Card;
use crate::card_material::MaterialEdit;
use crate::ports::{CardStore, LearnerProfiles, LearningStoreError};
use chrono::{DateTime, Duration, Utc};
use lingo_kernel::{CardId, Clock, DeckId, UserId};
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardAction {
    Suspend,
    Unsuspend,
    /// Hidden from the queue until the learner's next day starts.
    Bury,
    /// Back to new: no memory, no reps, due now. The review log is kept; reviews from before the
    /// reset (`reset_at`) no longer count for the schedule, nor can they be undone.
    Reset,
    Move {
        deck: DeckId,
    },
}

/// The change the store applies, with instants already worked out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardChange {
    Suspended(bool),
    BuriedUntil(DateTime<Utc>),
    Reset { now: DateTime<Utc> },
    Move { deck: DeckId },
}

#[derive(Clone)]
pub struct CardActionService {
    cards: Arc<dyn CardStore>,
    profiles: Arc<dyn LearnerProfiles>,
    clock: Arc<dyn Clock>,
}

impl CardActionService {
    pub fn new(
        cards: Arc<dyn CardStore>,
        profiles: Arc<dyn LearnerProfiles>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            cards,
            profiles,
            clock,
        }
    }

    /// Applies the action; burying lasts until the learner's next local day starts.
    pub async fn apply(
        &self,
        owner: UserId,
        card: CardId,
        action: CardAction,
    ) -> Result<Card, LearningStoreError> {
        let now = self.clock.now();
        let bury_until = |profile: &lingo_users::LearningProfile| {
            crate::local_day::day_start(now, profile.timezone.tz(), profile.day_rollover_hour)
                + Duration::days(1)
        };
        let change = match action {
            CardAction::Suspend => CardChange::Suspended(true),
            CardAction::Unsuspend => CardChange::Suspended(false),
            CardAction::Bury => {
                CardChange::BuriedUntil(bury_until(&self.profiles.profile(owner).await?))
            }
            CardAction::Reset => CardChange::Reset { now },
            CardAction::Move { deck } => CardChange::Move { deck },
        };
        self.cards.change(owner, card, change).await
    }

    /// Changes the learner's note, translation, tags or source sentence on a card.
    pub async fn edit_material(
        &self,
        owner: UserId,
        card: CardId,
        edit: &MaterialEdit,
    ) -> Result<Card, LearningStoreError> {
        self.cards.edit_material(owner, card, edit).await
    }
}
