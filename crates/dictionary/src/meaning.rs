//! Which meaning of a word a learner is shown: a translation into their language when the
//! dictionaries have one, else the next step of the fallback chain configured for their
//! language (`LINGO_MEANING_FALLBACK`, e.g. `fa=definition,ar`: a Persian learner gets a Persian
//! translation, else the English definition, else an Arabic translation). Quizzes, the backs of
//! study cards and extractive content all choose through this one rule.

use crate::entry::{Entry, PartOfSpeech};
use lingo_kernel::LanguageCode;
use std::collections::HashMap;
use std::fmt;

/// One step of a chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MeaningSource {
    /// A translation into this language.
    Translation(LanguageCode),
    /// A definition (a gloss) in the word's own language.
    Definition,
}

impl fmt::Display for MeaningSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Translation(language) => write!(f, "a translation into {language}"),
            Self::Definition => f.write_str("a definition"),
        }
    }
}

/// A meaning found along a chain, with the step it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meaning {
    pub text: String,
    pub source: MeaningSource,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "expected `LANG=step,step;…` where LANG is a language code or `*` and a step is a language \
     code or `definition` ({0})"
)]
pub struct MeaningChainError(String);

/// The fallback chain of every learner language. The learner's own language always comes first;
/// a language without a chain of its own uses the `*` chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeaningChains {
    by_language: HashMap<String, Vec<MeaningSource>>,
    otherwise: Vec<MeaningSource>,
}

/// Persian learners read Arabic script and share much vocabulary with Arabic: after the English
/// definition, an Arabic translation is better than nothing.
pub const DEFAULT_MEANING_FALLBACK: &str = "fa=definition,ar;*=definition";

impl Default for MeaningChains {
    fn default() -> Self {
        Self {
            by_language: HashMap::new(),
            otherwise: vec![MeaningSource::Definition],
        }
    }
}

fn steps(spec: &str) -> Result<Vec<MeaningSource>, MeaningChainError> {
    spec.split(',')
        .map(str::trim)
        .map(|step| match step {
            "definition" => Ok(MeaningSource::Definition),
            code => LanguageCode::parse(code)
                .map(MeaningSource::Translation)
                .map_err(|e| MeaningChainError(format!("step '{code}': {e}"))),
        })
        .collect()
}

impl MeaningChains {
    /// `fa=definition,ar;*=definition`. An empty text is the default (definitions only).
    pub fn parse(spec: &str) -> Result<Self, MeaningChainError> {
        let mut chains = Self::default();
        for part in spec.split(';').map(str::trim).filter(|p| !p.is_empty()) {
            let (language, chain) = part
                .split_once('=')
                .ok_or_else(|| MeaningChainError(format!("'{part}' has no '='")))?;
            let chain = steps(chain)?;
            match language.trim() {
                "*" => chains.otherwise = chain,
                code => {
                    let code = LanguageCode::parse(code)
                        .map_err(|e| MeaningChainError(format!("'{code}': {e}")))?;
                    chains.by_language.insert(code.primary().to_owned(), chain);
                }
            }
        }
        Ok(chains)
    }

    /// The chain of a learner whose language is `native`: a translation into it first.
    pub fn for_native(&self, native: &LanguageCode) -> Vec<MeaningSource> {
        let rest = self
            .by_language
            .get(native.primary())
            .unwrap_or(&self.otherwise);
        let mut chain = vec![MeaningSource::Translation(native.clone())];
        for step in rest {
            let repeated = chain.iter().any(|s| match (s, step) {
                (MeaningSource::Translation(a), MeaningSource::Translation(b)) => {
                    a.primary() == b.primary()
                }
                (a, b) => a == b,
            });
            if !repeated {
                chain.push(step.clone());
            }
        }
        chain
    }
}

