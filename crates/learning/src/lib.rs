//! The learning domain: decks, cards, FSRS scheduling, reviews and statistics. The foundation
//! holds the answer rating; the scheduler and the use cases arrive with the learning issue.

mod rating;
pub mod replay;
pub mod scheduler;

pub use rating::{Rating, RatingError};
