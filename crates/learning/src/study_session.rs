//! The study session: the next cards with both faces ready to draw, their four due-date
//! previews and what is left today — one request for a whole session (docs/study-session.md).
//!
//! The front follows the card type (the lemma for recognition and typing, a meaning for recall);
//! the back comes from the dictionary and from learner content already generated, through the
//! `CardBacks` port. The session never waits for a generation: a word without content says so.

use crate::card::CardType;
use crate::ports::{CardStore, LearningStoreError};
use crate::study_queue::{QueueEntry, StudyService, WordSummary};
use async_trait::async_trait;
use lingo_kernel::{CefrLevel, Clock, DeckId, LanguageCode, UserId, WordId};
use std::collections::HashMap;
use std::sync::Arc;

/// An example sentence on the back of a card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackExample {
    pub text: String,
    /// In the learner's language, when known.
    pub translation: Option<String>,
}

/// Whether learner content exists for the word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContentState {
    /// Generated: the back shows it (this version).
    Ready { version: u32 },
    /// Not generated yet; the back shows dictionary data.
    Missing,
}

/// The back of a card: what the learner checks their answer against.
#[derive(Debug, Clone, PartialEq)]
pub struct CardBack {
    pub ipa: Option<String>,
    /// A dictionary source's licensed audio when there is one, else rendered audio
    /// (`/api/v1/audio/{id}`) once it exists.
    pub audio_url: Option<String>,
    /// Rendered audio is on its way (`speech.render` enqueued): ask again in a later session.
    pub audio_pending: bool,
    pub part_of_speech: Option<String>,
    /// In the learner's language, best first.
    pub translations: Vec<String>,
    /// A short definition (in the word's language).
    pub definition: Option<String>,
    /// One or two.
    pub examples: Vec<BackExample>,
    /// A memory hook from the generated content.
    pub mnemonic: Option<String>,
    pub content: ContentState,
}

impl CardBack {
    /// A back with nothing known yet (a word no source has).
    pub fn empty() -> Self {
        Self {
            ipa: None,
            audio_url: None,
            audio_pending: false,
            part_of_speech: None,
            translations: Vec::new(),
            definition: None,
            examples: Vec::new(),
            mnemonic: None,
            content: ContentState::Missing,
        }
    }
}

/// The word a back is wanted for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackRequest {
    pub word: WordId,
    pub summary: WordSummary,
}

/// Where the backs come from (the dictionary and learner content).
#[async_trait]
pub trait CardBacks: Send + Sync {
    /// Backs for `words` as `learner` should see them (their language and level, read here),
    /// in one go.
    async fn backs(
        &self,
        learner: UserId,
        words: &[BackRequest],
    ) -> Result<HashMap<WordId, CardBack>, LearningStoreError>;

    /// The same, for a learner whose language and level the caller has already read (the
    /// session has the profile the queue was built with).
    async fn backs_in(
        &self,
        learner: UserId,
        native: &LanguageCode,
        level: CefrLevel,
        words: &[BackRequest],
    ) -> Result<HashMap<WordId, CardBack>, LearningStoreError>;
}

/// What the front of a card shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Front {
    /// The word itself (recognition: what does it mean? typing: hear or see it, spell it).
    Lemma { text: String },
    /// A meaning in the learner's language, or a definition when none is known (recall).
    Meaning { text: String },
}

impl Front {
    fn of(card_type: CardType, summary: Option<&WordSummary>, back: &CardBack) -> Self {
        let lemma = summary.map(|w| w.lemma.clone()).unwrap_or_default();
        match card_type {
            CardType::Recognition | CardType::Typing => Self::Lemma { text: lemma },
            CardType::Recall => match back
                .translations
                .first()
                .cloned()
                .or_else(|| back.definition.clone())
            {
                Some(text) => Self::Meaning { text },
                // Nothing to ask with: show the word rather than a blank card.
                None => Self::Lemma { text: lemma },
            },
        }
    }
}

/// One card of a session.
#[derive(Debug, Clone)]
pub struct SessionItem {
    pub entry: QueueEntry,
    pub front: Front,
    pub back: CardBack,
}

/// The most `Remaining` shows of each kind: a count at the cap means "that many or more" (the
/// app shows "999+"). Counting every due card of a learner with 10,000 due took longer than
/// the rest of the session (docs/performance.md).
pub const REMAINING_CAP: u32 = 999;

/// What is left today after this session's cards, by kind (within the daily limits), each at
/// most `REMAINING_CAP`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Remaining {
    pub new: u32,
    pub learning: u32,
    pub review: u32,
}

#[derive(Debug, Clone)]
pub struct StudySession {
    pub items: Vec<SessionItem>,
    pub remaining: Remaining,
    /// Today's progress towards the daily goal (before this session's answers).
    pub goal: crate::streak::GoalProgress,
}

/// Counts the store gives for `remaining`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DueCounts {
    /// Review cards due now.
    pub reviews: u32,
    /// Learning and relearning cards due now.
    pub learning: u32,
    /// Cards never reviewed.
    pub new: u32,
}

#[derive(Clone)]
pub struct StudySessionService {
    study: StudyService,
    cards: Arc<dyn CardStore>,
    backs: Arc<dyn CardBacks>,
    goals: crate::stats::StatsService,
    clock: Arc<dyn Clock>,
}

