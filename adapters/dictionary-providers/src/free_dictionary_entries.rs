//! The Free Dictionary API's answer (an array of headwords, each with meanings per part of
//! speech) and the entries normalised from it: one per headword and meaning.

use crate::discriminators::Discriminators;
use crate::lookup_context::{Lookup, non_empty};
use lingo_dictionary::normalise::normalise;
use lingo_dictionary::ports::ProviderError;
use lingo_dictionary::{Entry, Example, PartOfSpeech, Pronunciation, Sense};
use serde::Deserialize;

/// The licence the API publishes its data under when an answer does not say.
pub(crate) const DEFAULT_LICENCE: &str = "CC BY-SA 3.0";

#[derive(Debug, Deserialize)]
pub(crate) struct Headword {
    word: String,
    #[serde(default)]
    phonetic: Option<String>,
    #[serde(default)]
    phonetics: Vec<Phonetic>,
    meanings: Vec<Meaning>,
    #[serde(default)]
    license: Option<License>,
}

#[derive(Debug, Deserialize)]
struct Phonetic {
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    audio: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Meaning {
    part_of_speech: String,
    definitions: Vec<Definition>,
    #[serde(default)]
    synonyms: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct Definition {
    definition: String,
    #[serde(default)]
    example: Option<String>,
    #[serde(default)]
    synonyms: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct License {
    name: String,
}

/// The 200 body as the documented array of headwords.
pub(crate) fn parse(body: &serde_json::Value) -> Result<Vec<Headword>, ProviderError> {
    Vec::<Headword>::deserialize(body).map_err(|err| {
        ProviderError::Malformed(format!(
            "the Free Dictionary API answered JSON that is not an array of entries ({err})"
        ))
    })
}

/// One entry per headword and meaning that has at least one definition.
pub(crate) fn entries(headwords: &[Headword], lookup: &Lookup<'_>) -> Vec<Entry> {
    let mut discriminators = Discriminators::default();
    let mut entries = Vec::new();
    for (index, headword) in headwords.iter().enumerate() {
        let spelled = non_empty(Some(&headword.word)).unwrap_or_else(|| lookup.word.to_owned());
        let licence = headword
            .license
            .as_ref()
            .and_then(|licence| non_empty(Some(&licence.name)))
            .unwrap_or_else(|| DEFAULT_LICENCE.to_owned());
        let pronunciations = pronunciations(headword);
        for meaning in &headword.meanings {
            let senses = senses(meaning);
            if senses.is_empty() {
                continue;
            }
            let part_of_speech = PartOfSpeech::parse(&meaning.part_of_speech);
            entries.push(Entry {
                language: lookup.language.clone(),
                lemma: normalise(&spelled),
                headword: spelled.clone(),
                discriminator: discriminators.next(&format!("{index}-"), &part_of_speech),
                part_of_speech,
                senses,
                pronunciations: pronunciations.clone(),
                translations: Vec::new(),
                forms: Vec::new(),
                provenance: lookup.provenance(&licence),
            });
        }
    }
    entries
}

/// The meaning's own synonyms go with its first sense: `Entry` has no place for synonyms of a
/// whole part of speech, and the first sense is the one a learner sees.
fn senses(meaning: &Meaning) -> Vec<Sense> {
    let mut senses: Vec<Sense> = meaning
        .definitions
        .iter()
        .filter_map(|definition| {
            Some(Sense {
                gloss: non_empty(Some(&definition.definition))?,
                examples: non_empty(definition.example.as_deref())
                    .map(|text| Example {
                        text,
                        translation: None,
                    })
                    .into_iter()
                    .collect(),
                tags: Vec::new(),
                synonyms: words(&definition.synonyms, &[]),
            })
        })
        .collect();
    if let Some(first) = senses.first_mut() {
        first.synonyms = words(&first.synonyms, &meaning.synonyms);
    }
    senses
}

/// `first` then `more`, trimmed, without empties or repeats.
fn words(first: &[String], more: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in first.iter().chain(more).filter_map(|w| non_empty(Some(w))) {
        if !out.contains(&word) {
            out.push(word);
        }
    }
    out
}

/// Each phonetic with a transcription or a recording; the headword's `phonetic` when none of
/// them has a transcription.
fn pronunciations(headword: &Headword) -> Vec<Pronunciation> {
    let mut out: Vec<Pronunciation> = Vec::new();
    for phonetic in &headword.phonetics {
        let audio_url = non_empty(phonetic.audio.as_deref());
        let pronunciation = Pronunciation {
            ipa: non_empty(phonetic.text.as_deref()),
            accent: audio_url.as_deref().and_then(accent),
            audio_url,
        };
        if (pronunciation.ipa.is_some() || pronunciation.audio_url.is_some())
            && !out.contains(&pronunciation)
        {
            out.push(pronunciation);
        }
    }
    if out.iter().all(|p| p.ipa.is_none())
        && let Some(ipa) = non_empty(headword.phonetic.as_deref())
    {
        out.insert(
            0,
            Pronunciation {
                ipa: Some(ipa),
                audio_url: None,
                accent: None,
            },
        );
    }
    out
}

/// The API names its recordings `<word>-us.mp3`, `<word>-uk.mp3`, `<word>-au.mp3`.
fn accent(audio_url: &str) -> Option<String> {
    let file = audio_url.rsplit('/').next()?;
    let stem = file.rsplit_once('.').map_or(file, |(stem, _)| stem);
    let (_, suffix) = stem.rsplit_once('-')?;
    let suffix = suffix.to_ascii_lowercase();
    matches!(suffix.as_str(), "us" | "uk" | "au" | "ca" | "nz" | "ie")
        .then(|| suffix.to_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_accent_comes_from_the_recording_file_name() {
        let media = "https://api.dictionaryapi.dev/media/pronunciations/en";
        assert_eq!(
            accent(&format!("{media}/hello-uk.mp3")).as_deref(),
            Some("UK")
        );
        assert_eq!(
            accent(&format!("{media}/hello-us.mp3")).as_deref(),
            Some("US")
        );
        assert_eq!(accent(&format!("{media}/ice-cream.mp3")), None);
        assert_eq!(accent(&format!("{media}/hello.mp3")), None);
    }

    #[test]
    fn synonyms_are_trimmed_and_deduplicated() {
        let first = ["hi ".to_owned(), String::new()];
        let more = ["hi".to_owned(), "howdy".to_owned()];
        assert_eq!(words(&first, &more), ["hi", "howdy"]);
    }
}
