//! A lemma typed by a learner (adding a word to a deck by lemma). Stricter than a dictionary
//! headword (`Lemma`, which imports use for whatever a dictionary file holds): letters of one
//! script, single spaces, hyphens and apostrophes only between letters, no control, format or
//! bidirectional-override characters, NFC, at most `MAX_LEARNER_LEMMA_CHARS` characters. What
//! cannot be spoofed cannot be shown to the learner as something else (`evil<U+202E>txt`).

use crate::lemma::Lemma;
use serde::{Deserialize, Serialize};
use std::fmt;
use unicode_normalization::UnicodeNormalization;

/// Longest lemma a learner may add, in characters (after NFC); longer "words" are phrases or
/// payloads.
pub const MAX_LEARNER_LEMMA_CHARS: usize = 64;

const ZWNJ: char = '\u{200C}';

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LearnerLemmaError {
    #[error("a word must not be empty")]
    Empty,
    #[error("a word must be at most {MAX_LEARNER_LEMMA_CHARS} characters")]
    TooLong,
    #[error("a word must not contain control characters")]
    ControlCharacter,
    #[error("a word must not contain bidirectional control characters")]
    BidiControl,
    #[error(
        "a word may contain only letters, single spaces, hyphens and apostrophes (found U+{0:04X})"
    )]
    NotALetter(u32),
    #[error("spaces, hyphens and apostrophes must stand between letters")]
    MisplacedSeparator,
    #[error("a word must be written in one script")]
    MixedScripts,
}

/// A learner-typed lemma; see the module documentation for the rules.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct LearnerLemma(Lemma);

impl LearnerLemma {
    pub fn parse(raw: &str) -> Result<Self, LearnerLemmaError> {
        // Checked before trimming: a trailing override would otherwise survive as whitespace-ish.
        if raw.chars().any(is_bidi_control) {
            return Err(LearnerLemmaError::BidiControl);
        }
        if raw.chars().any(char::is_control) {
            return Err(LearnerLemmaError::ControlCharacter);
        }
        let nfc: String = raw.nfc().collect();
        let collapsed = nfc.split_whitespace().collect::<Vec<_>>().join(" ");
        if collapsed.is_empty() {
            return Err(LearnerLemmaError::Empty);
        }
        if collapsed.chars().count() > MAX_LEARNER_LEMMA_CHARS {
            return Err(LearnerLemmaError::TooLong);
        }
        check_shape(&collapsed)?;
        let lemma = Lemma::parse(&collapsed).map_err(|_| LearnerLemmaError::Empty)?;
        Ok(Self(lemma))
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    pub fn as_lemma(&self) -> &Lemma {
        &self.0
    }
}

/// Letters (of one script) joined by single separators.
fn check_shape(lemma: &str) -> Result<(), LearnerLemmaError> {
    let mut script = None;
    let mut after_separator = true; // the first character must be a letter
    for c in lemma.chars() {
        if is_separator(c) {
            if after_separator {
                return Err(LearnerLemmaError::MisplacedSeparator);
            }
            after_separator = true;
            continue;
        }
        let Some(this) = letter_script(c) else {
            return Err(LearnerLemmaError::NotALetter(u32::from(c)));
        };
        if this != Script::Inherited {
            match script {
                None => script = Some(this),
                Some(seen) if seen != this => return Err(LearnerLemmaError::MixedScripts),
                Some(_) => {}
            }
        }
        after_separator = false;
    }
    if after_separator {
        return Err(LearnerLemmaError::MisplacedSeparator);
    }
    Ok(())
}

/// Space, hyphens, apostrophes and (in Persian) the zero-width non-joiner between letters.
fn is_separator(c: char) -> bool {
    matches!(c, ' ' | '-' | '\u{2010}' | '\'' | '\u{2019}' | ZWNJ)
}

/// The Unicode characters that reorder text (explicit embeddings, overrides, isolates and marks).
fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// Scripts told apart for the one-script rule. Scripts not listed share `Other`; Japanese
/// kanji and kana are one (`食べる`); combining marks belong to the letter before them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Script {
    Latin,
    Greek,
    Cyrillic,
    Armenian,
    Hebrew,
    Arabic,
    Devanagari,
    Georgian,
    Hangul,
    CjkAndKana,
    Thai,
    Inherited,
    Other,
}

