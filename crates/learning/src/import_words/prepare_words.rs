//! Rows of an uploaded file into what the store writes (pure): the word, the learner's material
//! on its cards, and per card of the deck its FSRS state folded from the Anki history of the
//! matching Anki card, with the log rows of that fold.
//!
//! Material is kept rather than refused where it can be: a translation too long for a custom
//! translation goes to the note, a note past its limit is cut, tags Lingo cannot hold are left
//! out (Anki's `a::b` hierarchy becomes `a:b`). Only a row without a usable word is an error.

use crate::Rating;
use crate::card::{CardSnapshot, CardType};
use crate::card_material::{
    CardMaterial, CardNote, CustomTranslation, MAX_NOTE_CHARS, MAX_TAGS, MaterialError, Tag, Tags,
};
use crate::fold_reviews::{FoldStep, LeechRule, fold};
use crate::import_words::anki_history::replayable_reviews;
use crate::import_words::{ListedWord, RowError};
use crate::ports::WordRef;
use crate::scheduler::Scheduler;
use chrono::{DateTime, Utc};
use lingo_kernel::{CardId, LanguageCode, WordId};

/// One review of an imported card's history, with the card before and after it.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedReview {
    /// `anki:<card id>:<revlog id>`: unique per learner, the same on a retry of the same card.
    pub client_review_id: String,
    pub rating: Rating,
    pub reviewed_at: DateTime<Utc>,
    pub before: CardSnapshot,
    pub after: CardSnapshot,
}

/// A card to create for an imported word.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedCard {
    pub id: CardId,
    pub card_type: CardType,
    /// The card's schedule: unreviewed and due now, or where its history left it.
    pub schedule: CardSnapshot,
    pub reviews: Vec<ImportedReview>,
}

/// A word to add to the deck, with its material and cards.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedWord {
    pub word: WordRef,
    pub material: CardMaterial,
    pub cards: Vec<ImportedCard>,
}

/// What the store did with one imported word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoredWord {
    pub word_id: WordId,
    /// 0 when the deck held the word already: its cards are left as they were.
    pub cards_created: usize,
    pub reviews_stored: usize,
}

/// The rows that make words, and the ones that do not.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PreparedRows {
    pub words: Vec<ImportedWord>,
    pub errors: Vec<RowError>,
}

/// Which Lingo card an Anki card's template becomes: the first template (front to back, the
/// word asked) is recognition, the second (the reverse) recall; others have no match.
pub fn card_type_of_template(template: u32) -> Option<CardType> {
    match template {
        0 => Some(CardType::Recognition),
        1 => Some(CardType::Recall),
        _ => None,
    }
}

/// Everything the store needs for `rows`, in their order.
pub fn prepare(
    rows: &[ListedWord],
    language: &LanguageCode,
    card_types: &[CardType],
    scheduler: &Scheduler,
    leeches: LeechRule,
    now: DateTime<Utc>,
) -> PreparedRows {
    let mut prepared = PreparedRows::default();
    for row in rows {
        match prepare_one(row, language, card_types, scheduler, leeches, now) {
            Ok(word) => prepared.words.push(word),
            Err(error) => prepared.errors.push(error),
        }
    }
    prepared
}

fn prepare_one(
    row: &ListedWord,
    language: &LanguageCode,
    card_types: &[CardType],
    scheduler: &Scheduler,
    leeches: LeechRule,
    now: DateTime<Utc>,
) -> Result<ImportedWord, RowError> {
    let lemma = lingo_dictionary::LearnerLemma::parse(&row.lemma)
        .map_err(|e| row.error(format!("word {:?}: {e}", shorten(&row.lemma))))?;
    let cards = card_types
        .iter()
        .map(|card_type| card(row, *card_type, scheduler, leeches, now))
        .collect();
    Ok(ImportedWord {
        word: WordRef::Lemma {
            language: language.clone(),
            lemma,
        },
        material: material(row),
        cards,
    })
}

