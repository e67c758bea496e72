//! The readings of an English form and the choice between them.
//!
//! A form can be several words: "rose" is the noun (a headword of its own) and the past of
//! "rise" (WordNet's verb exception list); "reaching" is a WordNet noun and the -ing form of
//! "reach". Every reading is kept — the exception lists (per part of speech), the form itself
//! when the dictionary has it with a part of speech, and the suffix rules (WordNet's morphy plus
//! the spelling changes morphy leaves to its exception lists: doubled consonants, -ied, -ier,
//! -iest, -ves, -cked), each rule checked against the headwords of the part of speech it makes —
//! and [`choose`] ranks them by the part of speech the context asks for, then by frequency.

use crate::entry::PartOfSpeech;
use crate::frequency::Zipf;
use std::collections::HashMap;
use std::sync::LazyLock;

/// The word classes the rules and exception lists produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WordClass {
    Noun,
    Verb,
    Adjective,
    Adverb,
}

impl WordClass {
    pub fn part_of_speech(self) -> PartOfSpeech {
        PartOfSpeech::parse(match self {
            Self::Noun => "noun",
            Self::Verb => "verb",
            Self::Adjective => "adjective",
            Self::Adverb => "adverb",
        })
    }

    fn of(part_of_speech: &PartOfSpeech) -> Option<Self> {
        match part_of_speech.as_str() {
            "noun" => Some(Self::Noun),
            "verb" => Some(Self::Verb),
            "adjective" => Some(Self::Adjective),
            "adverb" => Some(Self::Adverb),
            _ => None,
        }
    }
}

const EXCEPTION_LISTS: [(WordClass, &str); 4] = [
    (WordClass::Noun, include_str!("../../data/wordnet/noun.exc")),
    (WordClass::Verb, include_str!("../../data/wordnet/verb.exc")),
    (
        WordClass::Adjective,
        include_str!("../../data/wordnet/adj.exc"),
    ),
    (
        WordClass::Adverb,
        include_str!("../../data/wordnet/adv.exc"),
    ),
];

/// form → (lemma, class), from WordNet's exception lists in their order (`_` joins multi-word
/// forms there).
static EXCEPTIONS: LazyLock<HashMap<String, Vec<(String, WordClass)>>> = LazyLock::new(|| {
    let mut map: HashMap<String, Vec<(String, WordClass)>> = HashMap::new();
    for (class, list) in EXCEPTION_LISTS {
        for line in list.lines() {
            let mut words = line.split_whitespace().map(|w| w.replace('_', " "));
            let Some(form) = words.next() else { continue };
            let lemmas = map.entry(form).or_default();
            for lemma in words {
                if !lemmas.contains(&(lemma.clone(), class)) {
                    lemmas.push((lemma, class));
                }
            }
        }
    }
    map
});

/// WordNet's exception-list lemmas of an English form with their class, in list order (noun,
/// verb, adjective, adverb).
pub fn exceptions(form: &str) -> &'static [(String, WordClass)] {
    EXCEPTIONS.get(form).map(Vec::as_slice).unwrap_or(&[])
}

/// Detachment rules: (suffix, replacement, class the result must be). WordNet's morphy rules,
/// then the regular spellings its exception lists spell out one by one.
const SUFFIX_RULES: &[(&str, &str, WordClass)] = &[
    ("ses", "s", WordClass::Noun),
    ("xes", "x", WordClass::Noun),
    ("zes", "z", WordClass::Noun),
    ("ches", "ch", WordClass::Noun),
    ("shes", "sh", WordClass::Noun),
    ("men", "man", WordClass::Noun),
    ("ies", "y", WordClass::Noun),
    ("ves", "f", WordClass::Noun),
    ("ves", "fe", WordClass::Noun),
    ("s", "", WordClass::Noun),
    ("ies", "y", WordClass::Verb),
    ("s", "", WordClass::Verb),
    ("es", "e", WordClass::Verb),
    ("es", "", WordClass::Verb),
    ("ied", "y", WordClass::Verb),
    ("cked", "c", WordClass::Verb),
    ("ed", "e", WordClass::Verb),
    ("ed", "", WordClass::Verb),
    ("ying", "ie", WordClass::Verb),
    ("cking", "c", WordClass::Verb),
    ("ing", "e", WordClass::Verb),
    ("ing", "", WordClass::Verb),
    ("ier", "y", WordClass::Adjective),
    ("iest", "y", WordClass::Adjective),
    ("er", "", WordClass::Adjective),
    ("est", "", WordClass::Adjective),
    ("er", "e", WordClass::Adjective),
    ("est", "e", WordClass::Adjective),
    ("er", "", WordClass::Adverb),
    ("est", "", WordClass::Adverb),
    ("er", "e", WordClass::Adverb),
    ("est", "e", WordClass::Adverb),
];

