use serde::{Deserialize, Serialize};

/// The learner's answer to a card, as FSRS numbers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub enum Rating {
    Again = 1,
    Hard = 2,
    Good = 3,
    Easy = 4,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a rating is 1 (again), 2 (hard), 3 (good) or 4 (easy), not {0}")]
pub struct RatingError(pub u8);

impl TryFrom<u8> for Rating {
    type Error = RatingError;

    fn try_from(value: u8) -> Result<Self, Self::Error> {
        Ok(match value {
            1 => Self::Again,
            2 => Self::Hard,
            3 => Self::Good,
            4 => Self::Easy,
            other => return Err(RatingError(other)),
        })
    }
}

impl From<Rating> for u8 {
    fn from(rating: Rating) -> Self {
        rating as u8
    }
}

impl Rating {
    /// Whether the card was recalled (anything but Again).
    pub fn is_pass(self) -> bool {
        self != Self::Again
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratings_are_one_to_four() {
        for n in 1..=4u8 {
            assert_eq!(u8::from(Rating::try_from(n).expect("valid")), n);
        }
        assert_eq!(Rating::try_from(0), Err(RatingError(0)));
        assert_eq!(Rating::try_from(5), Err(RatingError(5)));
        assert!(!Rating::Again.is_pass() && Rating::Hard.is_pass());
    }

    #[test]
    fn ratings_deserialise_from_numbers_only_in_range() {
        assert_eq!(
            serde_json::from_str::<Rating>("3").expect("valid"),
            Rating::Good
        );
        assert!(serde_json::from_str::<Rating>("7").is_err());
    }
}