fn card(
    row: &ListedWord,
    card_type: CardType,
    scheduler: &Scheduler,
    leeches: LeechRule,
    now: DateTime<Utc>,
) -> ImportedCard {
    let id = CardId::new();
    let history = row
        .cards
        .iter()
        .find(|c| card_type_of_template(c.template) == Some(card_type))
        .map(|c| replayable_reviews(&c.revlog, now))
        .unwrap_or_default();
    let Some(first) = history.first() else {
        return ImportedCard {
            id,
            card_type,
            schedule: CardSnapshot::unreviewed(now),
            reviews: Vec::new(),
        };
    };
    let client_ids: Vec<String> = history
        .iter()
        .map(|r| format!("anki:{id}:{}", r.revlog_id))
        .collect();
    let steps: Vec<FoldStep<'_>> = history
        .iter()
        .zip(&client_ids)
        .map(|(review, client_review_id)| FoldStep {
            client_review_id,
            rating: review.rating,
            reviewed_at: review.reviewed_at,
        })
        .collect();
    let base = CardSnapshot::unreviewed(first.reviewed_at);
    let folded = fold(scheduler, id, &base, &steps, leeches);
    let schedule = folded.last().map_or(base, |f| f.after.clone());
    let reviews = folded
        .into_iter()
        .zip(steps.iter().zip(&client_ids))
        .map(|(f, (step, client_review_id))| ImportedReview {
            client_review_id: client_review_id.clone(),
            rating: step.rating,
            reviewed_at: step.reviewed_at,
            before: f.before,
            after: f.after,
        })
        .collect();
    ImportedCard {
        id,
        card_type,
        schedule,
        reviews,
    }
}