/// Suffixes that double a final consonant after one short vowel ("cut" → "cuttest", "hop" →
/// "hopped"): a one-syllable candidate ending so is not their plain base ("cutest" is not
/// "cut" + "est", "hoped" is not "hop" + "ed").
const DOUBLING_SUFFIXES: &[&str] = &["ed", "ing", "er", "est"];

/// Function words that end like inflections but are words of their own ("his" is not the plural
/// of "hi", "its" not a form of "it").
const FUNCTION_WORDS: &[&str] = &[
    "his",
    "its",
    "this",
    "thus",
    "us",
    "yes",
    "has",
    "as",
    "was",
    "is",
    "always",
    "perhaps",
    "sometimes",
    "besides",
    "towards",
    "afterwards",
    "whereas",
    "unless",
    "less",
    "across",
    "yours",
    "ours",
    "theirs",
    "hers",
    "during",
    "nothing",
    "something",
    "anything",
    "everything",
];

/// How much more frequent (in Zipf) than its lemma a form may be and still be read as its
/// inflection without context: 1.6 is about 40 times ("united" is still "unite", 5.47 against
/// 3.9); "data" (5.34) is not "datum" (2.52), nor "boss" (4.76) the plural of "bos" (3.07).
pub const PLAUSIBLE_MARGIN: f64 = 1.6;

/// Whether `word` ends in consonant–vowel–consonant with a single vowel group (one syllable),
/// the shape whose final consonant doubles before `DOUBLING_SUFFIXES`.
fn doubles_before_suffixes(word: &str) -> bool {
    let letters: Vec<char> = word.chars().collect();
    let vowel = |c: char| "aeiou".contains(c);
    let groups = letters
        .iter()
        .enumerate()
        .filter(|(i, c)| vowel(**c) && (*i == 0 || !vowel(letters[i - 1])))
        .count();
    match letters.as_slice() {
        [.., before, v, last] => {
            groups == 1 && !vowel(*before) && vowel(*v) && !vowel(*last) && !"wxy".contains(*last)
        }
        _ => false,
    }
}

/// Suffixes after which a doubled final consonant is undone: stopped → stop, running → run,
/// bigger → big.
const DOUBLING: &[(&str, WordClass)] = &[
    ("ed", WordClass::Verb),
    ("ing", WordClass::Verb),
    ("er", WordClass::Adjective),
    ("est", WordClass::Adjective),
];

/// Candidate (lemma, class) pairs from the suffix rules, in rule order, without duplicates.
pub fn suffix_candidates(form: &str) -> Vec<(String, WordClass)> {
    let mut out: Vec<(String, WordClass)> = Vec::new();
    let mut push = |candidate: String, class: WordClass| {
        // Keep at least two letters: "is" → "i" is noise.
        if candidate.chars().count() >= 2 && !out.contains(&(candidate.clone(), class)) {
            out.push((candidate, class));
        }
    };
    if FUNCTION_WORDS.contains(&form) {
        return out;
    }
    for (suffix, replacement, class) in SUFFIX_RULES {
        if let Some(stem) = form.strip_suffix(suffix)
            && stem.chars().count() >= 2
            && !(replacement.is_empty()
                && DOUBLING_SUFFIXES.contains(suffix)
                && doubles_before_suffixes(stem))
        {
            push(format!("{stem}{replacement}"), *class);
        }
    }
    for (suffix, class) in DOUBLING {
        if let Some(stem) = form.strip_suffix(suffix) {
            let mut letters = stem.chars().rev();
            if let (Some(last), Some(before)) = (letters.next(), letters.next())
                && last == before
                && !"aeiouwxy".contains(last)
                && last.is_alphabetic()
            {
                let mut undoubled = stem.to_owned();
                undoubled.pop();
                push(undoubled, *class);
            }
        }
    }
    out
}

/// Where a reading comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// WordNet's exception list for its class.
    Exception,
    /// The form is a headword of this class itself.
    Headword,
    /// A suffix rule whose result is a headword of the rule's class.
    Rule,
    /// A suffix rule whose result only a list without parts of speech knows (a bilingual
    /// dictionary's headword, the frequency list).
    Guess,
}

