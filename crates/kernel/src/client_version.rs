//! The version of the mobile app a request comes from (`MAJOR.MINOR.PATCH`), so that the server
//! can tell apps too old for it to update.

use std::fmt;
use std::str::FromStr;

/// A client version: one to three dot-separated numbers, missing ones are 0 (`2.1` is `2.1.0`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClientVersion {
    major: u32,
    minor: u32,
    patch: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a version of the form MAJOR.MINOR.PATCH")]
pub struct ClientVersionError;

impl ClientVersion {
    pub const fn new(major: u32, minor: u32, patch: u32) -> Self {
        Self {
            major,
            minor,
            patch,
        }
    }

    pub fn parse(raw: &str) -> Result<Self, ClientVersionError> {
        if raw.is_empty() || raw.len() > 32 {
            return Err(ClientVersionError);
        }
        let parts: Vec<&str> = raw.split('.').collect();
        if parts.len() > 3 {
            return Err(ClientVersionError);
        }
        let mut numbers = [0u32; 3];
        for (number, part) in numbers.iter_mut().zip(&parts) {
            if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(ClientVersionError);
            }
            *number = part.parse().map_err(|_| ClientVersionError)?;
        }
        Ok(Self::new(numbers[0], numbers[1], numbers[2]))
    }
}

impl FromStr for ClientVersion {
    type Err = ClientVersionError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for ClientVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_parts_are_zero_and_order_is_numeric() {
        assert_eq!(ClientVersion::parse("2.1"), Ok(ClientVersion::new(2, 1, 0)));
        assert!(
            ClientVersion::parse("1.10.0").expect("v") > ClientVersion::parse("1.9.9").expect("v")
        );
        assert_eq!(ClientVersion::parse("3").expect("v").to_string(), "3.0.0");
    }

    #[test]
    fn anything_else_is_refused() {
        for raw in [
            "",
            "1.",
            ".1",
            "1.2.3.4",
            "v1.2",
            "1.-2",
            "1.2.x",
            "99999999999",
            "1 .2",
        ] {
            assert_eq!(ClientVersion::parse(raw), Err(ClientVersionError), "{raw}");
        }
    }
}
