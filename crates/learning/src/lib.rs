//! The learning domain: decks, cards, FSRS scheduling, reviews, the study queue and statistics.

pub mod card;
pub mod card_actions;
pub mod card_material;
pub mod card_queries;
pub mod deck;
pub mod deck_csv;
pub mod export_deck;
pub mod fold_reviews;
pub mod import_words;
pub mod local_day;
pub mod manage_decks;
pub mod optimise;
pub mod ports;
pub mod prepare_content;
pub mod purge_tombstones;
pub mod quiz;
mod rating;
pub mod replay;
pub mod request_optimisation;
pub mod review;
pub mod scheduler;
pub mod stats;
pub mod streak;
pub mod study_queue;
pub mod study_session;
pub mod sync;
pub mod undo_review;

pub use rating::{Rating, RatingError};
