//! Lingo's deck as Anki rows (pure): one note per word, one card per Lingo card (ord by card
//! type), one revlog entry per review. FSRS state goes into the card's `data` the way Anki
//! (23.10 and later) keeps its own FSRS memory state (`{"s": stability, "d": difficulty}`).

use chrono::{DateTime, Utc};
use lingo_kernel::WordId;
use lingo_learning::card::{CardSnapshot, CardType};
use lingo_learning::export_deck::{DeckContents, ExportedCard, ExportedReview};
use lingo_learning::scheduler::CardState;
use std::collections::{BTreeSet, HashMap};

/// Anki's default ease (permille), written for every card: FSRS ignores it.
const FACTOR: i64 = 2500;
/// Anki caps a review's recorded time at a minute by default.
const MAX_ANSWER_MS: i64 = 60_000;
/// `left` of a card in (re)learning: one step left today and in total.
const ONE_STEP_LEFT: i64 = 1001;

#[derive(Debug, Clone, PartialEq)]
pub struct AnkiNote {
    pub id: i64,
    pub guid: String,
    /// Lemma, translation, note, sentence (HTML).
    pub fields: [String; 4],
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AnkiCard {
    pub id: i64,
    pub note_id: i64,
    pub ord: i64,
    pub kind: i64,
    pub queue: i64,
    pub due: i64,
    pub interval: i64,
    pub factor: i64,
    pub reps: i64,
    pub lapses: i64,
    pub left: i64,
    pub data: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AnkiReview {
    pub id: i64,
    pub card_id: i64,
    pub ease: i64,
    pub interval: i64,
    pub last_interval: i64,
    pub factor: i64,
    pub time_ms: i64,
    pub kind: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AnkiCollection {
    /// Collection creation, seconds: review cards' `due` counts days from it.
    pub created_secs: i64,
    pub deck_id: i64,
    pub notes: Vec<AnkiNote>,
    pub cards: Vec<AnkiCard>,
    pub reviews: Vec<AnkiReview>,
}

/// Anki fields are HTML: the text escaped, line breaks as `<br>`.
pub fn html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace("\r\n", "<br>")
        .replace('\n', "<br>")
}

fn ord(card_type: CardType) -> i64 {
    match card_type {
        CardType::Recognition => 0,
        CardType::Recall => 1,
        CardType::Typing => 2,
    }
}

/// Strictly increasing ids from millisecond times (Anki's ids are creation times in ms).
struct Ids(i64);

impl Ids {
    fn next(&mut self, at: DateTime<Utc>) -> i64 {
        self.0 = at.timestamp_millis().max(self.0 + 1);
        self.0
    }
}

fn whole_days(from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
    (to - from).num_seconds().div_euclid(86_400)
}

/// An interval as the revlog writes it: days when the card is in review, negative seconds
/// while it is (re)learning.
fn revlog_interval(snapshot: &CardSnapshot, at: DateTime<Utc>) -> i64 {
    match snapshot.state {
        CardState::Review => {
            let from = snapshot.last_review.unwrap_or(at);
            whole_days(from, snapshot.due).max(1)
        }
        CardState::Learning | CardState::Relearning => -(snapshot.due - at).num_seconds().max(0),
    }
}

fn review_row(review: &ExportedReview, card_id: i64, ids: &mut Ids) -> AnkiReview {
    let kind = match review.before.state {
        _ if review.before.reps == 0 => 0,
        CardState::Learning => 0,
        CardState::Review => 1,
        CardState::Relearning => 2,
    };
    AnkiReview {
        id: ids.next(review.reviewed_at),
        card_id,
        ease: i64::from(review.rating),
        interval: revlog_interval(&review.after, review.reviewed_at),
        last_interval: if review.before.reps == 0 {
            0
        } else {
            revlog_interval(
                &review.before,
                review.before.last_review.unwrap_or(review.reviewed_at),
            )
        },
        factor: FACTOR,
        time_ms: review
            .duration_ms
            .map_or(0, |d| i64::from(d).min(MAX_ANSWER_MS)),
        kind,
    }
}

/// Anki's FSRS memory state, when the card has one in Anki's ranges.
fn memory_state(card: &ExportedCard) -> String {
    match (card.card.schedule.stability, card.card.schedule.difficulty) {
        (Some(s), Some(d)) if s.is_finite() && d.is_finite() && s > 0.0 => {
            serde_json::json!({"s": s, "d": d.clamp(1.0, 10.0)}).to_string()
        }
        _ => String::new(),
    }
}

fn card_row(
    card: &ExportedCard,
    id: i64,
    note_id: i64,
    position: i64,
    created_secs: i64,
) -> AnkiCard {
    let c = &card.card;
    let s = &c.schedule;
    let crt = DateTime::from_timestamp(created_secs, 0).unwrap_or(DateTime::UNIX_EPOCH);
    let (kind, queue, due, interval, left) = if c.reps == 0 {
        (0, 0, position, 0, 0)
    } else {
        match s.state {
            CardState::Learning => (1, 1, s.due.timestamp(), 0, ONE_STEP_LEFT),
            CardState::Relearning => (
                3,
                1,
                s.due.timestamp(),
                s.stability.map_or(1, |st| (st.round() as i64).max(1)),
                ONE_STEP_LEFT,
            ),
            CardState::Review => {
                let from = s.last_review.unwrap_or(s.due);
                (
                    2,
                    2,
                    whole_days(crt, s.due),
                    whole_days(from, s.due).max(1),
                    0,
                )
            }
        }
    };
    AnkiCard {
        id,
        note_id,
        ord: ord(c.card_type),
        kind,
        queue: if c.suspended { -1 } else { queue },
        due,
        interval,
        factor: if kind == 0 { 0 } else { FACTOR },
        reps: i64::from(c.reps),
        lapses: i64::from(c.lapses),
        left,
        data: memory_state(card),
    }
}

/// The first value of `field` among the word's cards (the note shows one per field).
fn first_of(cards: &[&ExportedCard], field: impl Fn(&ExportedCard) -> Option<String>) -> String {
    cards
        .iter()
        .find_map(|c| field(c))
        .map(|v| html(&v))
        .unwrap_or_default()
}

pub fn collection(contents: &DeckContents, now: DateTime<Utc>) -> AnkiCollection {
    let earliest = contents
        .cards
        .iter()
        .map(|c| c.card.created_at)
        .min()
        .unwrap_or(now)
        .min(now);
    let created_secs = earliest.timestamp() - earliest.timestamp().rem_euclid(86_400);
    // Words in the order their first card was added.
    let mut words = Vec::new();
    let mut of_word: HashMap<WordId, Vec<usize>> = HashMap::new();
    for (index, card) in contents.cards.iter().enumerate() {
        let entry = of_word.entry(card.card.word).or_default();
        if entry.is_empty() {
            words.push(card.card.word);
        }
        entry.push(index);
    }
    // Ids follow the order of creation (cards and reviews each in time order).
    let mut card_ids = Ids(0);
    let ids: Vec<i64> = contents
        .cards
        .iter()
        .map(|c| card_ids.next(c.card.created_at))
        .collect();
    let mut note_ids = Ids(0);
    let mut collection = AnkiCollection {
        created_secs,
        deck_id: contents.deck.created_at.timestamp_millis().max(2),
        notes: Vec::new(),
        cards: Vec::new(),
        reviews: Vec::new(),
    };
    let mut reviews: Vec<(&ExportedReview, i64)> = Vec::new();
    for (position, word) in words.iter().enumerate() {
        let cards: Vec<(&ExportedCard, i64)> = of_word
            .get(word)
            .into_iter()
            .flatten()
            .map(|&i| (&contents.cards[i], ids[i]))
            .collect();
        let Some((first, _)) = cards.first() else {
            continue;
        };
        let note_id = note_ids.next(first.card.created_at);
        let of_note: Vec<&ExportedCard> = cards.iter().map(|(c, _)| *c).collect();
        let tags: BTreeSet<String> = of_note
            .iter()
            .flat_map(|c| c.card.material.tags.as_strings())
            .collect();
        collection.notes.push(AnkiNote {
            id: note_id,
            guid: format!("lingo-{}", word.as_uuid().simple()),
            fields: [
                html(&first.word.lemma),
                first_of(&of_note, |c| c.translation.clone()),
                first_of(&of_note, |c| {
                    c.card.material.note.as_ref().map(|n| n.as_str().to_owned())
                }),
                first_of(&of_note, |c| {
                    c.card
                        .material
                        .source_sentence
                        .as_ref()
                        .map(|s| s.as_str().to_owned())
                }),
            ],
            tags: tags.into_iter().collect(),
        });
        let due_position = i64::try_from(position).unwrap_or(i64::MAX - 1) + 1;
        for (card, id) in cards {
            collection
                .cards
                .push(card_row(card, id, note_id, due_position, created_secs));
            reviews.extend(card.reviews.iter().map(|r| (r, id)));
        }
    }
    reviews.sort_by_key(|(r, _)| r.reviewed_at);
    let mut review_ids = Ids(0);
    collection.reviews = reviews
        .into_iter()
        .map(|(review, card_id)| review_row(review, card_id, &mut review_ids))
        .collect();
    collection
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_escaped_html_with_line_breaks() {
        assert_eq!(html("a < b & c\nd"), "a &lt; b &amp; c<br>d");
    }

    #[test]
    fn ids_increase_strictly_even_at_the_same_millisecond() {
        let at = DateTime::from_timestamp(1_700_000_000, 0).expect("time");
        let mut ids = Ids(0);
        let a = ids.next(at);
        let b = ids.next(at);
        assert_eq!(a, 1_700_000_000_000);
        assert_eq!(b, a + 1);
    }
}
