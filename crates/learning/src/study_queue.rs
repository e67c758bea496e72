//! What to study now: due reviews first (lowest retrievability first), then learning cards whose
//! step is due, then new cards within today's allowance; one card per word per day.

use crate::card::Card;
use lingo_kernel::WordId;
use std::collections::{HashMap, HashSet};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordSummary {
    pub language: String,
    pub lemma: String,
}

/// Cards the store found for the queue, and what was studied today.
#[derive(Debug, Clone, Default)]
pub struct Candidates {
    /// Review cards due now.
    pub reviews: Vec<Card>,
    /// Learning and relearning cards (reviewed before) due now.
    pub learning: Vec<Card>,
    /// Cards never reviewed, oldest first.
    pub new: Vec<Card>,
    pub new_studied_today: u32,
    pub reviews_done_today: u32,
    /// Words with a card reviewed today: their siblings wait for tomorrow.
    pub words_reviewed_today: HashSet<WordId>,
    pub words: HashMap<WordId, WordSummary>,
}

#[derive(Debug, Clone, Copy)]
pub struct QueueLimits {
    pub new_per_day: u32,
    pub reviews_per_day: u32,
    pub size: usize,
}

/// How many more reviews and new cards today's limits leave room for.
fn rooms(candidates: &Candidates, limits: QueueLimits) -> (usize, usize) {
    (
        limits
            .reviews_per_day
            .saturating_sub(candidates.reviews_done_today) as usize,
        limits
            .new_per_day
            .saturating_sub(candidates.new_studied_today) as usize,
    )
}

/// Orders the candidates into the queue.
pub fn build(
    candidates: &Candidates,
    retrievability: impl Fn(&Card) -> f64,
    limits: QueueLimits,
) -> Vec<Card> {
    let mut reviews: Vec<(f64, &Card)> = candidates
        .reviews
        .iter()
        .map(|c| (retrievability(c), c))
        .collect();
    reviews.sort_by(|a, b| {
        a.0.total_cmp(&b.0)
            .then(a.1.schedule.due.cmp(&b.1.schedule.due))
    });
    let mut learning: Vec<&Card> = candidates.learning.iter().collect();
    learning.sort_by_key(|c| c.schedule.due);
    let (review_room, new_room) = rooms(candidates, limits);

    let mut queue = Vec::new();
    let mut words: HashSet<WordId> = HashSet::new();
    // A word already studied today shows none of its cards again, except the one in learning.
    let mut take = |card: &Card, queue: &mut Vec<Card>| {
        let sibling_seen =
            candidates.words_reviewed_today.contains(&card.word) || words.contains(&card.word);
        if !sibling_seen && queue.len() < limits.size {
            words.insert(card.word);
            queue.push(card.clone());
            true
        } else {
            false
        }
    };
    let mut taken = 0;
    for (_, card) in reviews {
        if taken >= review_room {
            break;
        }
        if take(card, &mut queue) {
            taken += 1;
        }
    }
    for card in learning {
        // Learning steps continue the same day: no sibling rule against its own word.
        if queue.len() < limits.size
            && !queue.iter().any(|c| c.word == card.word && c.id != card.id)
        {
            queue.push(card.clone());
        }
    }
    let mut taken = 0;
    for card in &candidates.new {
        if taken >= new_room {
            break;
        }
        if take(card, &mut queue) {
            taken += 1;
        }
    }
    queue
}

/// Candidates of each kind asked for first, per card of the queue: the queue's reviews are the
/// lowest retrievability among the `FIRST_FETCH` × size earliest due. Twice the queue is enough
/// unless many candidates are siblings of words studied today; then the store is asked once
/// more for `TOP_UP_FETCH` × size (`could_fill_more`). Asking for four times the queue every
/// time cost a third of the queue's rate (docs/performance.md).
const FIRST_FETCH: u32 = 2;
const TOP_UP_FETCH: u32 = 8;

