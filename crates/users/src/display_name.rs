use serde::{Deserialize, Serialize};
use std::fmt;
use unicode_normalization::UnicodeNormalization;

pub const MAX_NAME_CHARS: usize = 64;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DisplayNameError {
    #[error("a name must not be empty")]
    Empty,
    #[error("a name is at most {MAX_NAME_CHARS} characters")]
    TooLong,
    #[error("a name must not contain control characters")]
    ControlCharacter,
}

/// What the app calls the learner: NFC-normalised, trimmed, inner whitespace collapsed.
/// Any script is welcome (فاطمه, محمد, Zoë); zero-width joiners used in Persian are kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(raw: &str) -> Result<Self, DisplayNameError> {
        let normalised: String = raw.nfc().collect();
        if normalised
            .chars()
            .any(|c| c.is_control() && !c.is_whitespace())
        {
            return Err(DisplayNameError::ControlCharacter);
        }
        let collapsed = normalised.split_whitespace().collect::<Vec<_>>().join(" ");
        if collapsed.is_empty() {
            return Err(DisplayNameError::Empty);
        }
        if collapsed.chars().count() > MAX_NAME_CHARS {
            return Err(DisplayNameError::TooLong);
        }
        Ok(Self(collapsed))
    }

    /// The name of an account created without one (phone or Google sign-in without a name).
    pub fn default_learner() -> Self {
        Self("Learner".to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for DisplayName {
    type Error = DisplayNameError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<DisplayName> for String {
    fn from(value: DisplayName) -> Self {
        value.0
    }
}

impl fmt::Display for DisplayName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_any_script_are_normalised() {
        assert_eq!(
            DisplayName::parse("  Zoe\u{0308}  Ahmadi ")
                .expect("valid")
                .as_str(),
            "Zoë Ahmadi"
        );
        assert_eq!(
            DisplayName::parse("نیلوفر\u{200c}ها")
                .expect("valid")
                .as_str(),
            "نیلوفر\u{200c}ها"
        );
    }

    #[test]
    fn empty_long_and_control_names_are_rejected() {
        assert_eq!(DisplayName::parse("   "), Err(DisplayNameError::Empty));
        assert_eq!(
            DisplayName::parse(&"x".repeat(65)),
            Err(DisplayNameError::TooLong)
        );
        assert_eq!(
            DisplayName::parse("a\u{7}b"),
            Err(DisplayNameError::ControlCharacter)
        );
    }
}
