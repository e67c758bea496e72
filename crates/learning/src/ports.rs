//! What the learning use cases need from storage, named by role.

use crate::card::{Card, CardType};
use crate::deck::{Deck, DeckName};
use crate::review::{Decision, ReviewOutcome, ReviewRejection, ReviewRequest, SchedulingContext};
use crate::undo_review::{UndoContext, UndoDecision, UndoError};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use lingo_kernel::{CardId, DeckId, LanguageCode, SystemDeckId, UserId, WordId};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LearningStoreError {
    #[error("not found")]
    NotFound,
    #[error("{0}")]
    Unavailable(String),
}

/// A learner's FSRS parameters; version 0 means the defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct ParameterSet {
    pub version: i32,
    pub parameters: Vec<f64>,
}

/// One review of a card, as the optimiser needs it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HistoryReview {
    pub reviewed_at: DateTime<Utc>,
    pub rating: u8,
}

#[async_trait]
pub trait ParameterStore: Send + Sync {
    async fn current(&self, user: UserId) -> Result<Option<ParameterSet>, LearningStoreError>;
    /// Stores a new version (the next number) and returns it.
    async fn save(
        &self,
        user: UserId,
        parameters: &[f64],
        log_loss: Option<f64>,
        reviews: i32,
    ) -> Result<i32, LearningStoreError>;
}

#[async_trait]
pub trait ReviewHistory: Send + Sync {
    /// Every card's reviews (not undone), oldest first, one vector per card.
    async fn card_histories(
        &self,
        user: UserId,
    ) -> Result<Vec<Vec<HistoryReview>>, LearningStoreError>;
    /// Learners with reviews since `since` (for the nightly optimisation).
    async fn active_learners(
        &self,
        since: DateTime<Utc>,
    ) -> Result<Vec<UserId>, LearningStoreError>;
}

#[async_trait]
pub trait DeckStore: Send + Sync {
    async fn create(&self, deck: &Deck) -> Result<(), LearningStoreError>;
    async fn list(&self, owner: UserId) -> Result<Vec<Deck>, LearningStoreError>;
    /// `NotFound` also for another learner's deck.
    async fn get(&self, owner: UserId, id: DeckId) -> Result<Deck, LearningStoreError>;
    async fn rename(
        &self,
        owner: UserId,
        id: DeckId,
        name: &DeckName,
        description: &str,
        now: DateTime<Utc>,
    ) -> Result<Deck, LearningStoreError>;
    async fn delete(&self, owner: UserId, id: DeckId) -> Result<(), LearningStoreError>;
    async fn list_system(&self) -> Result<Vec<Deck>, LearningStoreError>;
    /// Adds words to a system deck and, in the same transaction, stages the job that gives them
    /// to every subscriber.
    async fn add_system_words(
        &self,
        deck: SystemDeckId,
        words: &[WordRef],
    ) -> Result<Vec<WordId>, LearningStoreError>;
    /// Links a new deck of `owner` to the system deck (or returns the existing link) and gives it
    /// the system deck's words.
    async fn subscribe(
        &self,
        owner: UserId,
        system_deck: SystemDeckId,
        now: DateTime<Utc>,
    ) -> Result<Deck, LearningStoreError>;
    /// Unlinks the subscription; the learner keeps the deck and its cards.
    async fn unsubscribe(
        &self,
        owner: UserId,
        system_deck: SystemDeckId,
    ) -> Result<(), LearningStoreError>;
    /// Creates the missing cards of every subscription of the system deck; returns how many.
    async fn propagate(&self, system_deck: SystemDeckId) -> Result<usize, LearningStoreError>;
    /// The words of the system deck.
    async fn system_words(
        &self,
        system_deck: SystemDeckId,
    ) -> Result<Vec<WordId>, LearningStoreError>;
    /// The learners subscribed to the system deck.
    async fn subscribers(
        &self,
        system_deck: SystemDeckId,
    ) -> Result<Vec<UserId>, LearningStoreError>;
}

/// A word to add to a deck. A learner may refer by id only to public words (or words of their
/// own); a new lemma a learner adds stays private to them until a dictionary source or an
/// administrator confirms it (docs/dictionary.md, "Private words").
#[derive(Debug, Clone, PartialEq)]
pub enum WordRef {
    Id(WordId),
    Lemma {
        language: LanguageCode,
        lemma: lingo_dictionary::LearnerLemma,
    },
}

/// A word to add to a learner's deck, with the sentence it was picked from (`/texts/analyze`).
#[derive(Debug, Clone, PartialEq)]
pub struct NewCardWord {
    pub word: WordRef,
    pub sentence: Option<crate::card_material::SourceSentence>,
}