/// Whether more candidates could lengthen a queue that came out short: a list the store filled
/// (it may hold more than was fetched) that `build` used up below its daily room.
fn could_fill_more(
    candidates: &Candidates,
    queue: &[Card],
    fetch: u32,
    limits: QueueLimits,
) -> bool {
    if queue.len() >= limits.size {
        return false;
    }
    let fetch = fetch as usize;
    let queued: HashSet<_> = queue.iter().map(|c| c.id).collect();
    let taken = |list: &[Card]| list.iter().filter(|c| queued.contains(&c.id)).count();
    let (review_room, new_room) = rooms(candidates, limits);
    (candidates.reviews.len() >= fetch && taken(&candidates.reviews) < review_room)
        || candidates.learning.len() >= fetch
        || (candidates.new.len() >= fetch && taken(&candidates.new) < new_room)
}

use crate::ports::{CardStore, LearnerProfiles, LearningStoreError, ParameterStore};
use crate::review::SchedulingSettings;
use crate::scheduler::{DEFAULT_PARAMETERS, Scheduler, SchedulerConfig};
use chrono::{DateTime, Utc};
use lingo_kernel::{Clock, DeckId, UserId};
use std::sync::Arc;

/// What "today" and "enough" mean for the learner, and how they are scheduled.
#[derive(Debug, Clone)]
pub struct StudySettings {
    pub timezone: chrono_tz::Tz,
    pub rollover_hour: u8,
    pub new_per_day: u32,
    pub reviews_per_day: u32,
    pub scheduling: SchedulingSettings,
}

impl StudySettings {
    /// The learner's profile, as the queue and the scheduler read it.
    pub fn from_profile(profile: &lingo_users::LearningProfile) -> Self {
        Self {
            timezone: profile.timezone.tz(),
            rollover_hour: profile.day_rollover_hour,
            new_per_day: profile.daily_new_limit,
            reviews_per_day: profile.daily_review_limit,
            scheduling: SchedulingSettings::from_profile(profile),
        }
    }
}

/// How many more new cards and reviews today's limits allow.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Today {
    pub new_room: u32,
    pub review_room: u32,
}

/// A card to study, with what the screen needs to show it.
#[derive(Debug, Clone)]
pub struct QueueEntry {
    pub card: Card,
    pub word: Option<WordSummary>,
    /// Due dates after Again, Hard, Good and Easy (before fuzz).
    pub preview: [DateTime<Utc>; 4],
}

#[derive(Clone)]
pub struct StudyService {
    cards: Arc<dyn CardStore>,
    parameters: Arc<dyn ParameterStore>,
    profiles: Arc<dyn LearnerProfiles>,
    clock: Arc<dyn Clock>,
}

