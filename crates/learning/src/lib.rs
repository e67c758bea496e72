//! The learning domain: decks, cards, FSRS scheduling, reviews, the study queue and statistics.

pub mod card;
pub mod deck;
pub mod local_day;
pub mod ports;
mod rating;
pub mod replay;
pub mod review;
pub mod scheduler;
pub mod stats;
pub mod study_queue;

pub use rating::{Rating, RatingError};
