//! Grading an answer (tolerant of case, diacritics, letter variants and small typos) and turning
//! the grade and the time taken into an FSRS rating.

use super::question::{Answer, Expected, Outcome, Question, QuestionKind};
use crate::Rating;
use lingo_dictionary::normalise::fold_key;
use lingo_kernel::CardId;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// When an answer counts as slow (→ Hard) or fast (→ Easy).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuizSettings {
    pub slow_ms: u32,
    pub fast_ms: u32,
}

impl Default for QuizSettings {
    fn default() -> Self {
        Self {
            slow_ms: 15_000,
            fast_ms: 4_000,
        }
    }
}

/// The form two spellings of one answer share: folded (case, Arabic-script variants), without
/// diacritics, zero-width joiners or surrounding punctuation, whitespace collapsed.
pub fn fold_answer(text: &str) -> String {
    let folded: String = fold_key(text)
        .nfd()
        .filter(|c| !is_combining_mark(*c) && *c != '\u{200C}')
        .nfc()
        .collect();
    folded
        .trim_matches(|c: char| c.is_whitespace() || c.is_ascii_punctuation() || is_punct(c))
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn is_punct(c: char) -> bool {
    // Arabic comma, semicolon, question mark, full stop; quotes and dashes.
    matches!(
        c,
        '،' | '؛' | '؟' | '۔' | '«' | '»' | '“' | '”' | '‘' | '’' | '…' | '–' | '—'
    )
}

/// Damerau–Levenshtein distance (optimal string alignment) over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    bounded_distance(&a, &b, usize::MAX).unwrap_or(usize::MAX)
}

/// The edit distance when it is at most `max`, else `None`, found without building the whole
/// matrix: answers whose lengths differ by more than `max` are refused at once, and the walk
/// stops at the first row whose every cell exceeds `max` (cells never decrease down a column
/// path). Memory is three rows of `|b| + 1`, time at most `|a| × |b|`, so a long answer costs
/// little when it is far from the expected word (issue 12, item 6).
pub fn edit_distance_within(a: &str, b: &str, max: usize) -> Option<usize> {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    bounded_distance(&a, &b, max)
}

fn bounded_distance(a: &[char], b: &[char], max: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let width = b.len() + 1;
    let mut before: Vec<usize> = vec![0; width];
    let mut previous: Vec<usize> = (0..width).collect();
    let mut current: Vec<usize> = vec![0; width];
    for i in 1..=a.len() {
        current[0] = i;
        let mut row_min = current[0];
        for j in 1..width {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (previous[j] + 1)
                .min(current[j - 1] + 1)
                .min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(before[j - 2] + 1);
            }
            current[j] = best;
            row_min = row_min.min(best);
        }
        // A transposition reaches back two rows, so this row's minimum bounds the rest only
        // together with the previous one's.
        let prev_min = previous.iter().copied().min().unwrap_or(0);
        if row_min > max && prev_min > max {
            return None;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    let distance = previous[b.len()];
    (distance <= max).then_some(distance)
}

/// A typed answer: exact (after folding) is correct, a typo or two away is almost.
pub fn grade_typed(expected: &str, given: &str) -> Outcome {
    let (expected, given) = (fold_answer(expected), fold_answer(given));
    if given.is_empty() {
        return Outcome::Wrong;
    }
    if expected == given {
        return Outcome::Correct;
    }
    let tolerance = if expected.chars().count() >= 8 { 2 } else { 1 };
    if edit_distance_within(&expected, &given, tolerance).is_some() {
        Outcome::Almost
    } else {
        Outcome::Wrong
    }
}

/// A chosen option: right or wrong.
pub fn grade_choice(expected: &str, given: &str) -> Outcome {
    if fold_answer(expected) == fold_answer(given) {
        Outcome::Correct
    } else {
        Outcome::Wrong
    }
}

pub fn rating(outcome: Outcome, duration_ms: u32, settings: QuizSettings) -> Rating {
    match outcome {
        Outcome::Wrong => Rating::Again,
        Outcome::Almost => Rating::Hard,
        Outcome::Correct if duration_ms > settings.slow_ms => Rating::Hard,
        Outcome::Correct if duration_ms < settings.fast_ms => Rating::Easy,
        Outcome::Correct => Rating::Good,
    }
}

/// One card's grade.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CardGrade {
    pub card_id: CardId,
    pub outcome: Outcome,
    pub rating: Rating,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("question {0} takes {1}")]
