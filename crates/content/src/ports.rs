//! What content generation needs from the outside: generators (an LLM, the offline extractive
//! one), the content store (MongoDB) and the usage ledger (PostgreSQL).

use crate::content_key::ContentKey;
use crate::learner_content::LearnerContent;
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use lingo_dictionary::ports::StoreError;
use lingo_dictionary::{Entry, PartOfSpeech, Zipf};
use lingo_kernel::{CefrLevel, LanguageCode, WordId};
use serde::{Deserialize, Serialize};

/// The word content is made for, with the stored entries that ground it.
#[derive(Debug, Clone, PartialEq)]
pub struct WordForContent {
    pub id: WordId,
    pub language: LanguageCode,
    pub lemma: String,
    pub part_of_speech: PartOfSpeech,
    pub zipf: Option<Zipf>,
    pub entries: Vec<Entry>,
}

/// A request to a generator. `repair` carries the previous answer and what was wrong with it.
#[derive(Debug, Clone, PartialEq)]
pub struct ContentRequest {
    pub word: WordForContent,
    pub native: LanguageCode,
    pub level: CefrLevel,
    pub repair: Option<Repair>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Repair {
    pub previous: String,
    pub problems: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct TokenUsage {
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
}

impl std::ops::Add for TokenUsage {
    type Output = Self;

    fn add(self, other: TokenUsage) -> Self {
        Self {
            prompt_tokens: self.prompt_tokens + other.prompt_tokens,
            completion_tokens: self.completion_tokens + other.completion_tokens,
        }
    }
}

/// What a generator answered: the text (to be checked against the schema) and its cost.
#[derive(Debug, Clone, PartialEq)]
pub struct Generated {
    pub text: String,
    pub usage: TokenUsage,
    /// The model that actually answered (servers may resolve aliases).
    pub model: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GeneratorError {
    /// Timeouts, 429 and 5xx after retries: worth another attempt of the job later.
    #[error("generator unavailable: {0}")]
    Unavailable(String),
    /// The model declined.
    #[error("the model refused: {0}")]
    Refused(String),
    /// The answer was cut off (`finish_reason: length`); the partial text is kept for repair.
    #[error("the answer was truncated")]
    Truncated { partial: String, usage: TokenUsage },
    /// The generator cannot work as configured (a rejected key, an unknown model): retrying
    /// cannot help until an operator fixes the configuration.
    #[error("generator misconfigured: {0}")]
    Misconfigured(String),
    /// The server's answer did not have the documented shape.
    #[error("malformed generator response: {0}")]
    Malformed(String),
}

#[async_trait]
pub trait ContentGenerator: Send + Sync {
    /// `openai-compatible`, `extractive`, …
    fn name(&self) -> &str;
    fn model(&self) -> &str;
    /// The version of the prompt files used (`learner_content/v1`).
    fn prompt_version(&self) -> &str;
    /// Whether a call is paid for (and so counted against the daily money budget).
    fn costs_money(&self) -> bool {
        true
    }
    async fn generate(&self, request: &ContentRequest) -> Result<Generated, GeneratorError>;
}

/// How a version was made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContentProvenance {
    pub generator: String,
    pub model: String,
    pub prompt_version: String,
    pub created_at: DateTime<Utc>,
    /// Whether the first answer failed the schema and a repair was needed.
    pub repaired: bool,
    pub usage: TokenUsage,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContentVersion {
    pub key: ContentKey,
    /// 1 for the first generation; regeneration adds versions, older ones are kept.
    pub version: u32,
    pub content: LearnerContent,
    pub provenance: ContentProvenance,
}

#[async_trait]
pub trait ContentStore: Send + Sync {
    async fn latest(&self, key: &ContentKey) -> Result<Option<ContentVersion>, StoreError>;
    /// Stores a new version; storing a version number that exists is a no-op (a rerun).
    async fn put(&self, version: &ContentVersion) -> Result<(), StoreError>;
    /// The latest version of each of `keys` that has one, by key id (`ContentKey::id`).
    async fn latest_of(
        &self,
        keys: &[ContentKey],
    ) -> Result<std::collections::HashMap<String, ContentVersion>, StoreError> {
        let mut found = std::collections::HashMap::new();
        for key in keys {
            if let Some(version) = self.latest(key).await? {
                found.insert(key.id(), version);
            }
        }
        Ok(found)
    }
}

/// Generated content not yet in the content store: kept in another store the moment it is
/// paid for, so a retry after a failed `ContentStore::put` stores it instead of paying the
/// generator again.
#[async_trait]
pub trait ContentDrafts: Send + Sync {
    async fn keep(&self, version: &ContentVersion) -> Result<(), StoreError>;
    /// The draft of `key`, if one is waiting.
    async fn get(&self, key: &ContentKey) -> Result<Option<ContentVersion>, StoreError>;
    async fn discard(&self, key: &ContentKey) -> Result<(), StoreError>;
}

/// Tokens and requests per model and day, for cost accounting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UsageRow {
    pub day: NaiveDate,
    pub generator: String,
    pub model: String,
    pub requests: u64,
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
}

impl UsageRow {
    /// The cost at these prices per million prompt and completion tokens.
    pub fn cost(&self, prompt_per_mtok: f64, completion_per_mtok: f64) -> f64 {
        (self.prompt_tokens as f64 * prompt_per_mtok
            + self.completion_tokens as f64 * completion_per_mtok)
            / 1_000_000.0
    }
}

#[async_trait]
pub trait UsageLedger: Send + Sync {
    async fn record(
        &self,
        day: NaiveDate,
        generator: &str,
        model: &str,
        usage: TokenUsage,
    ) -> Result<(), StoreError>;
    async fn between(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<UsageRow>, StoreError>;
}

/// The learner's native language and level, from their profile (the defaults of a request).
#[async_trait]
pub trait LearnerLanguages: Send + Sync {
    async fn native_and_level(
        &self,
        learner: lingo_kernel::UserId,
    ) -> Result<(lingo_kernel::LanguageCode, lingo_kernel::CefrLevel), StoreError>;
}

/// Runs work an answer need not wait for, on the process's runtime (the study session's
/// re-check of audio still pending).
pub trait Background: Send + Sync {
    fn spawn(&self, task: std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>);
}
