//! The part of speech a token's left neighbours ask for, where that is cheap to tell: English
//! function words (a closed class, listed here) and the adjectives the dictionary already
//! returned for the text. "a proud rose" → a noun; "she rose" → a verb.

use super::english::{Hint, Known, WordClass};

/// Articles, demonstratives, possessives and quantifiers: a noun phrase follows. "that" and
/// "her" are left out: they are as often a conjunction or an object.
const DETERMINERS: &[&str] = &[
    "a", "an", "the", "this", "these", "those", "my", "your", "his", "its", "our", "their", "some",
    "any", "no", "every", "each", "another", "either", "neither", "whose", "several", "many",
    "few",
];

/// Subject pronouns, auxiliaries, modals and the infinitive marker: a verb follows.
const BEFORE_VERBS: &[&str] = &[
    "i",
    "you",
    "he",
    "she",
    "it",
    "we",
    "they",
    "who",
    "to",
    "am",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "being",
    "has",
    "have",
    "had",
    "having",
    "do",
    "does",
    "did",
    "will",
    "would",
    "shall",
    "should",
    "can",
    "could",
    "may",
    "might",
    "must",
    "not",
    "never",
    "don't",
    "doesn't",
    "didn't",
    "won't",
    "wouldn't",
    "can't",
    "couldn't",
    "shouldn't",
    "isn't",
    "aren't",
    "wasn't",
    "weren't",
    "hasn't",
    "haven't",
    "hadn't",
    "i'm",
    "you're",
    "he's",
    "she's",
    "it's",
    "we're",
    "they're",
    "i've",
    "you've",
    "we've",
    "they've",
    "i'd",
    "you'd",
    "he'd",
    "she'd",
    "we'd",
    "they'd",
    "i'll",
    "you'll",
    "he'll",
    "she'll",
    "we'll",
    "they'll",
];

fn is_determiner(token: &str) -> bool {
    DETERMINERS.contains(&token)
}

/// An adjective that cannot be a verb (so "the proud rose" is read as a noun phrase but "the
/// dog left" is not forced).
fn is_adjective(token: &str, known: &Known) -> bool {
    let mut classes = known.classes(token).peekable();
    classes.peek().is_some()
        && known.has(token, WordClass::Adjective)
        && !known.has(token, WordClass::Verb)
}

/// The hint for each of `tokens` (fold keys, in text order) from the one or two before it.
pub fn hints(tokens: &[String], known: &Known) -> Vec<Hint> {
    (0..tokens.len())
        .map(|i| {
            let before = |back: usize| i.checked_sub(back).map(|j| tokens[j].as_str());
            match (before(1), before(2)) {
                (Some(previous), _) if is_determiner(previous) => Hint::Nominal,
                (Some(previous), _) if BEFORE_VERBS.contains(&previous) => Hint::Verbal,
                (Some(previous), Some(earlier))
                    if is_adjective(previous, known) && is_determiner(earlier) =>
                {
                    Hint::Nominal
                }
                _ => Hint::None,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entry::PartOfSpeech;

    fn tokens(text: &str) -> Vec<String> {
        text.split(' ').map(str::to_owned).collect()
    }

    #[test]
    fn determiners_and_adjectives_ask_for_nouns_pronouns_for_verbs() {
        let mut known = Known::default();
        known
            .parts_of_speech
            .insert("proud".into(), vec![PartOfSpeech::parse("adjective")]);
        let h = hints(&tokens("a proud rose she rose"), &known);
        assert_eq!(
            h,
            [
                Hint::None,
                Hint::Nominal,
                Hint::Nominal,
                Hint::None,
                Hint::Verbal
            ]
        );
    }

    #[test]
    fn an_adjective_that_is_also_a_verb_gives_no_hint() {
        let mut known = Known::default();
        known.parts_of_speech.insert(
            "clean".into(),
            vec![
                PartOfSpeech::parse("adjective"),
                PartOfSpeech::parse("verb"),
            ],
        );
        assert_eq!(hints(&tokens("the clean saw"), &known)[2], Hint::None);
    }
}