pub struct WrongShape(pub u32, pub &'static str);

/// Grades `answer` to `question`: one grade per card (a matching question's time is shared
/// equally by its pairs).
pub fn grade(
    question: &Question,
    answer: &Answer,
    duration_ms: u32,
    settings: QuizSettings,
) -> Result<Vec<CardGrade>, WrongShape> {
    let kind = question.kind();
    match (&question.expected, answer) {
        (Expected::Text { answer: expected }, Answer::Text(given)) => {
            let outcome = match kind {
                QuestionKind::MeaningToWord | QuestionKind::WordToMeaning => {
                    grade_choice(expected, given)
                }
                _ => grade_typed(expected, given),
            };
            Ok(question
                .card_ids
                .iter()
                .map(|card_id| CardGrade {
                    card_id: *card_id,
                    outcome,
                    rating: rating(outcome, duration_ms, settings),
                })
                .collect())
        }
        (Expected::Pairs { pairs }, Answer::Pairs(given)) => {
            let share = duration_ms / u32::try_from(pairs.len().max(1)).unwrap_or(1);
            Ok(pairs
                .iter()
                .map(|pair| {
                    let chosen = given
                        .iter()
                        .find(|(word, _)| fold_answer(word) == fold_answer(&pair.word))
                        .map(|(_, meaning)| meaning.as_str())
                        .unwrap_or_default();
                    let outcome = grade_choice(&pair.meaning, chosen);
                    CardGrade {
                        card_id: pair.card_id,
                        outcome,
                        rating: rating(outcome, share, settings),
                    }
                })
                .collect())
        }
        (Expected::Pairs { .. }, Answer::Text(_)) => {
            Err(WrongShape(question.position, "an object of word → meaning"))
        }
        (Expected::Text { .. }, Answer::Pairs(_)) => Err(WrongShape(question.position, "a string")),
    }
}

/// The question's outcome: its worst card's.
pub fn overall(grades: &[CardGrade]) -> (Outcome, Rating) {
    let outcome = if grades.iter().any(|g| g.outcome == Outcome::Wrong) {
        Outcome::Wrong
    } else if grades.iter().any(|g| g.outcome == Outcome::Almost) {
        Outcome::Almost
    } else {
        Outcome::Correct
    };
    let rating = grades
        .iter()
        .map(|g| g.rating)
        .min()
        .unwrap_or(Rating::Again);
    (outcome, rating)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quiz::question::{Pair, Prompt};
    use std::collections::BTreeMap;

    #[test]
    fn the_bounded_distance_agrees_with_the_full_one_within_the_bound() {
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "abc",
            "acb",
            "house",
            "hoose",
            "huose",
            "horse",
            "mouse",
            "houses",
            "resilient",
            "resilinet",
            "reslient",
            "کتاب",
            "كتاب",
        ];
        for a in words {
            for b in words {
                let full = edit_distance(a, b);
                for max in 0..=3 {
                    let expected = (full <= max).then_some(full);
                    assert_eq!(
                        edit_distance_within(a, b, max),
                        expected,
                        "{a:?} {b:?} {max}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_bounded_distance_gives_up_early_past_the_bound() {
        // Lengths three apart: refused before any cell is computed.
        assert_eq!(edit_distance_within("house", "houseabc", 2), None);
        // Same length, nothing in common: stops after the first rows.
        let long = "x".repeat(200);
        let other = "y".repeat(200);
        assert_eq!(edit_distance_within(&long, &other, 2), None);
        assert_eq!(grade_typed("house", &"z".repeat(200)), Outcome::Wrong);
    }

    #[test]
    fn case_diacritics_and_punctuation_do_not_matter() {
        assert_eq!(grade_typed("House", "  house. "), Outcome::Correct);
        assert_eq!(grade_typed("café", "CAFE"), Outcome::Correct);
        assert_eq!(grade_typed("naïve", "naive!"), Outcome::Correct);
    }

    #[test]
    fn persian_and_arabic_letter_variants_are_one() {
        // Arabic kaf and yeh against the Persian keheh and yeh; harakat; a ZWNJ.
        assert_eq!(grade_typed("کتاب", "كتاب"), Outcome::Correct);
        assert_eq!(grade_typed("علی", "علي"), Outcome::Correct);
        assert_eq!(grade_typed("بیت", "بَيْت"), Outcome::Correct);
        assert_eq!(grade_typed("کتاب\u{200C}ها", "کتابها"), Outcome::Correct);
        assert_eq!(grade_typed("خانه", "خانه؟"), Outcome::Correct);
    }

    #[test]
    fn a_small_edit_distance_is_almost() {
        assert_eq!(grade_typed("house", "hous"), Outcome::Almost);
        assert_eq!(grade_typed("house", "huose"), Outcome::Almost);
        assert_eq!(grade_typed("house", "hose"), Outcome::Almost);
        assert_eq!(grade_typed("house", "mouse"), Outcome::Almost);
        assert_eq!(grade_typed("house", "horse!s"), Outcome::Wrong);
        assert_eq!(grade_typed("house", "hut"), Outcome::Wrong);
        assert_eq!(grade_typed("house", ""), Outcome::Wrong);
        // Long words allow two edits.
        assert_eq!(grade_typed("elephant", "elefant"), Outcome::Almost);
        assert_eq!(grade_typed("elephant", "elefenz"), Outcome::Wrong);
        assert_eq!(edit_distance("ab", "ba"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    #[test]
    fn choices_are_right_or_wrong() {
        assert_eq!(grade_choice("bank", "Bank"), Outcome::Correct);
        assert_eq!(grade_choice("bank", "banc"), Outcome::Wrong);
    }

    #[test]
    fn thresholds_turn_grades_into_ratings() {
        let s = QuizSettings::default();
        assert_eq!(rating(Outcome::Wrong, 1_000, s), Rating::Again);
        assert_eq!(rating(Outcome::Almost, 1_000, s), Rating::Hard);
        assert_eq!(rating(Outcome::Correct, 20_000, s), Rating::Hard);
        assert_eq!(rating(Outcome::Correct, 8_000, s), Rating::Good);
        assert_eq!(rating(Outcome::Correct, 2_000, s), Rating::Easy);
        let strict = QuizSettings {
            slow_ms: 5_000,
            fast_ms: 1_000,
        };
        assert_eq!(rating(Outcome::Correct, 8_000, strict), Rating::Hard);
        assert_eq!(rating(Outcome::Correct, 2_000, strict), Rating::Good);
    }

    fn question(prompt: Prompt, expected: Expected, cards: Vec<CardId>) -> Question {
        Question {
            position: 1,
            card_ids: cards,
            prompt,
            expected,
            result: None,
        }
    }

    #[test]
    fn matching_grades_each_pair_and_shares_the_time() {
        let (a, b) = (CardId::new(), CardId::new());
        let q = question(
            Prompt::Matching {
                words: vec![],
                meanings: vec![],
            },
            Expected::Pairs {
                pairs: vec![
                    Pair {
                        card_id: a,
                        word: "bank".into(),
                        meaning: "بانک".into(),
                    },
                    Pair {
                        card_id: b,
                        word: "house".into(),
                        meaning: "خانه".into(),
                    },
                ],
            },
            vec![a, b],
        );
        let answer = Answer::Pairs(BTreeMap::from([
            ("Bank".to_owned(), "بانک".to_owned()),
            ("house".to_owned(), "بانک".to_owned()),
        ]));
        let grades = grade(&q, &answer, 6_000, QuizSettings::default()).expect("graded");
        assert_eq!(grades[0].outcome, Outcome::Correct);
        // 3 s per pair: fast.
        assert_eq!(grades[0].rating, Rating::Easy);
        assert_eq!(grades[1].rating, Rating::Again);
        assert_eq!(overall(&grades), (Outcome::Wrong, Rating::Again));
        assert!(grade(&q, &Answer::Text("bank".into()), 1, QuizSettings::default()).is_err());
    }

    #[test]
    fn typed_kinds_tolerate_typos_and_choices_do_not() {
        let card = CardId::new();
        let typing = question(
            Prompt::Typing {
                meaning: "خانه".into(),
            },
            Expected::Text {
                answer: "house".into(),
            },
            vec![card],
        );
        let grades = grade(
            &typing,
            &Answer::Text("hous".into()),
            1_000,
            QuizSettings::default(),
        )
        .expect("graded");
        assert_eq!(
            (grades[0].outcome, grades[0].rating),
            (Outcome::Almost, Rating::Hard)
        );
        let choice = question(
            Prompt::MeaningToWord {
                meaning: "خانه".into(),
                options: vec![],
            },
            Expected::Text {
                answer: "house".into(),
            },
            vec![card],
        );
        let grades = grade(
            &choice,
            &Answer::Text("hous".into()),
            1_000,
            QuizSettings::default(),
        )
        .expect("graded");
        assert_eq!(grades[0].outcome, Outcome::Wrong);
    }
}
