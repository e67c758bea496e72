//! Wiktionary's definition answer (an object keyed by language code, each a list of usages per
//! part of speech, definitions in HTML) and the entries normalised from it: one per usage of the
//! language asked for.

use crate::discriminators::Discriminators;
use crate::lookup_context::Lookup;
use crate::strip_html::strip_html;
use lingo_dictionary::normalise::normalise;
use lingo_dictionary::ports::ProviderError;
use lingo_dictionary::{Entry, Example, PartOfSpeech, Sense};
use serde::Deserialize;

/// Wiktionary's text licence (Wikimedia's terms of use since 2023).
pub(crate) const LICENCE: &str = "CC BY-SA 4.0";

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Usage {
    part_of_speech: String,
    definitions: Vec<Definition>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Definition {
    definition: String,
    #[serde(default)]
    examples: Vec<String>,
    /// The same examples split from their translations, when the page gives some.
    #[serde(default)]
    parsed_examples: Vec<ParsedExample>,
}

#[derive(Debug, Deserialize)]
struct ParsedExample {
    example: String,
    #[serde(default)]
    translation: Option<String>,
}

/// The usages listed under `language_key`; `None` when the word has none in that language.
/// Only the part we use is checked, so an odd entry for another language cannot fail a lookup.
pub(crate) fn usages(
    body: &serde_json::Value,
    language_key: &str,
) -> Result<Option<Vec<Usage>>, ProviderError> {
    let malformed = |what: String| {
        ProviderError::Malformed(format!("Wiktionary answered JSON that is not {what}"))
    };
    let by_language = body
        .as_object()
        .ok_or_else(|| malformed("an object keyed by language code".to_owned()))?;
    let Some(listed) = by_language.get(language_key) else {
        return Ok(None);
    };
    Vec::<Usage>::deserialize(listed)
        .map(Some)
        .map_err(|err| malformed(format!("a list of usages under '{language_key}' ({err})")))
}

/// One entry per usage with at least one definition left once the HTML is stripped.
pub(crate) fn entries(usages: &[Usage], lookup: &Lookup<'_>) -> Vec<Entry> {
    let mut discriminators = Discriminators::default();
    usages
        .iter()
        .filter_map(|usage| {
            let senses: Vec<Sense> = usage.definitions.iter().filter_map(sense).collect();
            if senses.is_empty() {
                return None;
            }
            let part_of_speech = PartOfSpeech::parse(&usage.part_of_speech);
            Some(Entry {
                language: lookup.language.clone(),
                lemma: normalise(lookup.word),
                headword: lookup.word.to_owned(),
                discriminator: discriminators.next("", &part_of_speech),
                part_of_speech,
                senses,
                pronunciations: Vec::new(),
                translations: Vec::new(),
                forms: Vec::new(),
                provenance: lookup.provenance(LICENCE),
            })
        })
        .collect()
}

fn sense(definition: &Definition) -> Option<Sense> {
    let gloss = strip_html(&definition.definition);
    if gloss.is_empty() {
        return None;
    }
    Some(Sense {
        gloss,
        examples: examples(definition),
        tags: Vec::new(),
        synonyms: Vec::new(),
    })
}

/// The parsed examples when there are some (they carry the translations), else the plain ones.
fn examples(definition: &Definition) -> Vec<Example> {
    let examples: Vec<Example> = if definition.parsed_examples.is_empty() {
        definition
            .examples
            .iter()
            .map(|html| Example {
                text: strip_html(html),
                translation: None,
            })
            .collect()
    } else {
        definition
            .parsed_examples
            .iter()
            .map(|parsed| Example {
                text: strip_html(&parsed.example),
                translation: parsed
                    .translation
                    .as_deref()
                    .map(strip_html)
                    .filter(|text| !text.is_empty()),
            })
            .collect()
    };
    examples
        .into_iter()
        .filter(|example| !example.text.is_empty())
        .collect()
}
