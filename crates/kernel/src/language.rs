//! BCP 47 language tags, checked on construction.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LanguageCodeError {
    #[error("a language code must not be empty")]
    Empty,
    #[error("'{0}' is not a BCP 47 language tag (expected e.g. 'en', 'fa', 'pt-BR', 'zh-Hant')")]
    Malformed(String),
}

/// A well-formed BCP 47 tag in canonical case: language lower-case (2–3 letters), script in
/// title case (4 letters), region upper-case (2 letters or 3 digits). Extensions and private-use
/// subtags are not accepted: the app never needs them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct LanguageCode(String);

impl LanguageCode {
    pub fn parse(raw: &str) -> Result<Self, LanguageCodeError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(LanguageCodeError::Empty);
        }
        let malformed = || LanguageCodeError::Malformed(raw.to_owned());
        let mut parts = raw.split(['-', '_']);
        let language = parts.next().ok_or_else(malformed)?;
        if !(2..=3).contains(&language.len()) || !language.chars().all(|c| c.is_ascii_alphabetic())
        {
            return Err(malformed());
        }
        let mut canonical = language.to_ascii_lowercase();
        let mut seen_script = false;
        let mut seen_region = false;
        for part in parts {
            let alpha = part.chars().all(|c| c.is_ascii_alphabetic());
            let digits = part.chars().all(|c| c.is_ascii_digit());
            if part.len() == 4 && alpha && !seen_script && !seen_region {
                seen_script = true;
                let mut chars = part.chars();
                canonical.push('-');
                canonical.extend(chars.next().map(|c| c.to_ascii_uppercase()));
                canonical.push_str(&chars.as_str().to_ascii_lowercase());
            } else if ((part.len() == 2 && alpha) || (part.len() == 3 && digits)) && !seen_region {
                seen_region = true;
                canonical.push('-');
                canonical.push_str(&part.to_ascii_uppercase());
            } else {
                return Err(malformed());
            }
        }
        Ok(Self(canonical))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `en`
    pub fn english() -> Self {
        Self("en".to_owned())
    }

    /// `und`: BCP 47's "undetermined", for a language not yet known.
    pub fn undetermined() -> Self {
        Self("und".to_owned())
    }

    /// The primary language subtag ("pt" of "pt-BR").
    pub fn primary(&self) -> &str {
        self.0.split('-').next().unwrap_or(&self.0)
    }
}

impl TryFrom<String> for LanguageCode {
    type Error = LanguageCodeError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<LanguageCode> for String {
    fn from(value: LanguageCode) -> Self {
        value.0
    }
}

impl fmt::Display for LanguageCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_tags_are_accepted_in_canonical_case() {
        for (raw, canonical) in [
            ("en", "en"),
            ("FA", "fa"),
            ("pt-br", "pt-BR"),
            ("zh_hant", "zh-Hant"),
            ("zh-hant-tw", "zh-Hant-TW"),
            ("es-419", "es-419"),
            ("ckb", "ckb"),
        ] {
            assert_eq!(LanguageCode::parse(raw).expect(raw).as_str(), canonical);
        }
    }

    #[test]
    fn malformed_tags_are_rejected() {
        assert_eq!(LanguageCode::parse(" "), Err(LanguageCodeError::Empty));
        for raw in [
            "e",
            "english",
            "en-",
            "en-US-US",
            "12",
            "en-Latn-Latn",
            "fa-IR-x",
        ] {
            assert!(
                LanguageCode::parse(raw).is_err(),
                "{raw} should be rejected"
            );
        }
    }

    #[test]
    fn primary_subtag_is_the_language() {
        assert_eq!(LanguageCode::parse("pt-BR").expect("valid").primary(), "pt");
    }
}
