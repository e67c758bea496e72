//! Inflected form → lemma. English follows WordNet's "morphy": the exception lists first
//! (`went → go`, `children → child`), then suffix rules whose result the dictionary or the
//! frequency list knows. Other languages use the form → lemma tables installed at setup, plus
//! Persian suffix rules for ZWNJ-joined plurals. Unknown forms stay as they are.

use crate::normalise::{fold_key, is_joiner};
use crate::ports::{FrequencySource, LemmaTable, StoreError, WordRepository};
use lingo_kernel::LanguageCode;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, LazyLock};

const EXCEPTION_LISTS: [&str; 4] = [
    include_str!("../data/wordnet/noun.exc"),
    include_str!("../data/wordnet/verb.exc"),
    include_str!("../data/wordnet/adj.exc"),
    include_str!("../data/wordnet/adv.exc"),
];

/// form → lemmas, from WordNet's exception lists (`_` joins multi-word forms there).
static EXCEPTIONS: LazyLock<HashMap<String, Vec<String>>> = LazyLock::new(|| {
    let mut map: HashMap<String, Vec<String>> = HashMap::new();
    for line in EXCEPTION_LISTS.iter().flat_map(|list| list.lines()) {
        let mut words = line.split_whitespace().map(|w| w.replace('_', " "));
        let Some(form) = words.next() else { continue };
        let lemmas = map.entry(form).or_default();
        for lemma in words {
            if !lemmas.contains(&lemma) {
                lemmas.push(lemma);
            }
        }
    }
    map
});

/// WordNet's detachment rules, noun then verb then adjective.
const SUFFIX_RULES: &[(&str, &str)] = &[
    ("ses", "s"),
    ("xes", "x"),
    ("zes", "z"),
    ("ches", "ch"),
    ("shes", "sh"),
    ("men", "man"),
    ("ies", "y"),
    ("s", ""),
    ("es", "e"),
    ("es", ""),
    ("ed", "e"),
    ("ed", ""),
    ("ing", "e"),
    ("ing", ""),
    ("er", ""),
    ("est", ""),
    ("er", "e"),
    ("est", "e"),
];

/// WordNet's exception-list lemmas of an English form, most likely first.
pub fn english_exceptions(form: &str) -> &'static [String] {
    EXCEPTIONS.get(form).map(Vec::as_slice).unwrap_or(&[])
}

/// Candidate lemmas from the suffix rules, in rule order, without duplicates.
pub fn english_suffix_candidates(form: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (suffix, replacement) in SUFFIX_RULES {
        if let Some(stem) = form.strip_suffix(suffix) {
            // Keep at least two letters: "is" → "i" is noise.
            if stem.chars().count() >= 2 {
                let candidate = format!("{stem}{replacement}");
                if !out.contains(&candidate) {
                    out.push(candidate);
                }
            }
        }
    }
    out
}