impl From<WordRef> for NewCardWord {
    fn from(word: WordRef) -> Self {
        Self {
            word,
            sentence: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AddedWord {
    pub word_id: WordId,
    /// Cards created now (0 when the word was in the deck already).
    pub cards_created: usize,
}

/// Filters of the card listing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CardFilter {
    pub deck: Option<DeckId>,
    pub state: Option<crate::scheduler::CardState>,
    pub due_before: Option<DateTime<Utc>>,
    pub leech: Option<bool>,
    /// Cards whose word's lemma starts with this (case-insensitive).
    pub lemma_prefix: Option<String>,
    /// Cards whose note contains this (case-insensitive).
    pub note_contains: Option<String>,
    /// Cards carrying this tag.
    pub tag: Option<crate::card_material::Tag>,
    /// Cursor: the id after which to continue (cards are listed by id).
    pub after: Option<CardId>,
    pub limit: u32,
}

/// The review decision the store runs under the card's lock.
pub type Decide =
    dyn for<'c> Fn(&'c SchedulingContext) -> Result<Decision, ReviewRejection> + Send + Sync;

/// The undo decision the store runs under the card's lock.
pub type DecideUndo =
    dyn for<'c> Fn(&'c UndoContext) -> Result<UndoDecision, UndoError> + Send + Sync;

#[async_trait]
pub trait CardStore: Send + Sync {
    /// Adds words to a deck, one card per enabled type, in one transaction; idempotent. A word's
    /// sentence is stored on the cards it creates (cards already there keep theirs).
    async fn add_words(
        &self,
        owner: UserId,
        deck: DeckId,
        words: &[NewCardWord],
        types: &[CardType],
        now: DateTime<Utc>,
    ) -> Result<Vec<AddedWord>, LearningStoreError>;
    async fn list(
        &self,
        owner: UserId,
        filter: &CardFilter,
    ) -> Result<Vec<Card>, LearningStoreError>;
    /// Runs one review atomically: locks the card; an earlier review with the same
    /// `client_review_id` is replayed (same card and rating) or a conflict (anything else),
    /// never applied again; else loads the card's later reviews when the new one is older than
    /// its last, lets `decide` fold it in, and stores the card, the new log row and the
    /// rewritten snapshots of the later rows. Two concurrent requests with one id store one row.
    async fn apply_review(
        &self,
        owner: UserId,
        request: &ReviewRequest,
        decide: &Decide,
    ) -> Result<ReviewOutcome, LearningStoreError>;
    /// Locks the card and its review `review` (by `client_review_id`; `None`: the latest not
    /// undone), lets `decide` rule, and on an undo marks the row undone and stores the card.
    /// `NotFound` for another learner's card, or no such review of this card.
    async fn undo_review(
        &self,
        owner: UserId,
        card: CardId,
        review: Option<&str>,
        decide: &DecideUndo,
    ) -> Result<Card, UndoError>;
    /// Suspends, buries, resets or moves a card (`NotFound` for another learner's card or deck).
    async fn change(
        &self,
        owner: UserId,
        card: CardId,
        change: crate::card_actions::CardChange,
    ) -> Result<Card, LearningStoreError>;
    /// Applies `edit` to the card's material (`NotFound` for another learner's card).
    async fn edit_material(
        &self,
        owner: UserId,
        card: CardId,
        edit: &crate::card_material::MaterialEdit,
    ) -> Result<Card, LearningStoreError>;
    /// Cards to study now, for the queue: due, not suspended, not buried; new ones separately.
    /// At least `fetch` of each kind where there are that many (the store may return more):
    /// reviews and learning cards earliest due first, new cards oldest first.
    async fn study_candidates(
        &self,
        owner: UserId,
        deck: Option<DeckId>,
        now: DateTime<Utc>,
        day_start: DateTime<Utc>,
        fetch: u32,
    ) -> Result<crate::study_queue::Candidates, LearningStoreError>;
    /// How many cards are due now, by kind (for what is left today), each counted up to its
    /// `at_most` only (today's room: more would not change what is left).
    async fn due_counts(
        &self,
        owner: UserId,
        deck: Option<DeckId>,
        now: DateTime<Utc>,
        at_most: crate::study_session::DueCounts,
    ) -> Result<crate::study_session::DueCounts, LearningStoreError>;
    /// Statistics as of `now`: card counts, mature reviews, the due forecast from `now`.
    async fn stats(
        &self,
        owner: UserId,
        now: DateTime<Utc>,
        utc_offset_seconds: i32,
    ) -> Result<crate::stats::RawStats, LearningStoreError>;
}

/// The learner's stored learning profile (time zone, rollover hour, daily limits, languages,
/// scheduling settings). Decoded in one place by the adapter: corrupt stored data is
/// `Unavailable` naming it, never silent defaults; an unknown learner is `NotFound`.
#[async_trait]
pub trait LearnerProfiles: Send + Sync {
    async fn profile(
        &self,
        learner: UserId,
    ) -> Result<lingo_users::LearningProfile, LearningStoreError>;
}

/// The learner's activity per local day (`learner_days`): written with each review in the
/// review's transaction, dated in the learner's zone and rollover hour at that moment.
#[async_trait]
pub trait ActivityDays: Send + Sync {
    /// Every day from `since` on (all of them when `None`), in any order.
    async fn days(
        &self,
        learner: UserId,
        since: Option<chrono::NaiveDate>,
    ) -> Result<Vec<crate::streak::ActivityDay>, LearningStoreError>;
}