/// The script of a letter or combining mark; `None` for anything else (digits, punctuation,
/// symbols, format characters).
fn letter_script(c: char) -> Option<Script> {
    let script = match u32::from(c) {
        0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F => {
            return Some(Script::Inherited);
        }
        0x0041..=0x024F
        | 0x1E00..=0x1EFF
        | 0x2C60..=0x2C7F
        | 0xA720..=0xA7FF
        | 0xAB30..=0xAB6F
        | 0xFF21..=0xFF5A => Script::Latin,
        0x0370..=0x03FF | 0x1F00..=0x1FFF => Script::Greek,
        0x0400..=0x052F | 0x1C80..=0x1C8F | 0x2DE0..=0x2DFF | 0xA640..=0xA69F => Script::Cyrillic,
        0x0530..=0x058F => Script::Armenian,
        0x0590..=0x05FF => Script::Hebrew,
        0x0600..=0x06FF | 0x0750..=0x077F | 0x08A0..=0x08FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => {
            Script::Arabic
        }
        0x0900..=0x097F => Script::Devanagari,
        0x0E00..=0x0E7F => Script::Thai,
        0x10A0..=0x10FF | 0x2D00..=0x2D2F => Script::Georgian,
        0x1100..=0x11FF | 0x3130..=0x318F | 0xAC00..=0xD7AF => Script::Hangul,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF => Script::CjkAndKana,
        _ => Script::Other,
    };
    // Letters, and the combining vowel signs and harakat Unicode counts as alphabetic.
    c.is_alphabetic().then_some(script)
}

impl TryFrom<String> for LearnerLemma {
    type Error = LearnerLemmaError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<LearnerLemma> for String {
    fn from(value: LearnerLemma) -> Self {
        value.0.into()
    }
}

impl fmt::Display for LearnerLemma {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(raw: &str) -> String {
        LearnerLemma::parse(raw)
            .unwrap_or_else(|e| panic!("{raw:?}: {e}"))
            .as_str()
            .to_owned()
    }

    #[test]
    fn words_of_one_script_with_inner_separators_are_accepted() {
        assert_eq!(ok("  give   up "), "give up");
        assert_eq!(ok("rock'n'roll"), "rock'n'roll");
        assert_eq!(ok("mother-in-law"), "mother-in-law");
        assert_eq!(ok("Straße"), "Straße");
        assert_eq!(ok("کتاب‌ها"), "کتاب‌ها");
        assert_eq!(ok("книга"), "книга");
        assert_eq!(ok("食べる"), "食べる");
        assert_eq!(ok("زِنْدگی"), "زِنْدگی");
    }

    #[test]
    fn lemmas_are_stored_in_nfc() {
        assert_eq!(ok("cafe\u{0301}"), "caf\u{00E9}");
    }

    #[test]
    fn bidi_overrides_and_isolates_are_rejected() {
        for raw in ["evil\u{202E}txt", "\u{2066}word\u{2069}", "word\u{200F}"] {
            assert_eq!(
                LearnerLemma::parse(raw),
                Err(LearnerLemmaError::BidiControl),
                "{raw:?}"
            );
        }
    }

    #[test]
    fn control_characters_are_rejected() {
        for raw in ["wo\u{0}rd", "word\n", "a\u{7F}b", "x\u{85}"] {
            assert_eq!(
                LearnerLemma::parse(raw),
                Err(LearnerLemmaError::ControlCharacter),
                "{raw:?}"
            );
        }
    }

    #[test]
    fn overlong_lemmas_are_rejected() {
        assert!(LearnerLemma::parse(&"a".repeat(MAX_LEARNER_LEMMA_CHARS)).is_ok());
        assert_eq!(
            LearnerLemma::parse(&"a".repeat(MAX_LEARNER_LEMMA_CHARS + 1)),
            Err(LearnerLemmaError::TooLong)
        );
        assert!(LearnerLemma::parse(&"ب".repeat(MAX_LEARNER_LEMMA_CHARS)).is_ok());
    }

    #[test]
    fn mixed_scripts_are_rejected() {
        // "paypal" with a Cyrillic "а": a homograph.
        assert_eq!(
            LearnerLemma::parse("p\u{0430}ypal"),
            Err(LearnerLemmaError::MixedScripts)
        );
        assert_eq!(
            LearnerLemma::parse("book کتاب"),
            Err(LearnerLemmaError::MixedScripts)
        );
    }

    #[test]
    fn digits_symbols_and_invisible_characters_are_rejected() {
        assert_eq!(
            LearnerLemma::parse("h4ck"),
            Err(LearnerLemmaError::NotALetter(0x34))
        );
        assert_eq!(
            LearnerLemma::parse("a<b>"),
            Err(LearnerLemmaError::NotALetter(0x3C))
        );
        assert_eq!(
            LearnerLemma::parse("zero\u{200B}width"),
            Err(LearnerLemmaError::NotALetter(0x200B))
        );
        assert!(matches!(
            LearnerLemma::parse("🙂"),
            Err(LearnerLemmaError::NotALetter(_))
        ));
    }

    #[test]
    fn separators_must_stand_between_letters() {
        for raw in ["-word", "word-", "'tis", "a--b", "a -b", "\u{200C}x"] {
            assert_eq!(
                LearnerLemma::parse(raw),
                Err(LearnerLemmaError::MisplacedSeparator),
                "{raw:?}"
            );
        }
        assert_eq!(LearnerLemma::parse("   "), Err(LearnerLemmaError::Empty));
    }
}
