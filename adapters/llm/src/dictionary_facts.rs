//! What the dictionary already says about the word, summarised for the prompt so the model is
//! grounded in it: the senses' glosses, translations into the learner's native language and
//! IPA. Compact and capped: a word with forty Wiktionary senses must not fill the context, and
//! the prompt's cost should not depend on how much a source happens to store.

use crate::language_names::language_name;
use lingo_dictionary::Entry;
use lingo_kernel::LanguageCode;

/// The whole summary's length limit, in characters.
pub(crate) const MAX_FACTS_CHARS: usize = 1800;
const MAX_ENTRIES: usize = 6;
const MAX_GLOSSES_PER_ENTRY: usize = 3;
const MAX_GLOSS_CHARS: usize = 160;
const MAX_TRANSLATIONS: usize = 6;
const MAX_IPA: usize = 3;

const NONE_STORED: &str = "(no dictionary entries are stored for this word: rely on what you know, and keep to its \
     most common meaning)";

/// One line per fact, each entry's lines together, cut at [`MAX_FACTS_CHARS`].
pub(crate) fn dictionary_facts(entries: &[Entry], native: &LanguageCode) -> String {
    let mut lines = Vec::new();
    let ipa = pronunciations(entries);
    if !ipa.is_empty() {
        lines.push(format!("- IPA: {}", ipa.join("; ")));
    }
    for entry in entries.iter().filter(|e| e.has_content()).take(MAX_ENTRIES) {
        lines.extend(entry_lines(entry, native));
    }
    if lines.is_empty() {
        return NONE_STORED.to_owned();
    }
    cap_lines(&lines, MAX_FACTS_CHARS)
}

fn entry_lines(entry: &Entry, native: &LanguageCode) -> Vec<String> {
    let part_of_speech = if entry.part_of_speech.is_unknown() {
        "part of speech not given"
    } else {
        entry.part_of_speech.as_str()
    };
    let mut lines = vec![format!(
        "- {} ({part_of_speech}; source: {})",
        one_line(&entry.headword, MAX_GLOSS_CHARS),
        entry.provenance.source
    )];
    for (n, sense) in entry.senses.iter().take(MAX_GLOSSES_PER_ENTRY).enumerate() {
        let tags = if sense.tags.is_empty() {
            String::new()
        } else {
            format!("[{}] ", sense.tags.join(", "))
        };
        lines.push(format!(
            "  {}. {tags}{}",
            n + 1,
            one_line(&sense.gloss, MAX_GLOSS_CHARS)
        ));
    }
    let translations = translations(entry, native);
    if !translations.is_empty() {
        lines.push(format!(
            "  translations into {}: {}",
            language_name(native),
            translations.join("; ")
        ));
    }
    lines
}

/// Only translations into the learner's language (`pt` serves `pt-BR`), without repeats.
fn translations(entry: &Entry, native: &LanguageCode) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let into_native = entry
        .translations
        .iter()
        .filter(|t| t.language.primary() == native.primary());
    for translation in into_native {
        let text = one_line(&translation.text, MAX_GLOSS_CHARS);
        if !text.is_empty() && !out.contains(&text) && out.len() < MAX_TRANSLATIONS {
            out.push(text);
        }
    }
    out
}

/// `/həˈləʊ/ (UK)`, distinct, across entries.
fn pronunciations(entries: &[Entry]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let all = entries.iter().flat_map(|entry| &entry.pronunciations);
    for pronunciation in all {
        let Some(ipa) = pronunciation.ipa.as_deref().map(str::trim) else {
            continue;
        };
        let shown = match pronunciation.accent.as_deref() {
            Some(accent) => format!("{ipa} ({accent})"),
            None => ipa.to_owned(),
        };
        if !ipa.is_empty() && !out.contains(&shown) && out.len() < MAX_IPA {
            out.push(one_line(&shown, MAX_GLOSS_CHARS));
        }
    }
    out
}