/// The text of an optional cell, `None` when blank.
fn blank(text: &Option<String>) -> Option<&str> {
    text.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

fn material(row: &ListedWord) -> CardMaterial {
    let (translation, overflow) = match blank(&row.translation) {
        None => (None, None),
        Some(text) => match CustomTranslation::parse(text) {
            Ok(t) => (Some(t), None),
            // Too long (or with a line break) for a translation: the learner keeps it as a note.
            Err(_) => (None, Some(text.to_owned())),
        },
    };
    let note_text = [overflow.as_deref(), blank(&row.note)]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("\n\n");
    CardMaterial {
        note: note(&note_text),
        translation,
        tags: tags(&row.tags),
        source_sentence: None,
    }
}

fn note(text: &str) -> Option<CardNote> {
    match CardNote::parse(text) {
        Ok(note) => Some(note),
        Err(MaterialError::TooLong(_)) => {
            let cut: String = text.chars().take(MAX_NOTE_CHARS - 1).collect();
            CardNote::parse(&format!("{}…", cut.trim_end())).ok()
        }
        Err(_) => None,
    }
}

fn tags(raw: &[String]) -> Tags {
    let mut valid: Vec<String> = raw
        .iter()
        .filter_map(|t| Tag::parse(&t.replace("::", ":")).ok())
        .map(|t| t.as_str().to_owned())
        .collect();
    valid.sort();
    valid.dedup();
    valid.truncate(MAX_TAGS);
    Tags::parse(&valid).unwrap_or_default()
}

fn shorten(text: &str) -> String {
    const SHOWN: usize = 40;
    if text.chars().count() <= SHOWN {
        text.to_owned()
    } else {
        format!("{}…", text.chars().take(SHOWN).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import_words::{ListedCard, RevlogEntry};
    use crate::scheduler::{CardState, SchedulerConfig};

    const LEECHES: LeechRule = LeechRule {
        threshold: 8,
        suspend: true,
    };

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-06-01T12:00:00Z")
            .expect("valid")
            .with_timezone(&Utc)
    }

    fn scheduler() -> Scheduler {
        Scheduler::new(SchedulerConfig::default()).expect("valid")
    }

    fn row(lemma: &str) -> ListedWord {
        ListedWord {
            line: Some(2),
            note_id: None,
            lemma: lemma.into(),
            translation: None,
            note: None,
            tags: Vec::new(),
            cards: Vec::new(),
        }
    }

    fn english() -> LanguageCode {
        LanguageCode::parse("en").expect("valid")
    }

    fn both() -> [CardType; 2] {
        [CardType::Recognition, CardType::Recall]
    }

    #[test]
    fn a_row_makes_one_unreviewed_card_per_card_type_of_the_deck() {
        let mut with = row("resilient");
        with.translation = Some("مقاوم".into());
        with.note = Some("from the IELTS list".into());
        let prepared = prepare(&[with], &english(), &both(), &scheduler(), LEECHES, now());
        assert!(prepared.errors.is_empty());
        let word = &prepared.words[0];
        assert_eq!(word.cards.len(), 2);
        assert!(
            word.cards
                .iter()
                .all(|c| c.reviews.is_empty() && c.schedule == CardSnapshot::unreviewed(now()))
        );
        assert_eq!(
            word.material.translation.as_ref().map(|t| t.as_str()),
            Some("مقاوم")
        );
        assert_eq!(
            word.material.note.as_ref().map(|n| n.as_str()),
            Some("from the IELTS list")
        );
    }

    #[test]
    fn a_row_without_a_usable_word_is_reported_with_its_line() {
        let prepared = prepare(
            &[row("   "), row("ok")],
            &english(),
            &both(),
            &scheduler(),
            LEECHES,
            now(),
        );
        assert_eq!(prepared.words.len(), 1);
        assert_eq!(prepared.errors.len(), 1);
        assert_eq!(prepared.errors[0].line, Some(2));
        assert!(prepared.errors[0].reason.starts_with("word"));
    }

    #[test]
    fn a_translation_too_long_for_one_becomes_the_note_and_bad_tags_are_dropped() {
        let mut long = row("thrive");
        long.translation = Some("x".repeat(300));
        long.note = Some("mine".into());
        long.tags = vec!["book::dune".into(), "bad tag!".into(), "IELTS".into()];
        let prepared = prepare(&[long], &english(), &both(), &scheduler(), LEECHES, now());
        let material = &prepared.words[0].material;
        assert!(material.translation.is_none());
        let note = material.note.as_ref().expect("a note").as_str();
        assert!(note.starts_with("xxx") && note.ends_with("\n\nmine"));
        assert_eq!(material.tags.as_strings(), ["book:dune", "ielts"]);
    }

    #[test]
    fn an_anki_history_becomes_the_fsrs_state_of_the_matching_card_only() {
        let t0 = DateTime::parse_from_rfc3339("2026-03-01T08:00:00Z")
            .expect("valid")
            .with_timezone(&Utc)
            .timestamp_millis();
        let day = 86_400_000;
        let mut reviewed = row("house");
        reviewed.cards = vec![ListedCard {
            template: 0,
            revlog: vec![
                RevlogEntry {
                    id: t0,
                    ease: 3,
                    kind: 0,
                    interval: -600,
                },
                RevlogEntry {
                    id: t0 + day,
                    ease: 3,
                    kind: 0,
                    interval: 3,
                },
                RevlogEntry {
                    id: t0 + 5 * day,
                    ease: 1,
                    kind: 1,
                    interval: -600,
                },
                RevlogEntry {
                    id: t0 + 6 * day,
                    ease: 3,
                    kind: 2,
                    interval: 2,
                },
            ],
        }];
        let prepared = prepare(
            &[reviewed],
            &english(),
            &both(),
            &scheduler(),
            LEECHES,
            now(),
        );
        let cards = &prepared.words[0].cards;
        let recognition = &cards[0];
        assert_eq!(recognition.card_type, CardType::Recognition);
        assert_eq!(recognition.reviews.len(), 4);
        assert_eq!(recognition.schedule.reps, 4);
        assert_eq!(recognition.schedule.state, CardState::Review);
        assert!(recognition.schedule.stability.is_some());
        assert_eq!(
            recognition
                .schedule
                .last_review
                .map(|t| t.timestamp_millis()),
            Some(t0 + 6 * day)
        );
        assert_eq!(
            recognition.reviews[0].client_review_id,
            format!("anki:{}:{t0}", recognition.id)
        );
        assert_eq!(recognition.reviews[1].before, recognition.reviews[0].after);
        // The recall card has no Anki card of its own: it starts new.
        assert!(cards[1].reviews.is_empty());
        assert_eq!(cards[1].schedule, CardSnapshot::unreviewed(now()));
    }
}
