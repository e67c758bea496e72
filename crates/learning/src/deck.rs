use crate::card::CardType;
use chrono::{DateTime, Utc};
use lingo_kernel::{DeckId, SystemDeckId, UserId};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeckNameError {
    #[error("a deck name has 1 to 100 characters")]
    Length,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeckName(String);

impl DeckName {
    pub fn parse(raw: &str) -> Result<Self, DeckNameError> {
        let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() || name.chars().count() > 100 {
            return Err(DeckNameError::Length);
        }
        Ok(Self(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeckKind {
    /// A learner's own deck (including a subscription to a system deck).
    Personal,
    /// A standard deck an admin publishes; learners subscribe to it.
    System,
}

impl DeckKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Personal => "personal",
            Self::System => "system",
        }
    }
}

/// Words added to a system deck reach its subscribers through this job (idempotent).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PropagateSystemDeck {
    pub deck_id: SystemDeckId,
}

impl lingo_kernel::jobs::Job for PropagateSystemDeck {
    const NAME: &'static str = "decks.propagate";
}

/// Who a deck belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeckOwner {
    /// A learner's deck, deleted with their account.
    Learner(UserId),
    /// A system deck belongs to the service and outlives every account; `published_by` is the
    /// admin who published it, kept for audit until their account is deleted.
    Service { published_by: Option<UserId> },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Deck {
    pub id: DeckId,
    pub owner: DeckOwner,
    pub name: DeckName,
    pub description: String,
    /// The card types made for each word added (at least one).
    pub card_types: Vec<CardType>,
    pub kind: DeckKind,
    /// For a subscription: the system deck it follows.
    pub source: Option<SystemDeckId>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Deck {
    pub fn new(
        owner: UserId,
        name: DeckName,
        description: String,
        card_types: Vec<CardType>,
        now: DateTime<Utc>,
    ) -> Self {
        let mut card_types = if card_types.is_empty() {
            vec![CardType::Recognition, CardType::Recall]
        } else {
            card_types
        };
        card_types.sort();
        card_types.dedup();
        Self {
            id: DeckId::new(),
            owner: DeckOwner::Learner(owner),
            name,
            description,
            card_types,
            kind: DeckKind::Personal,
            source: None,
            created_at: now,
            updated_at: now,
        }
    }

    /// A standard deck, owned by the service and published by the admin `publisher`.
    pub fn system(
        publisher: UserId,
        name: DeckName,
        description: String,
        card_types: Vec<CardType>,
        now: DateTime<Utc>,
    ) -> Self {
        Self {
            kind: DeckKind::System,
            owner: DeckOwner::Service {
                published_by: Some(publisher),
            },
            ..Self::new(publisher, name, description, card_types, now)
        }
    }

    /// This deck's id in its role as a system deck that subscriptions follow.
    pub fn system_id(&self) -> SystemDeckId {
        SystemDeckId::from_uuid(self.id.as_uuid())
    }

    /// A learner's subscription to the system deck `source`.
    pub fn subscription(owner: UserId, source: &Deck, now: DateTime<Utc>) -> Self {
        Self {
            source: Some(source.system_id()),
            ..Self::new(
                owner,
                source.name.clone(),
                source.description.clone(),
                source.card_types.clone(),
                now,
            )
        }
    }
}
