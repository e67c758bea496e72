use serde::{Deserialize, Serialize};
use std::fmt;

/// Longest lemma accepted (in characters); real headwords are far shorter.
pub const MAX_LEMMA_CHARS: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LemmaError {
    #[error("a word must not be empty")]
    Empty,
    #[error("a word must be at most {MAX_LEMMA_CHARS} characters")]
    TooLong,
    #[error("a word must not contain control characters")]
    ControlCharacter,
}

/// A dictionary headword: trimmed, inner whitespace collapsed to single spaces (multi-word
/// expressions like "give up" are lemmas too), no control characters. Case is kept: German
/// nouns and proper names need it; lookups decide how to fold case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Lemma(String);

impl Lemma {
    pub fn parse(raw: &str) -> Result<Self, LemmaError> {
        if raw.chars().any(|c| c.is_control() && !c.is_whitespace()) {
            return Err(LemmaError::ControlCharacter);
        }
        let collapsed = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        if collapsed.is_empty() {
            return Err(LemmaError::Empty);
        }
        if collapsed.chars().count() > MAX_LEMMA_CHARS {
            return Err(LemmaError::TooLong);
        }
        Ok(Self(collapsed))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Lemma {
    type Error = LemmaError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Lemma> for String {
    fn from(value: Lemma) -> Self {
        value.0
    }
}

impl fmt::Display for Lemma {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_is_trimmed_and_collapsed_and_case_kept() {
        assert_eq!(
            Lemma::parse("  give \t up ").expect("valid").as_str(),
            "give up"
        );
        assert_eq!(Lemma::parse("Haus").expect("valid").as_str(), "Haus");
        assert_eq!(Lemma::parse("کتاب").expect("valid").as_str(), "کتاب");
    }

    #[test]
    fn empty_overlong_and_control_characters_are_rejected() {
        assert_eq!(Lemma::parse(" \n "), Err(LemmaError::Empty));
        assert_eq!(Lemma::parse(&"a".repeat(101)), Err(LemmaError::TooLong));
        assert!(Lemma::parse(&"ب".repeat(100)).is_ok());
        assert_eq!(Lemma::parse("wo\u{0}rd"), Err(LemmaError::ControlCharacter));
    }
}
