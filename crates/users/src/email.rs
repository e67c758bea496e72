use serde::{Deserialize, Serialize};
use std::fmt;
use unicode_normalization::UnicodeNormalization;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("an email address looks like name@example.com")]
    Malformed,
    #[error("an email address is at most 254 characters")]
    TooLong,
}

/// An email address, Unicode-normalised (NFC) and lower-cased, so that two spellings of the same
/// address are one account. Only the shape is checked here (one `@`, a dotted domain, no spaces);
/// deliverability is the mail provider's business.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, EmailError> {
        let normalised: String = raw.trim().nfc().collect::<String>().to_lowercase();
        if normalised.chars().count() > 254 {
            return Err(EmailError::TooLong);
        }
        let (local, domain) = normalised.split_once('@').ok_or(EmailError::Malformed)?;
        let well_formed = !local.is_empty()
            && local.chars().count() <= 64
            && !domain.contains('@')
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && !normalised
                .chars()
                .any(|c| c.is_whitespace() || c.is_control());
        if !well_formed {
            return Err(EmailError::Malformed);
        }
        Ok(Self(normalised))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Email {
    type Error = EmailError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Email> for String {
    fn from(value: Email) -> Self {
        value.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_normalised_and_case_folded() {
        assert_eq!(
            Email::parse("  Sara.Ahmadi@Example.COM ")
                .expect("valid")
                .as_str(),
            "sara.ahmadi@example.com"
        );
        // "é" as e + combining acute (NFD) equals the precomposed form (NFC).
        assert_eq!(
            Email::parse("rene\u{0301}@example.com").expect("valid"),
            Email::parse("ren\u{00e9}@example.com").expect("valid")
        );
    }

    #[test]
    fn malformed_addresses_are_rejected() {
        for raw in [
            "",
            "sara",
            "sara@",
            "@example.com",
            "sara@example",
            "sara@@example.com",
            "sa ra@example.com",
            "sara@example..com",
            "sara@.example.com",
        ] {
            assert!(Email::parse(raw).is_err(), "{raw}");
        }
        assert_eq!(
            Email::parse(&format!("{}@example.com", "a".repeat(250))),
            Err(EmailError::TooLong)
        );
    }
}
