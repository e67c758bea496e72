//! The offline generator: assembles learner content from the dictionary data already stored
//! (WordNet glosses and examples, FreeDict and kaikki translations, IPA). No model, no key, no
//! cost; its provenance says `extractive` so clients can tell it from model-written content.
//! Where the data has nothing (an example translation, a mnemonic), it says so plainly or uses a
//! simple pattern, rather than inventing facts.

use crate::learner_content::{ContentExample, ContentSense, LearnerContent};
use crate::ports::{ContentGenerator, ContentRequest, Generated, GeneratorError, TokenUsage};
use async_trait::async_trait;
use lingo_dictionary::Entry;
use lingo_dictionary::meaning::{MeaningChains, MeaningSource, translations_into};
use lingo_kernel::LanguageCode;

/// The offline generator; meanings a learner's language lacks follow `meanings`.
#[derive(Debug, Clone, Default)]
pub struct ExtractiveGenerator {
    pub meanings: MeaningChains,
}

const NAME: &str = "extractive";

/// Translations into the learner's language; when there are none, along their fallback chain:
/// nothing when a definition comes first and the entries have one (the sense's definition is the
/// meaning then), else the first language that has translations, each marked with it
/// ("بيت (ar)").
fn translations(entries: &[Entry], chain: &[MeaningSource]) -> Vec<String> {
    let has_definition = entries
        .iter()
        .flat_map(|e| &e.senses)
        .any(|s| !s.gloss.trim().is_empty());
    for (i, step) in chain.iter().enumerate() {
        match step {
            MeaningSource::Definition if has_definition => return Vec::new(),
            MeaningSource::Definition => {}
            MeaningSource::Translation(language) => {
                let found = translations_into(entries, language);
                if found.is_empty() {
                    continue;
                }
                return if i == 0 {
                    found
                } else {
                    found
                        .into_iter()
                        .map(|t| format!("{t} ({language})"))
                        .collect()
                };
            }
        }
    }
    Vec::new()
}

fn clip(text: &str, max: usize) -> String {
    text.chars().take(max).collect::<String>().trim().to_owned()
}

fn pattern_examples(lemma: &str, pos: &str) -> [String; 2] {
    match pos {
        "verb" => [
            format!("I {lemma} every day."),
            format!("Do you {lemma} often?"),
        ],
        "adjective" => [
            format!("It is very {lemma}."),
            format!("That was a {lemma} day."),
        ],
        "adverb" => [format!("She did it {lemma}."), format!("He spoke {lemma}.")],
        _ => [
            format!("This is the word \"{lemma}\"."),
            format!("Can you use \"{lemma}\" in a sentence?"),
        ],
    }
}

fn mistakes_note(lemma: &str, pos: &str, native: &LanguageCode) -> String {
    match (native.primary(), pos) {
        ("fa" | "ar", "noun") => format!(
            "Persian and Arabic mark definiteness differently: in English say \"a {lemma}\" for \
             any one and \"the {lemma}\" for a known one, and add -s for more than one."
        ),
        ("fa" | "ar", "verb") => format!(
            "English verbs need a subject and change with it: \"I {lemma}\", but \"she {lemma}s\"; \
             the past usually ends in -ed unless the verb is irregular."
        ),
        ("fa" | "ar", "adjective") => format!(
            "In English the adjective comes before the noun and never changes: \"a {lemma} house\", \
             \"{lemma} houses\"."
        ),
        _ => format!(
            "Learn \"{lemma}\" with the words around it (see the examples) rather than alone; a \
             word-for-word translation often misleads."
        ),
    }
}

