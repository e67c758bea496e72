//! The closed sets of words the api writes, as enum schemas, so a generated client gets an enum
//! rather than a string (docs/api-contract.md: every enum is snake_case). The views keep writing
//! the domain's own names; the contract tests check both agree.

use utoipa::ToSchema;

/// A card's FSRS state.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum CardStateName {
    Learning,
    Review,
    Relearning,
}

/// What a card asks.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum CardTypeName {
    Recognition,
    Recall,
    Typing,
}

/// A learner's own deck, or one published to every learner.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum DeckKind {
    Personal,
    System,
}

/// Where a background job is.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum JobStatusName {
    Queued,
    Running,
    Succeeded,
    Failed,
    Dead,
}

/// What became of one review.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum ReviewStatus {
    Applied,
    Duplicate,
    Rejected,
    Conflict,
    NotFound,
}

/// Whether an account may sign in.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum AccountStatus {
    Active,
    Disabled,
}

/// An account's role.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum RoleName {
    Learner,
    Admin,
}

/// What the front of a card shows.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum FrontKind {
    Lemma,
    Meaning,
}

/// Whether a word's learning content exists yet.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum ContentStatus {
    Ready,
    Missing,
}

/// A kind of quiz question.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum QuizKindName {
    MeaningToWord,
    WordToMeaning,
    Cloze,
    Typing,
    Matching,
    Listening,
}

/// The kind of file a learner imports into a deck.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum ImportFormatName {
    Csv,
    Tsv,
    Apkg,
}
