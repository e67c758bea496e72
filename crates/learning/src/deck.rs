use crate::card::CardType;
use chrono::{DateTime, Utc};
use lingo_kernel::{DeckId, SystemDeckId, UserId};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeckNameError {
    #[error("a deck name has 1 to {MAX_DECK_NAME_CHARS} characters")]
    Length,
    #[error("a deck name must not contain control or bidirectional control characters")]
    ControlCharacter,
}

/// Longest deck name, in characters (docs/limits.md).
pub const MAX_DECK_NAME_CHARS: usize = 100;

/// Characters that would let a name hide or reorder text where it is shown.
fn is_hidden_control(c: char) -> bool {
    (c.is_control() && !c.is_whitespace())
        || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeckName(String);

impl DeckName {
    pub fn parse(raw: &str) -> Result<Self, DeckNameError> {
        if raw.chars().any(is_hidden_control) {
            return Err(DeckNameError::ControlCharacter);
        }
        let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() || name.chars().count() > MAX_DECK_NAME_CHARS {
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

/// What `decks.propagate` reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Propagated {
    pub cards_created: usize,
    /// Subscribers whose content for the deck's words was asked for (`content.prepare`).
    pub content_prepared_for: usize,
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

#[cfg(test)]
mod name_tests {
    use super::*;

    #[test]
    fn deck_names_are_bounded_and_free_of_hidden_controls() {
        assert_eq!(
            DeckName::parse("  IELTS   words ").expect("valid").as_str(),
            "IELTS words"
        );
        assert!(DeckName::parse(&"n".repeat(MAX_DECK_NAME_CHARS)).is_ok());
        assert_eq!(
            DeckName::parse(&"n".repeat(MAX_DECK_NAME_CHARS + 1)),
            Err(DeckNameError::Length)
        );
        assert_eq!(DeckName::parse("  "), Err(DeckNameError::Length));
        assert_eq!(
            DeckName::parse("exe\u{202E}gpj"),
            Err(DeckNameError::ControlCharacter)
        );
        assert_eq!(
            DeckName::parse("a\u{0}b"),
            Err(DeckNameError::ControlCharacter)
        );
    }
}
