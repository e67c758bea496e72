//! The text of one FreeDict-style dictd entry: a headword line (`house /haʊs/`, sometimes with
//! a part-of-speech marker like `<n>`), an optional IPA line of its own, then translations,
//! numbered `1. …` when there are several senses, alternatives separated by commas.

use crate::strip_markup::clean_text;
use lingo_dictionary::PartOfSpeech;
use lingo_dictionary::normalise::fold_key;

/// Parts of speech a `<…>` marker may name; other markers (`<f>`, `<pl>`, `<masc>`) are
/// grammatical labels of a translation and are dropped.
const KNOWN_PARTS_OF_SPEECH: &[&str] = &[
    "noun",
    "verb",
    "adjective",
    "adverb",
    "pronoun",
    "preposition",
    "conjunction",
    "interjection",
    "determiner",
    "numeral",
    "phrase",
];

#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct EntryText {
    /// The headword as the text spells it, when its first line names the index headword.
    pub(crate) headword: Option<String>,
    /// IPA, slashes included, as the source writes it.
    pub(crate) pronunciations: Vec<String>,
    pub(crate) part_of_speech: Option<PartOfSpeech>,
    pub(crate) translations: Vec<String>,
}

pub(crate) fn parse_entry_text(text: &str, index_headword: &str) -> EntryText {
    let mut parsed = EntryText::default();
    let mut lines = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .peekable();
    if let Some(first) = lines.peek()
        && read_headword_line(first, index_headword, &mut parsed)
    {
        lines.next();
    }
    for line in lines {
        read_body_line(line, &mut parsed);
    }
    parsed
}

/// Whether `line` is the headword line (it names the headword or carries its IPA).
fn read_headword_line(line: &str, index_headword: &str, parsed: &mut EntryText) -> bool {
    let (markers, rest) = take_markers(line);
    let (rest, ipa) = split_trailing_ipa(&rest);
    let candidate = clean_text(rest);
    let names_headword = !candidate.is_empty() && fold_key(&candidate) == fold_key(index_headword);
    if !names_headword && ipa.is_none() {
        return false;
    }
    if names_headword {
        parsed.headword = Some(candidate);
    }
    parsed.pronunciations.extend(ipa.map(str::to_owned));
    note_part_of_speech(&markers, parsed);
    true
}

fn read_body_line(line: &str, parsed: &mut EntryText) {
    let (markers, rest) = take_markers(line);
    note_part_of_speech(&markers, parsed);
    if let (before, Some(ipa)) = split_trailing_ipa(&rest)
        && before.is_empty()
    {
        parsed.pronunciations.push(ipa.to_owned());
        return;
    }
    let text = clean_text(strip_sense_number(&rest));
    for alternative in split_alternatives(&text) {
        if !parsed.translations.iter().any(|t| t == alternative) {
            parsed.translations.push(alternative.to_owned());
        }
    }
}

fn note_part_of_speech(markers: &[String], parsed: &mut EntryText) {
    if parsed.part_of_speech.is_some() {
        return;
    }
    parsed.part_of_speech = markers
        .iter()
        .filter_map(|m| m.split(',').next())
        .map(PartOfSpeech::parse)
        .find(|pos| KNOWN_PARTS_OF_SPEECH.contains(&pos.as_str()));
}

/// `<n>`-style markers (short, plain words inside angle brackets) and the text without them.
fn take_markers(line: &str) -> (Vec<String>, String) {
    let mut markers = Vec::new();
    let mut rest = String::with_capacity(line.len());
    let mut remaining = line;
    while let Some(open) = remaining.find('<') {
        let after = &remaining[open + 1..];
        let marker = after
            .find('>')
            .map(|close| &after[..close])
            .filter(|inside| {
                (1..=30).contains(&inside.len())
                    && inside
                        .chars()
                        .all(|c| c.is_alphanumeric() || " ,.-".contains(c))
            });
        rest.push_str(&remaining[..open]);
        match marker {
            Some(inside) => {
                markers.push(inside.trim().to_owned());
                rest.push(' ');
                remaining = &after[inside.len() + 1..];
            }
            None => {
                rest.push('<');
                remaining = after;
            }
        }
    }
    rest.push_str(remaining);
    (markers, rest)
}

