//! A learner's deck taken out of Lingo (docs/export.md): as CSV (written here, `deck_csv`) or
//! as an Anki package (`.apkg`, written by the `DeckPackager` adapter). The deck's cards, their
//! words and their reviews come from one read (`DeckContentsSource`); a card without the
//! learner's own translation carries the dictionary's (the same backs the study session shows).

use crate::card::Card;
use crate::card::CardSnapshot;
use crate::deck::Deck;
use crate::ports::LearningStoreError;
use crate::study_queue::WordSummary;
use crate::study_session::{BackRequest, CardBacks};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use lingo_kernel::{Caller, DeckId, UserId};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Dictionary translations joined into a card's `translation` when the learner wrote none.
const DICTIONARY_TRANSLATIONS: usize = 3;

/// One review of an exported card, with the card before and after it.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportedReview {
    pub reviewed_at: DateTime<Utc>,
    /// 1 (Again) to 4 (Easy).
    pub rating: u8,
    pub duration_ms: Option<u32>,
    pub before: CardSnapshot,
    pub after: CardSnapshot,
}

/// A card of the deck with its word and history.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportedCard {
    pub card: Card,
    pub word: WordSummary,
    pub part_of_speech: String,
    /// Not undone, oldest first.
    pub reviews: Vec<ExportedReview>,
    /// The learner's translation, else the dictionary's first ones (`; `-joined), else none.
    pub translation: Option<String>,
}

/// What an export holds: the deck and its cards, oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct DeckContents {
    pub deck: Deck,
    pub cards: Vec<ExportedCard>,
}

#[async_trait]
pub trait DeckContentsSource: Send + Sync {
    /// The deck `owner` owns with its cards (translations unset), or `NotFound`.
    async fn contents(
        &self,
        owner: UserId,
        deck: DeckId,
    ) -> Result<DeckContents, LearningStoreError>;
}

#[derive(Debug, thiserror::Error)]
#[error("the package could not be written: {0}")]
pub struct PackageError(pub String);

/// Writes an Anki package (`.apkg`) of a deck.
#[async_trait]
pub trait DeckPackager: Send + Sync {
    async fn package(
        &self,
        contents: &DeckContents,
        now: DateTime<Utc>,
    ) -> Result<Vec<u8>, PackageError>;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Apkg,
}

impl ExportFormat {
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Csv => "text/csv; charset=utf-8",
            Self::Apkg => "application/apkg",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Apkg => "apkg",
        }
    }
}

/// A file ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportedFile {
    pub bytes: Vec<u8>,
    pub content_type: &'static str,
    /// ASCII only, safe inside a quoted `Content-Disposition` file name.
    pub file_name: String,
}

#[derive(Debug, thiserror::Error)]
pub enum DeckExportError {
    #[error("no such deck")]
    NotFound,
    #[error("{0}")]
    Unavailable(String),
}

impl From<LearningStoreError> for DeckExportError {
    fn from(e: LearningStoreError) -> Self {
        match e {
            LearningStoreError::NotFound => Self::NotFound,
            LearningStoreError::Unavailable(e) => Self::Unavailable(e),
        }
    }
}

#[derive(Clone)]
pub struct DeckExportService {
    source: Arc<dyn DeckContentsSource>,
    backs: Arc<dyn CardBacks>,
    packager: Arc<dyn DeckPackager>,
    clock: Arc<dyn lingo_kernel::Clock>,
}

impl DeckExportService {
    pub fn new(
        source: Arc<dyn DeckContentsSource>,
        backs: Arc<dyn CardBacks>,
        packager: Arc<dyn DeckPackager>,
        clock: Arc<dyn lingo_kernel::Clock>,
    ) -> Self {
        Self {
            source,
            backs,
            packager,
            clock,
        }
    }

    /// The caller's deck as a file. Another learner's deck is `NotFound`.
    #[tracing::instrument(skip(self, caller), fields(user_id = %caller.user))]
    pub async fn export(
        &self,
        caller: &Caller,
        deck: DeckId,
        format: ExportFormat,
    ) -> Result<ExportedFile, DeckExportError> {
        let mut contents = self.source.contents(caller.user, deck).await?;
        self.add_translations(caller.user, &mut contents).await?;
        let bytes = match format {
            ExportFormat::Csv => crate::deck_csv::write(&contents).into_bytes(),
            ExportFormat::Apkg => self
                .packager
                .package(&contents, self.clock.now())
                .await
                .map_err(|e| DeckExportError::Unavailable(e.to_string()))?,
        };
        Ok(ExportedFile {
            bytes,
            content_type: format.content_type(),
            file_name: format!(
                "{}.{}",
                file_stem(contents.deck.name.as_str()),
                format.extension()
            ),
        })
    }

    async fn add_translations(
        &self,
        learner: UserId,
        contents: &mut DeckContents,
    ) -> Result<(), DeckExportError> {
        let words: BTreeMap<_, _> = contents
            .cards
            .iter()
            .filter(|c| c.card.material.translation.is_none())
            .map(|c| (c.card.word, c.word.clone()))
            .collect();
        let requests: Vec<BackRequest> = words
            .into_iter()
            .map(|(word, summary)| BackRequest { word, summary })
            .collect();
        let backs = if requests.is_empty() {
            Default::default()
        } else {
            self.backs.backs(learner, &requests).await?
        };
        for card in &mut contents.cards {
            card.translation = match &card.card.material.translation {
                Some(own) => Some(own.as_str().to_owned()),
                None => backs
                    .get(&card.card.word)
                    .filter(|b| !b.translations.is_empty())
                    .map(|b| {
                        b.translations
                            .iter()
                            .take(DICTIONARY_TRANSLATIONS)
                            .cloned()
                            .collect::<Vec<_>>()
                            .join("; ")
                    }),
            };
        }
        Ok(())
    }
}

/// The deck's name reduced to ASCII letters, digits, `-` and `_` (other characters become `_`,
/// runs collapse), or `deck` when nothing is left: a name that is safe in any header.
fn file_stem(name: &str) -> String {
    let mut stem = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() || c == '-' {
            stem.push(c);
        } else if !stem.ends_with('_') {
            stem.push('_');
        }
    }
    let stem = stem.trim_matches('_');
    if stem.chars().any(|c| c.is_ascii_alphanumeric()) {
        stem.chars().take(64).collect()
    } else {
        "deck".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_keep_ascii_and_fall_back_to_deck() {
        assert_eq!(file_stem("My Verbs: week 1"), "My_Verbs_week_1");
        assert_eq!(file_stem("واژه‌ها"), "deck");
        assert_eq!(file_stem("\"quoted\"\r\nname"), "quoted_name");
        assert_eq!(file_stem("a".repeat(100).as_str()).len(), 64);
    }
}
