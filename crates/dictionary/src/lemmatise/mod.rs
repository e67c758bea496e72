//! Inflected form → lemma. English: every reading of a form (WordNet's exception lists, the
//! form itself when it is a headword, the suffix rules checked against the headwords of their
//! part of speech), chosen by the part of speech the neighbouring words ask for, then by
//! frequency (`english`, `context`). Other languages use the form → lemma tables installed at
//! setup, plus Persian suffix rules for ZWNJ-joined forms. Unknown forms stay as they are.

pub mod context;
pub mod english;
mod persian;

use crate::normalise::fold_key;
use crate::ports::{FrequencySource, LemmaTable, StoreError, WordRepository};
use english::{Hint, Known};
use lingo_kernel::LanguageCode;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Resolves forms to lemmas with the stores' knowledge of which words exist.
pub struct Lemmatiser {
    words: Arc<dyn WordRepository>,
    frequencies: Arc<dyn FrequencySource>,
    table: Arc<dyn LemmaTable>,
}

impl Lemmatiser {
    pub fn new(
        words: Arc<dyn WordRepository>,
        frequencies: Arc<dyn FrequencySource>,
        table: Arc<dyn LemmaTable>,
    ) -> Self {
        Self {
            words,
            frequencies,
            table,
        }
    }

    /// The lemma (a fold key) of each of `tokens` (the fold keys of a text's words, in text
    /// order): in English the words before a token choose between its readings ("a proud rose"
    /// keeps "rose", "she rose" is "rise"). Two store queries whatever the number of tokens.
    pub async fn lemmatise(
        &self,
        language: &LanguageCode,
        tokens: &[String],
    ) -> Result<Vec<String>, StoreError> {
        if language.primary() == "en" {
            let known = self.english_knowledge(language, tokens).await?;
            let hints = context::hints(tokens, &known);
            Ok(tokens
                .iter()
                .zip(hints)
                .map(|(token, hint)| {
                    english::choose(token, &english::readings(token, &known), hint, &known)
                })
                .collect())
        } else {
            let distinct: Vec<String> = dedup(tokens.to_vec());
            let lemmas = self.by_table(language, &distinct).await?;
            Ok(tokens
                .iter()
                .map(|t| lemmas.get(t).cloned().unwrap_or_else(|| t.clone()))
                .collect())
        }
    }

    /// The lemmas `form` (a fold key) looked up alone may be, best first: the form itself when
    /// it is a headword with a part of speech ("rose"), then the lemmas it is an inflection of
    /// ("rise"); the form itself is always among them.
    pub async fn candidates(
        &self,
        language: &LanguageCode,
        form: &str,
    ) -> Result<Vec<String>, StoreError> {
        let forms = [form.to_owned()];
        if language.primary() == "en" {
            let known = self.english_knowledge(language, &forms).await?;
            let readings = english::readings(form, &known);
            Ok(english::ranked(form, &readings, Hint::Headword, &known))
        } else {
            let lemma = self.by_table(language, &forms).await?.remove(form);
            Ok(dedup(lemma.into_iter().chain([form.to_owned()]).collect()))
        }
    }

    /// What the word repository and the frequency list know about `forms`, their exception
    /// lemmas and their suffix-rule candidates (one query each).
    async fn english_knowledge(
        &self,
        language: &LanguageCode,
        forms: &[String],
    ) -> Result<Known, StoreError> {
        let mut asked: HashSet<String> = HashSet::new();
        for form in forms {
            if asked.insert(form.clone()) {
                asked.extend(english::exceptions(form).iter().map(|(l, _)| l.clone()));
                asked.extend(english::suffix_candidates(form).into_iter().map(|(l, _)| l));
            }
        }
        let asked: Vec<String> = asked.into_iter().collect();
        let mut known = Known::default();
        for row in self.words.find(language, &asked).await? {
            let parts = known
                .parts_of_speech
                .entry(fold_key(&row.lemma))
                .or_default();
            if !parts.contains(&row.part_of_speech) {
                parts.push(row.part_of_speech);
            }
        }
        known.zipf = self.frequencies.zipf(language, &asked).await?;
        Ok(known)
    }

    async fn by_table(
        &self,
        language: &LanguageCode,
        forms: &[String],
    ) -> Result<HashMap<String, String>, StoreError> {
        let persian = language.primary() == "fa";
        // Per form: the stems with a suffix detached, then the form without ZWNJ (Persian).
        let derived: HashMap<&String, (Vec<String>, Option<String>)> = forms
            .iter()
            .map(|f| {
                let derived = if persian {
                    (persian::detached(f), persian::joined(f))
                } else {
                    (Vec::new(), None)
                };
                (f, derived)
            })
            .collect();
        let mut asked: HashSet<String> = forms.iter().cloned().collect();
        for (stems, joined) in derived.values() {
            asked.extend(stems.iter().chain(joined).cloned());
        }
        let asked: Vec<String> = asked.into_iter().collect();
        let table = self.table.lemmas(language, &asked).await?;
        let in_dictionary = self.words.known(language, &asked).await?;
        let lemma_of = |form: &String| -> Option<String> {
            if in_dictionary.contains(form) {
                return Some(form.clone());
            }
            table.get(form).and_then(|l| l.first()).map(|l| fold_key(l))
        };
        Ok(forms
            .iter()
            .map(|form| {
                let (stems, joined) = &derived[form];
                let lemma = lemma_of(form)
                    .or_else(|| {
                        let lemmas = table.get(joined.as_ref()?)?;
                        lemmas.first().map(|l| fold_key(l))
                    })
                    .or_else(|| stems.iter().find_map(lemma_of))
                    // A detached stem nothing knows is still better than the suffixed form.
                    .or_else(|| stems.first().cloned())
                    .unwrap_or_else(|| form.clone());
                (form.clone(), lemma)
            })
            .collect())
    }
}

fn dedup(items: Vec<String>) -> Vec<String> {
    let mut seen = HashSet::new();
    items
        .into_iter()
        .filter(|i| seen.insert(i.clone()))
        .collect()
}