/// Persian plural and object suffixes written after a ZWNJ (`کتاب‌ها`, `کتاب‌های`), and the
/// verbal prefixes written before one (`می‌روم`).
fn persian_candidates(form: &str) -> Vec<String> {
    let parts: Vec<&str> = form.split(is_joiner).collect();
    let mut out = Vec::new();
    if parts.len() >= 2 {
        let last = parts[parts.len() - 1];
        if [
            "ها", "های", "هایی", "هایم", "هایت", "هایش", "ای", "ی", "ام", "ات", "اش",
        ]
        .contains(&last)
        {
            out.push(parts[..parts.len() - 1].join("\u{200C}"));
        }
        if ["می", "نمی"].contains(&parts[0]) {
            out.push(parts[1..].join("\u{200C}"));
        }
    }
    out
}

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

    /// The lemma (a fold key) of each of `forms` (fold keys). Three store queries whatever the
    /// number of forms.
    pub async fn lemmas(
        &self,
        language: &LanguageCode,
        forms: &[String],
    ) -> Result<HashMap<String, String>, StoreError> {
        if language.primary() == "en" {
            self.english(language, forms).await
        } else {
            self.by_table(language, forms).await
        }
    }

    async fn english(
        &self,
        language: &LanguageCode,
        forms: &[String],
    ) -> Result<HashMap<String, String>, StoreError> {
        let rules: HashMap<&String, Vec<String>> = forms
            .iter()
            .map(|f| (f, english_suffix_candidates(f)))
            .collect();
        let mut asked: HashSet<String> = forms.iter().cloned().collect();
        asked.extend(rules.values().flatten().cloned());
        let asked: Vec<String> = asked.into_iter().collect();
        // A form that is itself a headword with a part of speech (WordNet's "news", "glasses",
        // the adjective "abandoned") stays whole, as morphy keeps it; headwords without one
        // (bilingual lists carry "houses", "books") do not stop the suffix rules.
        let rows = self.words.find(language, &asked).await?;
        let in_dictionary: HashSet<String> = rows.iter().map(|w| fold_key(&w.lemma)).collect();
        let lemma_with_pos: HashSet<String> = rows
            .iter()
            .filter(|w| !w.part_of_speech.is_unknown())
            .map(|w| fold_key(&w.lemma))
            .collect();
        let zipf = self.frequencies.zipf(language, &asked).await?;
        // A candidate much rarer than the form itself is another word ("his" is not a plural
        // of "hi"): the form must not be clearly more frequent than its lemma.
        let plausible =
            |form: &String, candidate: &String| match (zipf.get(form), zipf.get(candidate)) {
                (Some(f), Some(c)) => f.get() <= c.get() + 0.5,
                _ => true,
            };
        Ok(forms
            .iter()
            .map(|form| {
                let lemma = english_exceptions(form)
                    .first()
                    .cloned()
                    .or_else(|| lemma_with_pos.contains(form).then(|| form.clone()))
                    .or_else(|| {
                        let rule = &rules[form];
                        rule.iter()
                            .find(|c| in_dictionary.contains(*c) && plausible(form, c))
                            .or_else(|| {
                                rule.iter()
                                    .find(|c| zipf.contains_key(*c) && plausible(form, c))
                            })
                            .cloned()
                    })
                    .or_else(|| in_dictionary.contains(form).then(|| form.clone()))
                    .unwrap_or_else(|| form.clone());
                (form.clone(), lemma)
            })
            .collect())
    }

    async fn by_table(
        &self,
        language: &LanguageCode,
        forms: &[String],
    ) -> Result<HashMap<String, String>, StoreError> {
        let persian = language.primary() == "fa";
        let derived: HashMap<&String, Vec<String>> = forms
            .iter()
            .map(|f| {
                (
                    f,
                    if persian {
                        persian_candidates(f)
                    } else {
                        vec![]
                    },
                )
            })
            .collect();
        let mut asked: HashSet<String> = forms.iter().cloned().collect();
        asked.extend(derived.values().flatten().cloned());
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
                let lemma = lemma_of(form)
                    .or_else(|| {
                        derived[form]
                            .iter()
                            .find_map(|c| lemma_of(c).or_else(|| Some(c.clone())))
                    })
                    .unwrap_or_else(|| form.clone());
                (form.clone(), lemma)
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exception_lists_cover_irregular_forms() {
        assert_eq!(english_exceptions("went"), ["go"]);
        assert_eq!(english_exceptions("children"), ["child"]);
        assert!(english_exceptions("house").is_empty());
    }

    #[test]
    fn suffix_rules_follow_wordnet_order() {
        assert_eq!(english_suffix_candidates("boxes"), ["box", "boxe"]);
        assert_eq!(english_suffix_candidates("studies")[0], "study");
        assert!(english_suffix_candidates("making").contains(&"make".to_owned()));
        assert!(english_suffix_candidates("is").is_empty());
    }

    #[test]
    fn persian_plurals_and_verb_prefixes_are_detached() {
        assert_eq!(persian_candidates("کتاب\u{200C}ها"), ["کتاب"]);
        assert_eq!(persian_candidates("می\u{200C}روم"), ["روم"]);
        assert!(persian_candidates("کتاب").is_empty());
    }
}