impl StudySessionService {
    pub fn new(
        study: StudyService,
        cards: Arc<dyn CardStore>,
        backs: Arc<dyn CardBacks>,
        goals: crate::stats::StatsService,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            study,
            cards,
            backs,
            goals,
            clock,
        }
    }

    /// The next `size` cards (as the study queue orders them) with both faces.
    pub async fn session(
        &self,
        owner: UserId,
        deck: Option<DeckId>,
        size: u32,
    ) -> Result<StudySession, LearningStoreError> {
        let (queue, today, profile) = self.study.queue_for(owner, deck, size).await?;
        let requests: Vec<BackRequest> = queue
            .iter()
            .filter_map(|e| {
                e.word.as_ref().map(|summary| BackRequest {
                    word: e.card.word,
                    summary: summary.clone(),
                })
            })
            .collect();
        // Counting stops past what `remaining` can show: this session's cards plus the cap.
        let shown = REMAINING_CAP.saturating_add(u32::try_from(queue.len()).unwrap_or(u32::MAX));
        let at_most = DueCounts {
            reviews: today.review_room.min(shown),
            learning: shown,
            new: today.new_room.min(shown),
        };
        // Independent reads, in parallel: the session waits for the slowest, not for the sum.
        let (mut backs, due, goal) = futures_util::future::try_join3(
            self.backs
                .backs_in(owner, &profile.native_language, profile.level, &requests),
            self.cards
                .due_counts(owner, deck, self.clock.now(), at_most),
            self.goals.goal_today(owner, &profile),
        )
        .await?;
        let items: Vec<SessionItem> = queue
            .into_iter()
            .map(|entry| {
                let back = backs
                    .remove(&entry.card.word)
                    .unwrap_or_else(CardBack::empty);
                let front = Front::of(entry.card.card_type, entry.word.as_ref(), &back);
                SessionItem { entry, front, back }
            })
            .collect();
        Ok(StudySession {
            remaining: remaining(&items, due, today),
            items,
            goal,
        })
    }
}

/// Today's room (daily limits minus what was done) applied to what is due, less this session.
fn remaining(items: &[SessionItem], due: DueCounts, today: crate::study_queue::Today) -> Remaining {
    let count = |pick: fn(&QueueEntry) -> bool| {
        u32::try_from(items.iter().filter(|i| pick(&i.entry)).count()).unwrap_or(u32::MAX)
    };
    let in_session_new = count(|e| e.card.schedule.last_review.is_none());
    let in_session_review = count(|e| {
        e.card.schedule.last_review.is_some()
            && e.card.schedule.state == crate::scheduler::CardState::Review
    });
    let in_session_learning = count(|e| {
        e.card.schedule.last_review.is_some()
            && e.card.schedule.state != crate::scheduler::CardState::Review
    });
    Remaining {
        new: due
            .new
            .min(today.new_room)
            .saturating_sub(in_session_new)
            .min(REMAINING_CAP),
        learning: due
            .learning
            .saturating_sub(in_session_learning)
            .min(REMAINING_CAP),
        review: due
            .reviews
            .min(today.review_room)
            .saturating_sub(in_session_review)
            .min(REMAINING_CAP),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn back(translations: &[&str], definition: Option<&str>) -> CardBack {
        CardBack {
            translations: translations.iter().map(|t| (*t).to_owned()).collect(),
            definition: definition.map(str::to_owned),
            ..CardBack::empty()
        }
    }

    fn summary() -> WordSummary {
        WordSummary {
            language: "en".into(),
            lemma: "house".into(),
        }
    }

    #[test]
    fn recall_asks_with_a_translation_then_a_definition_then_the_word() {
        let s = summary();
        assert_eq!(
            Front::of(
                CardType::Recall,
                Some(&s),
                &back(&["خانه"], Some("a building"))
            ),
            Front::Meaning {
                text: "خانه".into()
            }
        );
        assert_eq!(
            Front::of(CardType::Recall, Some(&s), &back(&[], Some("a building"))),
            Front::Meaning {
                text: "a building".into()
            }
        );
        assert_eq!(
            Front::of(CardType::Recall, Some(&s), &back(&[], None)),
            Front::Lemma {
                text: "house".into()
            }
        );
    }

    #[test]
    fn remaining_stops_at_the_cap_and_within_the_daily_room() {
        let today = crate::study_queue::Today {
            new_room: 15,
            review_room: 10_000,
        };
        let due = DueCounts {
            reviews: REMAINING_CAP + 5,
            learning: 3,
            new: 40,
        };
        let left = remaining(&[], due, today);
        assert_eq!(
            left,
            Remaining {
                new: 15,
                learning: 3,
                review: REMAINING_CAP
            }
        );
        let small = remaining(
            &[],
            DueCounts {
                reviews: 120,
                ..due
            },
            crate::study_queue::Today {
                new_room: 15,
                review_room: 100,
            },
        );
        assert_eq!(small.review, 100);
    }

    #[test]
    fn recognition_and_typing_show_the_word() {
        let s = summary();
        for card_type in [CardType::Recognition, CardType::Typing] {
            assert_eq!(
                Front::of(card_type, Some(&s), &back(&["خانه"], None)),
                Front::Lemma {
                    text: "house".into()
                }
            );
        }
    }
}