impl StudyService {
    pub fn new(
        cards: Arc<dyn CardStore>,
        parameters: Arc<dyn ParameterStore>,
        profiles: Arc<dyn LearnerProfiles>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            cards,
            parameters,
            profiles,
            clock,
        }
    }

    /// Up to `size` (clamped to 1..=200) cards to study now, in the learner's local day and
    /// within the daily limits of their profile.
    pub async fn queue(
        &self,
        owner: UserId,
        deck: Option<DeckId>,
        size: u32,
    ) -> Result<Vec<QueueEntry>, LearningStoreError> {
        Ok(self.queue_for(owner, deck, size).await?.0)
    }

    /// The queue, today's room, and the learner's profile it was built with (for callers that
    /// need it too, so they need not read it again).
    pub(crate) async fn queue_for(
        &self,
        owner: UserId,
        deck: Option<DeckId>,
        size: u32,
    ) -> Result<(Vec<QueueEntry>, Today, lingo_users::LearningProfile), LearningStoreError> {
        let size = size.clamp(1, 200);
        // Independent reads, in parallel.
        let (profile, parameters) = futures_util::future::try_join(
            self.profiles.profile(owner),
            self.parameters.current(owner),
        )
        .await?;
        let settings = &StudySettings::from_profile(&profile);
        let now = self.clock.now();
        let day_start = crate::local_day::day_start(now, settings.timezone, settings.rollover_hour);
        let mut fetch = size * FIRST_FETCH;
        let mut candidates = self
            .cards
            .study_candidates(owner, deck, now, day_start, fetch)
            .await?;
        let parameters = parameters
            .map(|p| p.parameters)
            .unwrap_or_else(|| DEFAULT_PARAMETERS.to_vec());
        let scheduling = &settings.scheduling;
        let config = SchedulerConfig {
            parameters,
            desired_retention: scheduling.desired_retention,
            learning_steps: scheduling.learning_steps.clone(),
            relearning_steps: scheduling.relearning_steps.clone(),
            maximum_interval: scheduling.maximum_interval,
            enable_fuzzing: false,
        };
        let scheduler = Scheduler::new(config.clone())
            .or_else(|_| {
                Scheduler::new(SchedulerConfig {
                    enable_fuzzing: false,
                    ..SchedulerConfig::default()
                })
            })
            .map_err(|e| LearningStoreError::Unavailable(e.to_string()))?;
        let limits = QueueLimits {
            new_per_day: settings.new_per_day,
            reviews_per_day: settings.reviews_per_day,
            size: size as usize,
        };
        let retrievability = |card: &Card| scheduler.retrievability(&card.schedule, now);
        let mut queue = build(&candidates, retrievability, limits);
        if could_fill_more(&candidates, &queue, fetch, limits) {
            fetch = size * TOP_UP_FETCH;
            candidates = self
                .cards
                .study_candidates(owner, deck, now, day_start, fetch)
                .await?;
            queue = build(&candidates, retrievability, limits);
        }
        let today = Today {
            new_room: settings
                .new_per_day
                .saturating_sub(candidates.new_studied_today),
            review_room: settings
                .reviews_per_day
                .saturating_sub(candidates.reviews_done_today),
        };
        let entries = queue
            .into_iter()
            .map(|card| {
                let preview = scheduler
                    .preview(&card.schedule, now, 0)
                    .map(|next| next.due);
                QueueEntry {
                    word: candidates.words.get(&card.word).cloned(),
                    card,
                    preview,
                }
            })
            .collect();
        Ok((entries, today, profile))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(word: WordId) -> Card {
        Card::for_test(word, Utc::now())
    }

    fn limits(size: usize) -> QueueLimits {
        QueueLimits {
            new_per_day: 20,
            reviews_per_day: 200,
            size,
        }
    }

    #[test]
    fn a_short_queue_asks_for_more_only_where_more_could_be_taken() {
        let studied = WordId::new();
        // Four reviews, all siblings of a word studied today: a fetch of four is used up.
        let mut candidates = Candidates {
            reviews: (0..4).map(|_| card(studied)).collect(),
            words_reviewed_today: [studied].into_iter().collect(),
            ..Candidates::default()
        };
        let queue = build(&candidates, |_| 0.5, limits(3));
        assert!(queue.is_empty());
        assert!(could_fill_more(&candidates, &queue, 4, limits(3)));
        // Fewer than asked for: the store had no more.
        assert!(!could_fill_more(&candidates, &queue, 5, limits(3)));
        // Today's reviews are done: more reviews could not be shown.
        candidates.reviews_done_today = 200;
        assert!(!could_fill_more(&candidates, &queue, 4, limits(3)));
        // New cards, as many as asked for, with room left today.
        candidates.new = (0..4).map(|_| card(studied)).collect();
        assert!(could_fill_more(&candidates, &queue, 4, limits(3)));
        candidates.new_studied_today = 20;
        assert!(!could_fill_more(&candidates, &queue, 4, limits(3)));
        // A full queue never asks.
        let full = Candidates {
            reviews: (0..4).map(|_| card(WordId::new())).collect(),
            ..Candidates::default()
        };
        let queue = build(&full, |_| 0.5, limits(3));
        assert_eq!(queue.len(), 3);
        assert!(!could_fill_more(&full, &queue, 4, limits(3)));
    }
}