/// One way to read a form.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    pub lemma: String,
    pub class: WordClass,
    pub origin: Origin,
}

impl Reading {
    fn is_inflection(&self) -> bool {
        matches!(self.origin, Origin::Exception | Origin::Rule)
    }
}

/// What the stores know about the words asked for: the parts of speech of their rows (an
/// unknown one for rows without) and their Zipf values, by fold key.
#[derive(Debug, Clone, Default)]
pub struct Known {
    pub parts_of_speech: HashMap<String, Vec<PartOfSpeech>>,
    pub zipf: HashMap<String, Zipf>,
}

impl Known {
    pub fn has(&self, word: &str, class: WordClass) -> bool {
        self.classes(word).any(|c| c == class)
    }

    /// The word classes `word` has rows for.
    pub fn classes<'a>(&'a self, word: &str) -> impl Iterator<Item = WordClass> + 'a {
        self.parts_of_speech
            .get(word)
            .into_iter()
            .flatten()
            .filter_map(WordClass::of)
    }

    /// Whether a row without a part of speech, or the frequency list, knows `word`.
    fn listed(&self, word: &str) -> bool {
        self.parts_of_speech.contains_key(word) || self.zipf.contains_key(word)
    }

    /// A lemma much rarer than its form is another word ([`PLAUSIBLE_MARGIN`]). A form the
    /// frequency list knows needs a lemma it knows too.
    fn plausible(&self, form: &str, lemma: &str) -> bool {
        match (self.zipf.get(form), self.zipf.get(lemma)) {
            (Some(f), Some(l)) => f.get() <= l.get() + PLAUSIBLE_MARGIN,
            (Some(_), None) => false,
            (None, _) => true,
        }
    }
}

/// Every reading of `form`: exceptions, then the form itself, then the rules, then guesses.
pub fn readings(form: &str, known: &Known) -> Vec<Reading> {
    let mut out: Vec<Reading> = exceptions(form)
        .iter()
        .map(|(lemma, class)| Reading {
            lemma: lemma.clone(),
            class: *class,
            origin: Origin::Exception,
        })
        .collect();
    for class in known.classes(form) {
        out.push(Reading {
            lemma: form.to_owned(),
            class,
            origin: Origin::Headword,
        });
    }
    let rules = suffix_candidates(form);
    for (lemma, class) in &rules {
        if known.has(lemma, *class) {
            out.push(Reading {
                lemma: lemma.clone(),
                class: *class,
                origin: Origin::Rule,
            });
        }
    }
    for (lemma, class) in rules {
        if known.listed(&lemma) && !out.iter().any(|r| r.lemma == lemma) {
            out.push(Reading {
                lemma,
                class,
                origin: Origin::Guess,
            });
        }
    }
    out
}

/// The part of speech a form's neighbours ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hint {
    /// Nothing cheap to go on: the most frequent plausible reading.
    None,
    /// After a determiner or an adjective: a noun or an adjective.
    Nominal,
    /// After a subject pronoun, an auxiliary, a modal or "to": a verb.
    Verbal,
    /// A word looked up alone: the form itself when it is a headword.
    Headword,
}

fn first_of<'a>(
    readings: &'a [Reading],
    wanted: impl Fn(&Reading) -> bool,
    order: &[Origin],
) -> Option<&'a Reading> {
    order
        .iter()
        .find_map(|origin| readings.iter().find(|r| r.origin == *origin && wanted(r)))
}

/// The lemma of `form` among its `readings`, for a neighbourhood that asks for `hint`.
pub fn choose(form: &str, readings: &[Reading], hint: Hint, known: &Known) -> String {
    use Origin::{Exception, Guess, Headword, Rule};
    let chosen = match hint {
        Hint::Verbal => first_of(
            readings,
            |r| r.class == WordClass::Verb,
            &[Exception, Rule, Headword],
        ),
        Hint::Nominal => first_of(
            readings,
            |r| r.class != WordClass::Verb,
            &[Headword, Exception, Rule],
        ),
        Hint::Headword => first_of(readings, |_| true, &[Headword]),
        Hint::None => None,
    };
    chosen
        .or_else(|| {
            readings
                .iter()
                .find(|r| r.is_inflection() && known.plausible(form, &r.lemma))
        })
        .or_else(|| readings.iter().find(|r| r.origin == Headword))
        .or_else(|| {
            readings
                .iter()
                .find(|r| r.origin == Guess && known.plausible(form, &r.lemma))
        })
        .map_or_else(|| form.to_owned(), |r| r.lemma.clone())
}

