//! One Wiktextract (kaikki.org) JSON object — one word, language and part of speech — and the
//! entry made from it. Only the fields Lingo uses are declared; the rest are ignored.

use crate::record_labels::{RecordLabels, same_language};
use crate::strip_markup::clean_text;
use lingo_dictionary::{
    Entry, Example, Form, LemmaError, PartOfSpeech, Pronunciation, Sense, Translation,
};
use lingo_kernel::LanguageCode;
use serde::Deserialize;

/// Where Wiktionary's audio files live, for sounds that name a file but give no URL.
const COMMONS_FILE_PATH: &str = "https://commons.wikimedia.org/wiki/Special:FilePath/";

/// Form tags that mark inflection-table bookkeeping rather than a form of the word.
const BOOKKEEPING_FORM_TAGS: &[&str] = &["table-tags", "inflection-template", "class"];

#[derive(Debug, Deserialize)]
pub(crate) struct KaikkiLine {
    pub(crate) word: Option<String>,
    #[serde(default)]
    pub(crate) pos: Option<String>,
    #[serde(default)]
    pub(crate) lang_code: Option<String>,
    #[serde(default)]
    pub(crate) etymology_number: Option<u32>,
    #[serde(default)]
    senses: Vec<KaikkiSense>,
    #[serde(default)]
    sounds: Vec<KaikkiSound>,
    #[serde(default)]
    forms: Vec<KaikkiForm>,
    #[serde(default)]
    translations: Vec<KaikkiTranslation>,
}

#[derive(Debug, Deserialize)]
struct KaikkiSense {
    #[serde(default)]
    glosses: Vec<String>,
    #[serde(default)]
    examples: Vec<KaikkiExample>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    synonyms: Vec<KaikkiWord>,
}

#[derive(Debug, Deserialize)]
struct KaikkiExample {
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    translation: Option<String>,
    #[serde(default)]
    english: Option<String>,
}

#[derive(Debug, Deserialize)]
struct KaikkiWord {
    #[serde(default)]
    word: Option<String>,
}

#[derive(Debug, Deserialize)]
struct KaikkiSound {
    #[serde(default)]
    ipa: Option<String>,
    #[serde(default)]
    audio: Option<String>,
    #[serde(default)]
    mp3_url: Option<String>,
    #[serde(default)]
    ogg_url: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct KaikkiForm {
    #[serde(default)]
    form: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct KaikkiTranslation {
    #[serde(default)]
    lang_code: Option<String>,
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    word: Option<String>,
    #[serde(default)]
    sense: Option<String>,
}

impl KaikkiLine {
    /// `noun`, or `noun-2` for the second etymology: stable across runs of one file.
    pub(crate) fn discriminator(&self) -> String {
        let pos = self.part_of_speech();
        let pos = if pos.is_unknown() {
            "unknown"
        } else {
            pos.as_str()
        };
        match self.etymology_number {
            Some(n) => format!("{pos}-{n}"),
            None => pos.to_owned(),
        }
    }

    pub(crate) fn part_of_speech(&self) -> PartOfSpeech {
        self.pos
            .as_deref()
            .map_or_else(PartOfSpeech::unknown, PartOfSpeech::parse)
    }

    /// The entry for `word`; translations only into `translations_into` when given.
    pub(crate) fn into_entry(
        self,
        word: &str,
        labels: &RecordLabels,
        translations_into: Option<&LanguageCode>,
    ) -> Result<Entry, LemmaError> {
        let mut entry = labels.entry(word, self.part_of_speech(), self.discriminator())?;
        entry.senses = self.senses.into_iter().filter_map(sense).collect();
        entry.pronunciations = self.sounds.into_iter().filter_map(pronunciation).collect();
        entry.forms = self.forms.into_iter().filter_map(form).collect();
        entry.translations = self
            .translations
            .into_iter()
            .filter_map(translation)
            .filter(|t| translations_into.is_none_or(|into| same_language(&t.language, into)))
            .collect();
        Ok(entry)
    }
}

/// Wiktextract repeats the parent's gloss before a sub-sense's own: the last one is the sense.
fn sense(raw: KaikkiSense) -> Option<Sense> {
    let gloss = clean_text(raw.glosses.last()?);
    if gloss.is_empty() {
        return None;
    }
    Some(Sense {
        gloss,
        examples: raw
            .examples
            .into_iter()
            .filter_map(|e| {
                let text = clean_text(e.text.as_deref()?);
                let translation = e.translation.or(e.english).map(|t| clean_text(&t));
                (!text.is_empty()).then_some(Example {
                    text,
                    translation: translation.filter(|t| !t.is_empty()),
                })
            })
            .collect(),
        tags: raw.tags,
        synonyms: raw
            .synonyms
            .into_iter()
            .filter_map(|s| s.word.map(|w| clean_text(&w)))
            .filter(|w| !w.is_empty())
            .collect(),
    })
}

fn pronunciation(raw: KaikkiSound) -> Option<Pronunciation> {
    let ipa = raw.ipa.map(|i| clean_text(&i)).filter(|i| !i.is_empty());
    let audio_url = raw.mp3_url.or(raw.ogg_url).or_else(|| {
        raw.audio.filter(|a| !a.trim().is_empty()).map(|name| {
            if name.starts_with("http://") || name.starts_with("https://") {
                name
            } else {
                format!("{COMMONS_FILE_PATH}{}", name.trim().replace(' ', "_"))
            }
        })
    });
    if ipa.is_none() && audio_url.is_none() {
        return None;
    }
    Some(Pronunciation {
        ipa,
        audio_url,
        accent: (!raw.tags.is_empty()).then(|| raw.tags.join(", ")),
    })
}

fn form(raw: KaikkiForm) -> Option<Form> {
    if raw
        .tags
        .iter()
        .any(|t| BOOKKEEPING_FORM_TAGS.contains(&t.as_str()))
    {
        return None;
    }
    let form = clean_text(&raw.form?);
    (!form.is_empty()).then_some(Form {
        form,
        tags: raw.tags,
    })
}

fn translation(raw: KaikkiTranslation) -> Option<Translation> {
    let language = LanguageCode::parse(raw.lang_code.or(raw.code)?.as_str()).ok()?;
    let text = clean_text(&raw.word?);
    (!text.is_empty()).then(|| Translation {
        language,
        text,
        sense: raw.sense.map(|s| clean_text(&s)).filter(|s| !s.is_empty()),
    })
}
