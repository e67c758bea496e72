//! CEFR levels: a learner's self-assessed level and a word's estimated difficulty share them.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A level of the Common European Framework of Reference, A1 (beginner) to C2 (mastery).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum CefrLevel {
    A1,
    A2,
    B1,
    B2,
    C1,
    C2,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a CEFR level (A1, A2, B1, B2, C1 or C2)")]
pub struct CefrLevelError(pub String);

impl CefrLevel {
    pub const ALL: [CefrLevel; 6] = [Self::A1, Self::A2, Self::B1, Self::B2, Self::C1, Self::C2];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::A1 => "A1",
            Self::A2 => "A2",
            Self::B1 => "B1",
            Self::B2 => "B2",
            Self::C1 => "C1",
            Self::C2 => "C2",
        }
    }
}

impl FromStr for CefrLevel {
    type Err = CefrLevelError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|level| level.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| CefrLevelError(s.to_owned()))
    }
}

impl fmt::Display for CefrLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_parse_case_insensitively_and_reject_others() {
        assert_eq!("b2".parse::<CefrLevel>(), Ok(CefrLevel::B2));
        assert_eq!(" C1 ".parse::<CefrLevel>(), Ok(CefrLevel::C1));
        assert!("D1".parse::<CefrLevel>().is_err());
        assert!(CefrLevel::A1 < CefrLevel::C2);
    }
}
