use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    #[error("a phone number must be in international form, e.g. +989121234567")]
    NotInternational,
    #[error("a phone number has 8 to 15 digits after the country code sign")]
    Length,
    #[error("a phone number may contain only digits, spaces, dashes, dots and parentheses")]
    Characters,
}

/// A phone number in E.164 form (`+` then 8–15 digits, the first not 0).
///
/// Input is forgiving the way people type numbers: spaces, dashes, dots and parentheses are
/// dropped, a leading `00` means `+`, and Persian (۰–۹) and Arabic-Indic (٠–٩) digits are read as
/// digits — the learners this app serves often type them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PhoneNumber(String);

fn ascii_digit(c: char) -> Option<char> {
    match c {
        '0'..='9' => Some(c),
        '\u{06F0}'..='\u{06F9}' => char::from_digit(c as u32 - 0x06F0, 10),
        '\u{0660}'..='\u{0669}' => char::from_digit(c as u32 - 0x0660, 10),
        _ => None,
    }
}

impl PhoneNumber {
    pub fn parse(raw: &str) -> Result<Self, PhoneError> {
        let mut digits = String::with_capacity(16);
        let mut plus = false;
        for (i, c) in raw.trim().chars().enumerate() {
            if let Some(d) = ascii_digit(c) {
                digits.push(d);
            } else if c == '+' && i == 0 {
                plus = true;
            } else if !matches!(c, ' ' | '-' | '.' | '(' | ')' | '\u{00A0}') {
                return Err(PhoneError::Characters);
            }
        }
        if !plus {
            match digits.strip_prefix("00") {
                Some(rest) => digits = rest.to_owned(),
                None => return Err(PhoneError::NotInternational),
            }
        }
        if !(8..=15).contains(&digits.len()) || digits.starts_with('0') {
            return Err(PhoneError::Length);
        }
        Ok(Self(format!("+{digits}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// For logs: the country code and the last two digits only (`+98…67`).
    pub fn masked(&self) -> String {
        let digits = &self.0[1..];
        format!("+{}…{}", &digits[..2], &digits[digits.len() - 2..])
    }
}

impl TryFrom<String> for PhoneNumber {
    type Error = PhoneError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<PhoneNumber> for String {
    fn from(value: PhoneNumber) -> Self {
        value.0
    }
}

/// Never prints the whole number: phone numbers are personal data and must stay out of logs.
impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_normalised_to_e164() {
        for raw in [
            "+98 912 123 4567",
            "0098-912-123-4567",
            "+98 (912) 123.45.67",
            "+۹۸۹۱۲۱۲۳۴۵۶۷",
            "+٩٨٩١٢١٢٣٤٥٦٧",
        ] {
            assert_eq!(
                PhoneNumber::parse(raw).expect(raw).as_str(),
                "+989121234567"
            );
        }
    }

    #[test]
    fn local_short_long_and_lettered_numbers_are_rejected() {
        assert_eq!(
            PhoneNumber::parse("09121234567"),
            Err(PhoneError::NotInternational)
        );
        assert_eq!(PhoneNumber::parse("+1234567"), Err(PhoneError::Length));
        assert_eq!(
            PhoneNumber::parse("+1234567890123456"),
            Err(PhoneError::Length)
        );
        assert_eq!(PhoneNumber::parse("+0123456789"), Err(PhoneError::Length));
        assert_eq!(
            PhoneNumber::parse("+98 912 CALL ME"),
            Err(PhoneError::Characters)
        );
        assert_eq!(
            PhoneNumber::parse("+98+9121234567"),
            Err(PhoneError::Characters)
        );
    }

    #[test]
    fn display_masks_the_number() {
        let phone = PhoneNumber::parse("+989121234567").expect("valid");
        assert_eq!(phone.to_string(), "+98…67");
        assert!(!format!("{phone}").contains("1234"));
    }
}