/// Builds the content from the request's entries (no I/O). A sense without a translation
/// along the learner's chain carries its definition as its meaning (the chain's `definition`
/// step), never a placeholder.
pub fn extract(request: &ContentRequest, meanings: &MeaningChains) -> LearnerContent {
    let word = &request.word;
    let native_words = translations(&word.entries, &meanings.for_native(&request.native));
    let translation_of = |i: usize, definition: &str| {
        native_words
            .get(i)
            .or(native_words.first())
            .cloned()
            .unwrap_or_else(|| definition.to_owned())
    };
    // The word is one part of speech: its senses first, and only its own when it has any.
    let same_pos = |e: &&Entry| e.part_of_speech == word.part_of_speech;
    let has_own = word
        .entries
        .iter()
        .filter(same_pos)
        .any(|e| !e.senses.is_empty());
    let sense_entries: Vec<&Entry> = word
        .entries
        .iter()
        .filter(|e| !has_own || same_pos(e))
        .collect();
    let mut senses: Vec<ContentSense> = sense_entries
        .iter()
        .flat_map(|e| e.senses.iter().map(move |s| (*e, s)))
        .filter(|(_, s)| !s.gloss.trim().is_empty())
        .take(3)
        .enumerate()
        .map(|(i, (e, s))| {
            let definition = clip(&s.gloss, 300);
            ContentSense {
                part_of_speech: e.part_of_speech.as_str().to_owned(),
                translation: translation_of(i, &definition),
                definition,
            }
        })
        .collect();
    if senses.is_empty() {
        senses.push(ContentSense {
            part_of_speech: word.part_of_speech.as_str().to_owned(),
            definition: native_words
                .first()
                .map(|t| format!("{} ({t})", word.lemma))
                .unwrap_or_else(|| word.lemma.clone()),
            translation: translation_of(0, &word.lemma),
        });
    }
    let stem: String = word.lemma.to_lowercase().chars().take(4).collect();
    let mut examples: Vec<ContentExample> = sense_entries
        .iter()
        .flat_map(|e| e.senses.iter().flat_map(|s| &s.examples))
        .filter(|ex| ex.text.to_lowercase().contains(&stem))
        .take(3)
        .map(|ex| ContentExample {
            text: clip(&ex.text, 300),
            translation: ex.translation.clone().unwrap_or_else(|| {
                format!("(no {} translation in the dictionary)", request.native)
            }),
        })
        .collect();
    let pos = if word.part_of_speech.is_unknown() {
        senses[0].part_of_speech.clone()
    } else {
        word.part_of_speech.as_str().to_owned()
    };
    for text in pattern_examples(&word.lemma, &pos) {
        if examples.len() >= 2 {
            break;
        }
        examples.push(ContentExample {
            text,
            translation: format!("(pattern sentence; no {} translation)", request.native),
        });
    }
    let collocations: Vec<String> = word
        .entries
        .iter()
        .flat_map(|e| e.senses.iter().flat_map(|s| &s.synonyms))
        .filter(|s| s.contains(' ') && s.to_lowercase().contains(&word.lemma.to_lowercase()))
        .take(8)
        .map(|s| clip(s, 100))
        .collect();
    let ipa = word
        .entries
        .iter()
        .flat_map(|e| &e.pronunciations)
        .find_map(|p| p.ipa.clone())
        .unwrap_or_default();
    let mnemonic = if ipa.is_empty() {
        format!(
            "Say \"{}\" aloud three times while picturing: {}.",
            word.lemma, senses[0].definition
        )
    } else {
        format!(
            "Say \"{}\" {ipa} aloud three times while picturing: {}.",
            word.lemma, senses[0].definition
        )
    };
    LearnerContent {
        ipa: clip(&ipa, 80),
        senses,
        examples,
        collocations,
        mnemonic: clip(&mnemonic, 590),
        common_mistakes: mistakes_note(&word.lemma, &pos, &request.native),
    }
}

#[async_trait]
impl ContentGenerator for ExtractiveGenerator {
    fn name(&self) -> &str {
        NAME
    }

    fn model(&self) -> &str {
        "dictionary"
    }

    fn prompt_version(&self) -> &str {
        "extractive/v1"
    }

    fn costs_money(&self) -> bool {
        false
    }

    async fn generate(&self, request: &ContentRequest) -> Result<Generated, GeneratorError> {
        let content = extract(request, &self.meanings);
        let text = serde_json::to_string(&content)
            .map_err(|e| GeneratorError::Malformed(e.to_string()))?;
        Ok(Generated {
            text,
            usage: TokenUsage::default(),
            model: "dictionary".to_owned(),
        })
    }
}