/// Whitespace (newlines included) collapsed, at most `max` characters (`…` marks a cut).
/// Braces are made round so that dictionary text can never look like a template placeholder.
pub(crate) fn one_line(text: &str, max: usize) -> String {
    let collapsed = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('{', "(")
        .replace('}', ")");
    if collapsed.chars().count() <= max {
        return collapsed;
    }
    let mut cut: String = collapsed.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// Whole lines up to `max` characters; a note says when some were left out.
fn cap_lines(lines: &[String], max: usize) -> String {
    const MORE: &str = "- (more entries left out)";
    let mut out = String::new();
    for line in lines {
        if out.chars().count() + line.chars().count() + 1 > max - MORE.len() {
            out.push_str(MORE);
            return out;
        }
        out.push_str(line);
        out.push('\n');
    }
    out.trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;
    use lingo_dictionary::{PartOfSpeech, Pronunciation, Provenance, Sense, SourceId, Translation};

    fn language(code: &str) -> LanguageCode {
        LanguageCode::parse(code).expect("valid language code")
    }

    fn entry(glosses: &[&str], translations: &[(&str, &str)]) -> Entry {
        Entry {
            language: LanguageCode::english(),
            lemma: "house".to_owned(),
            headword: "house".to_owned(),
            part_of_speech: PartOfSpeech::parse("noun"),
            discriminator: "noun".to_owned(),
            senses: glosses
                .iter()
                .map(|gloss| Sense {
                    gloss: (*gloss).to_owned(),
                    examples: Vec::new(),
                    tags: Vec::new(),
                    synonyms: Vec::new(),
                })
                .collect(),
            pronunciations: vec![Pronunciation {
                ipa: Some("/haʊs/".to_owned()),
                audio_url: None,
                accent: Some("US".to_owned()),
            }],
            translations: translations
                .iter()
                .map(|(code, text)| Translation {
                    language: language(code),
                    text: (*text).to_owned(),
                    sense: None,
                })
                .collect(),
            forms: Vec::new(),
            provenance: Provenance {
                source: SourceId::parse("wiktionary").expect("valid source"),
                licence: "CC BY-SA 4.0".to_owned(),
                retrieved_at: DateTime::from_timestamp(1_700_000_000, 0).expect("valid"),
                origin: None,
            },
        }
    }

    #[test]
    fn glosses_native_translations_and_ipa_are_summarised() {
        let house = entry(
            &["A building where people live.", "A household.\n(informal)"],
            &[
                ("fa", "خانه"),
                ("de", "Haus"),
                ("fa", "منزل"),
                ("fa", "خانه"),
            ],
        );
        let facts = dictionary_facts(&[house], &language("fa"));
        assert!(facts.contains("- IPA: /haʊs/ (US)"), "{facts}");
        assert!(
            facts.contains("1. A building where people live."),
            "{facts}"
        );
        assert!(facts.contains("2. A household. (informal)"), "{facts}");
        assert!(
            facts.contains("translations into Persian (Farsi) [fa]: خانه; منزل"),
            "{facts}"
        );
        assert!(!facts.contains("Haus"), "{facts}");
    }

    #[test]
    fn the_summary_is_capped_however_much_is_stored() {
        let long = "a very long gloss ".repeat(40);
        let many: Vec<Entry> = (0..20)
            .map(|_| entry(&[&long, &long, &long, &long], &[]))
            .collect();
        let facts = dictionary_facts(&many, &language("fa"));
        assert!(facts.chars().count() <= MAX_FACTS_CHARS, "{}", facts.len());
        assert!(facts.ends_with("(more entries left out)"), "{facts}");
        assert!(!facts.contains("4. "), "at most three glosses per entry");
    }

    #[test]
    fn no_entries_says_so_and_braces_cannot_become_placeholders() {
        assert_eq!(dictionary_facts(&[], &language("fa")), NONE_STORED);
        assert_eq!(one_line("{{level}}", 50), "((level))");
        assert_eq!(one_line("abcdef", 4), "abc…");
    }
}