/// The distinct lemmas of `form`, best first for `hint`, the form itself included when it is a
/// word of its own (a lookup shows the others as alternatives).
pub fn ranked(form: &str, readings: &[Reading], hint: Hint, known: &Known) -> Vec<String> {
    let mut out = vec![choose(form, readings, hint, known)];
    let mut add = |lemma: &str| {
        if !out.iter().any(|l| l == lemma) {
            out.push(lemma.to_owned());
        }
    };
    for reading in readings {
        if reading.origin != Origin::Guess || known.plausible(form, &reading.lemma) {
            add(&reading.lemma);
        }
    }
    add(form);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(rows: &[(&str, &[&str], Option<f64>)]) -> Known {
        let mut k = Known::default();
        for (word, pos, zipf) in rows {
            k.parts_of_speech.insert(
                (*word).to_owned(),
                pos.iter().map(|p| PartOfSpeech::parse(p)).collect(),
            );
            if let Some(z) = zipf {
                k.zipf
                    .insert((*word).to_owned(), Zipf::new(*z).expect("valid"));
            }
        }
        k
    }

    #[test]
    fn exception_lists_carry_their_class() {
        assert_eq!(exceptions("rose"), [("rise".to_owned(), WordClass::Verb)]);
        assert_eq!(exceptions("children")[0].0, "child");
        assert!(exceptions("house").is_empty());
    }

    #[test]
    fn suffix_rules_include_the_spelling_changes() {
        let lemmas =
            |f: &str| -> Vec<String> { suffix_candidates(f).into_iter().map(|(l, _)| l).collect() };
        assert!(lemmas("reaching").contains(&"reach".to_owned()));
        assert!(lemmas("stopped").contains(&"stop".to_owned()));
        assert!(lemmas("bigger").contains(&"big".to_owned()));
        assert!(lemmas("studied").contains(&"study".to_owned()));
        assert!(lemmas("happiest").contains(&"happy".to_owned()));
        assert!(lemmas("wolves").contains(&"wolf".to_owned()));
        assert!(lemmas("panicking").contains(&"panic".to_owned()));
        // "called" ends in a double letter of its own stem: no "cal" verb is proposed unless
        // the dictionary has one.
        assert!(lemmas("called").contains(&"call".to_owned()));
        assert!(lemmas("is").is_empty());
        assert!(lemmas("his").is_empty());
        // One short vowel before a consonant doubles it: "cutest" is "cute", "hoped" "hope".
        assert!(!lemmas("cutest").contains(&"cut".to_owned()));
        assert!(lemmas("cutest").contains(&"cute".to_owned()));
        assert!(!lemmas("hoped").contains(&"hop".to_owned()));
        assert!(lemmas("reached").contains(&"reach".to_owned()));
        assert!(lemmas("visited").contains(&"visit".to_owned()));
    }

    #[test]
    fn a_headword_is_kept_and_the_context_picks_between_readings() {
        let k = known(&[
            ("rose", &["noun", "adjective"], Some(4.82)),
            ("rise", &["noun", "verb"], Some(4.81)),
        ]);
        let r = readings("rose", &k);
        assert_eq!(choose("rose", &r, Hint::Nominal, &k), "rose");
        assert_eq!(choose("rose", &r, Hint::Verbal, &k), "rise");
        assert_eq!(choose("rose", &r, Hint::Headword, &k), "rose");
        assert_eq!(ranked("rose", &r, Hint::Headword, &k), ["rose", "rise"]);
    }

    #[test]
    fn without_context_a_much_rarer_lemma_loses_to_the_headword() {
        let k = known(&[
            ("data", &["noun"], Some(5.34)),
            ("datum", &["noun"], Some(2.52)),
            ("reaching", &["noun"], Some(4.46)),
            ("reach", &["noun", "verb"], Some(4.94)),
        ]);
        assert_eq!(
            choose("data", &readings("data", &k), Hint::None, &k),
            "data"
        );
        assert_eq!(
            choose("reaching", &readings("reaching", &k), Hint::None, &k),
            "reach"
        );
    }

    #[test]
    fn a_form_nothing_knows_stays_as_it_is() {
        let k = Known::default();
        assert_eq!(
            choose("blorks", &readings("blorks", &k), Hint::None, &k),
            "blorks"
        );
    }
}
