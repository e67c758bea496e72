//! Decks: a learner's own, the standard (system) decks administrators publish, subscriptions to
//! them, and adding words (one card per card type of the deck).

use crate::card::CardType;
use crate::deck::{Deck, DeckName};
use crate::ports::{AddedWord, CardStore, DeckStore, LearningStoreError, NewCardWord, WordRef};
use crate::prepare_content::ContentPreparation;
use lingo_kernel::{Caller, Clock, DeckId, Forbidden, SystemDeckId, UserId, WordId};
use std::sync::Arc;

/// What a new deck is made of; an empty `card_types` means recognition and recall.
#[derive(Debug, Clone, PartialEq)]
pub struct NewDeck {
    pub name: DeckName,
    pub description: String,
    pub card_types: Vec<CardType>,
}

#[derive(Debug, thiserror::Error)]
pub enum DeckError {
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    #[error(transparent)]
    Store(#[from] LearningStoreError),
}

#[derive(Clone)]
pub struct DeckService {
    decks: Arc<dyn DeckStore>,
    cards: Arc<dyn CardStore>,
    clock: Arc<dyn Clock>,
    content: ContentPreparation,
}

impl DeckService {
    pub fn new(
        decks: Arc<dyn DeckStore>,
        cards: Arc<dyn CardStore>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            decks,
            cards,
            clock,
            content: ContentPreparation::default(),
        }
    }

    /// Asks for the content of words as they reach a learner's deck (`content.prepare`).
    pub fn with_content_preparation(mut self, content: ContentPreparation) -> Self {
        self.content = content;
        self
    }

    /// A personal deck of the caller.
    pub async fn create(&self, owner: UserId, new: NewDeck) -> Result<Deck, DeckError> {
        self.store_new(Deck::new, owner, new).await
    }

    /// Publishes a standard deck learners can subscribe to (administrators only).
    pub async fn create_system(&self, caller: Caller, new: NewDeck) -> Result<Deck, DeckError> {
        caller.require_admin()?;
        self.store_new(Deck::system, caller.user, new).await
    }

    async fn store_new(
        &self,
        make: fn(UserId, DeckName, String, Vec<CardType>, chrono::DateTime<chrono::Utc>) -> Deck,
        owner: UserId,
        new: NewDeck,
    ) -> Result<Deck, DeckError> {
        let deck = make(
            owner,
            new.name,
            new.description,
            new.card_types,
            self.clock.now(),
        );
        self.decks.create(&deck).await?;
        Ok(deck)
    }

    pub async fn list(&self, owner: UserId) -> Result<Vec<Deck>, DeckError> {
        Ok(self.decks.list(owner).await?)
    }

    /// `NotFound` also for another learner's deck.
    pub async fn get(&self, owner: UserId, id: DeckId) -> Result<Deck, DeckError> {
        Ok(self.decks.get(owner, id).await?)
    }

    pub async fn rename(
        &self,
        owner: UserId,
        id: DeckId,
        name: &DeckName,
        description: &str,
    ) -> Result<Deck, DeckError> {
        Ok(self
            .decks
            .rename(owner, id, name, description, self.clock.now())
            .await?)
    }

    /// Deletes the deck and its cards.
    pub async fn delete(&self, owner: UserId, id: DeckId) -> Result<(), DeckError> {
        Ok(self.decks.delete(owner, id).await?)
    }

    /// Adds words to one of the caller's decks: a card per card type of the deck. Adding a word
    /// twice creates nothing the second time.
    pub async fn add_words(
        &self,
        owner: UserId,
        id: DeckId,
        words: &[NewCardWord],
    ) -> Result<Vec<AddedWord>, DeckError> {
        let deck = self.decks.get(owner, id).await?;
        let added = self
            .cards
            .add_words(owner, deck.id, words, &deck.card_types, self.clock.now())
            .await?;
        let new: Vec<WordId> = added
            .iter()
            .filter(|a| a.cards_created > 0)
            .map(|a| a.word_id)
            .collect();
        self.content.request(owner, &new).await;
        Ok(added)
    }

    /// Adds words to a system deck (administrators only); subscribers get them through the
    /// propagation job the store stages with the words.
    pub async fn add_system_words(
        &self,
        caller: Caller,
        id: SystemDeckId,
        words: &[WordRef],
    ) -> Result<Vec<WordId>, DeckError> {
        caller.require_admin()?;
        Ok(self.decks.add_system_words(id, words).await?)
    }

    pub async fn list_system(&self) -> Result<Vec<Deck>, DeckError> {
        Ok(self.decks.list_system().await?)
    }

    /// A deck of the caller's own that follows the system deck; subscribing twice returns the
    /// same deck.
    pub async fn subscribe(
        &self,
        owner: UserId,
        system_deck: SystemDeckId,
    ) -> Result<Deck, DeckError> {
        let deck = self
            .decks
            .subscribe(owner, system_deck, self.clock.now())
            .await?;
        let words = self.decks.system_words(system_deck).await?;
        self.content.request(owner, &words).await;
        Ok(deck)
    }

    /// Stops following; the caller keeps the deck and its cards.
    pub async fn unsubscribe(
        &self,
        owner: UserId,
        system_deck: SystemDeckId,
    ) -> Result<(), DeckError> {
        Ok(self.decks.unsubscribe(owner, system_deck).await?)
    }
}