/// The steps of a chain as a phrase: "a translation into fa, a definition or a translation
/// into ar".
pub fn describe(chain: &[MeaningSource]) -> String {
    let steps: Vec<String> = chain.iter().map(ToString::to_string).collect();
    match steps.split_last() {
        None => "nothing".to_owned(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

/// Translations into `language` in `entries`, in entry order, without repeats.
pub fn translations_into<'a>(
    entries: impl IntoIterator<Item = &'a Entry>,
    language: &LanguageCode,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in entries.into_iter().flat_map(|e| &e.translations) {
        let text = t.text.trim();
        if t.language.primary() == language.primary()
            && !text.is_empty()
            && !out.iter().any(|o| o == text)
        {
            out.push(text.to_owned());
        }
    }
    out
}

/// The first meaning along `chain` in any of `entries` (every source, every part of speech),
/// the entries of `part_of_speech` first at each step.
pub fn meaning_of(
    entries: &[&Entry],
    part_of_speech: &PartOfSpeech,
    chain: &[MeaningSource],
) -> Option<Meaning> {
    let (own, others): (Vec<&Entry>, Vec<&Entry>) = entries
        .iter()
        .copied()
        .partition(|e| &e.part_of_speech == part_of_speech);
    let ordered: Vec<&Entry> = own.into_iter().chain(others).collect();
    chain.iter().find_map(|step| {
        let text = match step {
            MeaningSource::Translation(language) => {
                translations_into(ordered.iter().copied(), language)
                    .into_iter()
                    .next()
            }
            MeaningSource::Definition => ordered
                .iter()
                .flat_map(|e| &e.senses)
                .map(|s| s.gloss.trim())
                .find(|g| !g.is_empty())
                .map(str::to_owned),
        }?;
        Some(Meaning {
            text,
            source: step.clone(),
        })
    })
}

/// The part of speech `entries` give a word: the most common one among them (the first on a
/// tie), `None` when no entry has one (a bilingual list's headword).
pub fn inferred_part_of_speech(entries: &[&Entry]) -> Option<PartOfSpeech> {
    let mut counts: Vec<(&PartOfSpeech, usize)> = Vec::new();
    for entry in entries.iter().filter(|e| !e.part_of_speech.is_unknown()) {
        match counts.iter_mut().find(|(p, _)| *p == &entry.part_of_speech) {
            Some((_, n)) => *n += 1,
            None => counts.push((&entry.part_of_speech, 1)),
        }
    }
    let best = counts.iter().map(|(_, n)| *n).max()?;
    counts
        .into_iter()
        .find(|(_, n)| *n == best)
        .map(|(p, _)| p.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::entry_with;

    fn code(c: &str) -> LanguageCode {
        LanguageCode::parse(c).expect("valid")
    }

    #[test]
    fn chains_parse_and_start_with_the_learners_language() {
        let chains = MeaningChains::parse(DEFAULT_MEANING_FALLBACK).expect("valid");
        assert_eq!(
            chains.for_native(&code("fa")),
            [
                MeaningSource::Translation(code("fa")),
                MeaningSource::Definition,
                MeaningSource::Translation(code("ar")),
            ]
        );
        assert_eq!(
            chains.for_native(&code("es")),
            [
                MeaningSource::Translation(code("es")),
                MeaningSource::Definition
            ]
        );
        let repeated = MeaningChains::parse("ar=ar,definition").expect("valid");
        assert_eq!(repeated.for_native(&code("ar")).len(), 2);
        assert!(MeaningChains::parse("fa").is_err());
        assert!(MeaningChains::parse("fa=definition,!!").is_err());
        assert_eq!(
            MeaningChains::parse("").expect("valid"),
            MeaningChains::default()
        );
        assert_eq!(
            describe(&chains.for_native(&code("fa"))),
            "a translation into fa, a definition or a translation into ar"
        );
    }

    #[test]
    fn the_first_step_with_a_meaning_wins_across_sources_and_parts_of_speech() {
        // A FreeDict row (no part of speech, Arabic only) and a WordNet noun (a gloss).
        let freedict = entry_with("freedict-eng-ara", "house", "", None, &[("ar", "بيت")]);
        let wordnet = entry_with(
            "wordnet-3.0",
            "house",
            "noun",
            Some("a dwelling that serves as living quarters"),
            &[],
        );
        let entries = [&freedict, &wordnet];
        let chain = MeaningChains::parse(DEFAULT_MEANING_FALLBACK)
            .expect("valid")
            .for_native(&code("fa"));
        let meaning = meaning_of(&entries, &PartOfSpeech::unknown(), &chain).expect("valid");
        assert_eq!(meaning.source, MeaningSource::Definition);
        assert_eq!(meaning.text, "a dwelling that serves as living quarters");
        let arabic = MeaningChains::default().for_native(&code("ar"));
        assert_eq!(
            meaning_of(&entries, &PartOfSpeech::unknown(), &arabic)
                .expect("valid")
                .text,
            "بيت"
        );
        assert_eq!(
            inferred_part_of_speech(&entries),
            Some(PartOfSpeech::parse("noun"))
        );
        assert_eq!(inferred_part_of_speech(&[&freedict]), None);
    }
}
