//! How common a word is (Zipf scale) and the CEFR band estimated from it.

use lingo_kernel::CefrLevel;
use serde::{Deserialize, Serialize};

/// Zipf frequency: log10 of occurrences per billion words. 7+ for "the", about 3 for rare
/// words a C1 learner meets; 0 means unseen. Finite and within 0..=9 by construction.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize, Deserialize)]
#[serde(try_from = "f64", into = "f64")]
pub struct Zipf(f64);

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("a Zipf frequency is a number from 0 to 9 (got {0})")]
pub struct ZipfError(pub String);

impl Zipf {
    pub fn new(value: f64) -> Result<Self, ZipfError> {
        if value.is_finite() && (0.0..=9.0).contains(&value) {
            Ok(Self(value))
        } else {
            Err(ZipfError(value.to_string()))
        }
    }

    pub fn get(self) -> f64 {
        self.0
    }

    /// The estimated CEFR band of a word this common; see docs/dictionary.md. Bands were set so
    /// that well-known anchors land where learner lists put them ("house", "book" A1, "abandon"
    /// B2, "ubiquitous" C1); they are an estimate, not a certified level.
    pub fn estimated_cefr(self) -> CefrLevel {
        match self.0 {
            z if z >= 5.3 => CefrLevel::A1,
            z if z >= 4.7 => CefrLevel::A2,
            z if z >= 4.1 => CefrLevel::B1,
            z if z >= 3.5 => CefrLevel::B2,
            z if z >= 3.0 => CefrLevel::C1,
            _ => CefrLevel::C2,
        }
    }
}

impl TryFrom<f64> for Zipf {
    type Error = ZipfError;
    fn try_from(value: f64) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl From<Zipf> for f64 {
    fn from(value: Zipf) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zipf(v: f64) -> Zipf {
        Zipf::new(v).expect("in range")
    }

    #[test]
    fn out_of_range_and_nan_are_rejected() {
        assert!(Zipf::new(-0.1).is_err());
        assert!(Zipf::new(9.5).is_err());
        assert!(Zipf::new(f64::NAN).is_err());
    }

    #[test]
    fn anchor_words_land_in_their_bands() {
        assert_eq!(zipf(7.73).estimated_cefr(), CefrLevel::A1); // the
        assert_eq!(zipf(5.43).estimated_cefr(), CefrLevel::A1); // book
        assert_eq!(zipf(4.02).estimated_cefr(), CefrLevel::B2); // abandon
        assert_eq!(zipf(3.42).estimated_cefr(), CefrLevel::C1); // ubiquitous
        assert_eq!(zipf(1.0).estimated_cefr(), CefrLevel::C2);
    }
}