/// Splits `house /haʊs/` into `house` and `/haʊs/`. The IPA is the last `/…/` group, opened
/// at the start or after a space, so `and/or /ænd ɔː/` keeps its slash.
fn split_trailing_ipa(text: &str) -> (&str, Option<&str>) {
    let trimmed = text.trim();
    let Some(inner) = trimmed.strip_suffix('/') else {
        return (trimmed, None);
    };
    match inner.rfind('/') {
        Some(open)
            if open + 1 < inner.len()
                && (open == 0 || trimmed[..open].ends_with(char::is_whitespace)) =>
        {
            (trimmed[..open].trim_end(), Some(&trimmed[open..]))
        }
        _ => (trimmed, None),
    }
}

/// `1. gato` → `gato`.
fn strip_sense_number(line: &str) -> &str {
    let trimmed = line.trim_start();
    let digits = trimmed.chars().take_while(char::is_ascii_digit).count();
    match trimmed[digits..].strip_prefix('.') {
        Some(rest) if digits > 0 && digits <= 3 && rest.starts_with(char::is_whitespace) => {
            rest.trim_start()
        }
        _ => trimmed,
    }
}

/// Alternatives separated by `,`, `;` or the Arabic comma, outside parentheses.
fn split_alternatives(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (at, c) in text.char_indices() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            ',' | ';' | '،' | '؛' if depth == 0 => {
                parts.push(text[start..at].trim());
                start = at + c.len_utf8();
            }
            _ => {}
        }
    }
    parts.push(text[start..].trim());
    parts.retain(|p| !p.is_empty());
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_headword_line_with_ipa_and_numbered_senses() {
        let parsed = parse_entry_text("run /rʌn/\n1. correr\n2. funcionar, marchar\n", "run");
        assert_eq!(parsed.headword.as_deref(), Some("run"));
        assert_eq!(parsed.pronunciations, vec!["/rʌn/"]);
        assert_eq!(parsed.translations, vec!["correr", "funcionar", "marchar"]);
        assert_eq!(parsed.part_of_speech, None);
    }

    #[test]
    fn the_text_keeps_its_capitals_and_arabic_commas_separate_alternatives() {
        let parsed = parse_entry_text("Account /ɐkˈaʊnt/\nالحساب، الفاتورة\n", "account");
        assert_eq!(parsed.headword.as_deref(), Some("Account"));
        assert_eq!(parsed.translations, vec!["الحساب", "الفاتورة"]);
    }

    #[test]
    fn markers_give_the_part_of_speech_and_grammar_labels_are_dropped() {
        let parsed = parse_entry_text(
            "cat /kæt/ <n, masc>\ngata <f>, gato (animal, doméstico)\n",
            "cat",
        );
        assert_eq!(parsed.part_of_speech, Some(PartOfSpeech::parse("noun")));
        assert_eq!(
            parsed.translations,
            vec!["gata", "gato (animal, doméstico)"]
        );
    }

    #[test]
    fn an_ipa_line_of_its_own_and_a_bare_headword_line() {
        let parsed = parse_entry_text("bank\n/bæŋk/\n<verb>\nبنك\n", "bank");
        assert_eq!(parsed.headword.as_deref(), Some("bank"));
        assert_eq!(parsed.pronunciations, vec!["/bæŋk/"]);
        assert_eq!(parsed.part_of_speech, Some(PartOfSpeech::parse("verb")));
        assert_eq!(parsed.translations, vec!["بنك"]);
    }

    #[test]
    fn text_without_a_headword_line_is_all_translations() {
        let parsed = parse_entry_text("casa\nhogar\n", "house");
        assert_eq!(parsed.headword, None);
        assert_eq!(parsed.translations, vec!["casa", "hogar"]);
    }

    #[test]
    fn slashes_inside_a_headword_are_not_ipa() {
        assert_eq!(
            split_trailing_ipa("and/or /ænd ɔː/"),
            ("and/or", Some("/ænd ɔː/"))
        );
        assert_eq!(split_trailing_ipa("and/or"), ("and/or", None));
        assert_eq!(split_trailing_ipa("a/b/"), ("a/b/", None));
        assert_eq!(split_trailing_ipa("//"), ("//", None));
    }

    #[test]
    fn sense_numbers_need_a_dot_and_a_space() {
        assert_eq!(strip_sense_number("12. doce"), "doce");
        assert_eq!(strip_sense_number("3.5 metros"), "3.5 metros");
        assert_eq!(strip_sense_number("1984"), "1984");
    }
}
