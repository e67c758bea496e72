//! Text normalisation applied before any comparison: headwords on the way in, user input and
//! tokens on the way out. Display forms are kept elsewhere (an entry's `headword`).

use unicode_normalization::UnicodeNormalization;

const ZWNJ: char = '\u{200C}';
const TATWEEL: char = '\u{0640}';

/// Arabic harakat (short vowels, tanween, shadda, sukun), superscript alef and Quranic marks:
/// dictionaries and learners write the same word with and without them.
fn is_arabic_diacritic(c: char) -> bool {
    matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06ED}')
}

/// One spelling for letters that Arabic and Persian keyboards encode differently.
fn unify_letter(c: char) -> char {
    match c {
        // Arabic yeh and alef maksura → Persian yeh; Arabic kaf → keheh.
        '\u{064A}' | '\u{0649}' => '\u{06CC}',
        '\u{0643}' => '\u{06A9}',
        other => other,
    }
}

/// NFC; Arabic-script letters unified, tatweel and harakat dropped; whitespace collapsed.
/// ZWNJ is kept: in Persian it joins the parts of one word (`کتاب‌ها`).
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.nfc() {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if c == TATWEEL || is_arabic_diacritic(c) {
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(unify_letter(c));
    }
    out
}

/// The key two spellings of one headword share: normalised, then lower-cased. Stores index it
/// so that "House", "house" and "HOUSE" find the same entries.
pub fn fold_key(text: &str) -> String {
    normalise(text).to_lowercase()
}

/// Whether `c` joins the parts of a word (kept inside tokens).
pub fn is_joiner(c: char) -> bool {
    c == ZWNJ
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arabic_variants_tatweel_and_harakat_are_unified() {
        // كتاب with Arabic kaf and harakat, and a tatweel, against the Persian spelling.
        assert_eq!(normalise("كِتَـــاب"), normalise("کتاب"));
        assert_eq!(normalise("علي"), "علی");
    }

    #[test]
    fn zwnj_is_kept_and_whitespace_collapsed() {
        assert_eq!(normalise("  کتاب\u{200C}ها  "), "کتاب\u{200C}ها");
        assert_eq!(normalise("give \t up"), "give up");
    }

    #[test]
    fn fold_key_ignores_case_and_composition() {
        assert_eq!(fold_key("Café"), fold_key("cafe\u{301}"));
        assert_eq!(fold_key("HOUSE"), "house");
    }
}
