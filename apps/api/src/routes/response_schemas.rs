//! The OpenAPI schemas of the responses that handlers serialize straight from domain types
//! (a lookup, a search page, a text analysis, statistics). The domain crates know nothing of
//! OpenAPI, so these types describe the same JSON for the document only: they are never built.
//! schemathesis' `response_schema_conformance` check (docs/api-contract.md) fails when one of
//! them drifts from what the server sends.
#![allow(dead_code)]

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// A CEFR level.
#[derive(Serialize, ToSchema)]
pub enum Cefr {
    A1,
    A2,
    B1,
    B2,
    C1,
    C2,
}

#[derive(Serialize, ToSchema)]
pub struct Example {
    text: String,
    #[schema(required = false)]
    translation: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Sense {
    gloss: String,
    #[schema(required = false)]
    examples: Vec<Example>,
    /// Register, domain and usage labels.
    #[schema(required = false)]
    tags: Vec<String>,
    #[schema(required = false)]
    synonyms: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Pronunciation {
    #[schema(required = false)]
    ipa: Option<String>,
    #[schema(required = false)]
    audio_url: Option<String>,
    #[schema(required = false)]
    accent: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Translation {
    /// BCP 47.
    language: String,
    text: String,
    #[schema(required = false)]
    sense: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Form {
    form: String,
    #[schema(required = false)]
    tags: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Provenance {
    source: String,
    licence: String,
    retrieved_at: DateTime<Utc>,
    #[schema(required = false)]
    origin: Option<String>,
}

/// One entry of one source for one headword and part of speech.
#[derive(Serialize, ToSchema)]
pub struct Entry {
    language: String,
    lemma: String,
    headword: String,
    /// Empty when the source does not say.
    part_of_speech: String,
    discriminator: String,
    senses: Vec<Sense>,
    pronunciations: Vec<Pronunciation>,
    translations: Vec<Translation>,
    forms: Vec<Form>,
    provenance: Provenance,
}

/// A word row (one per language, lemma and part of speech): the ids decks take.
#[derive(Serialize, ToSchema)]
pub struct WordMetadata {
    id: Uuid,
    language: String,
    lemma: String,
    part_of_speech: String,
    /// Zipf frequency, 0 to 9.
    #[schema(minimum = 0, maximum = 9)]
    zipf: Option<f64>,
    cefr: Option<Cefr>,
    sources: Vec<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

/// A looked-up word: its rows and every stored entry, from any source.
#[derive(Serialize, ToSchema)]
pub struct WordLookup {
    language: String,
    lemma: String,
    /// What was asked for, when it differs from the lemma ("went" for "go").
    query: Option<String>,
    #[schema(minimum = 0, maximum = 9)]
    zipf: Option<f64>,
    cefr: Option<Cefr>,
    words: Vec<WordMetadata>,
    entries: Vec<Entry>,
    /// The lemma spoken: a source's licensed audio, else rendered audio (`/api/v1/audio/{id}`).
    #[schema(required = false)]
    audio_url: Option<String>,
    /// Rendered audio is being made: a later lookup has its `audio_url`.
    audio_pending: bool,
}

#[derive(Serialize, ToSchema)]
pub struct SearchHit {
    id: Uuid,
    lemma: String,
    part_of_speech: String,
    #[schema(minimum = 0, maximum = 9)]
    zipf: Option<f64>,
    cefr: Option<Cefr>,
    /// Similarity to the query, 0 to 1 (1 for prefix matches).
    score: f32,
}

#[derive(Serialize, ToSchema)]
pub struct AnalysedWord {
    lemma: String,
    count: u32,
    forms: Vec<String>,
    #[schema(minimum = 0, maximum = 9)]
    zipf: Option<f64>,
    cefr: Option<Cefr>,
    in_dictionary: bool,
    /// `null` when nobody is signed in.
    in_my_decks: Option<bool>,
}

#[derive(Serialize, ToSchema)]
pub struct TextAnalysis {
    language: String,
    tokens: u32,
    words: Vec<AnalysedWord>,
}

#[derive(Serialize, ToSchema)]
pub struct DayCount {
    date: NaiveDate,
    reviews: u32,
    passed: u32,
    time_ms: i64,
}

#[derive(Serialize, ToSchema)]
pub struct StateCounts {
    new: u32,
    learning: u32,
    review: u32,
    relearning: u32,
    suspended: u32,
    leeches: u32,
}

/// Cards due on one coming local day.
#[derive(Serialize, ToSchema)]
pub struct DueDay {
    date: NaiveDate,
    #[schema(minimum = 0)]
    due: u32,
}

/// Progress towards today's goal.
#[derive(Serialize, ToSchema)]
pub struct GoalProgress {
    kind: super::profile_dto::GoalKind,
    target: u32,
    /// Reviews today, or whole minutes of review time today.
    done: u32,
    met: bool,
}

/// One day of the heatmap: a day with reviews, or a missed day a streak freeze covered.
#[derive(Serialize, ToSchema)]
pub struct HeatmapDay {
    date: NaiveDate,
    reviews: u32,
    time_ms: i64,
    frozen: bool,
}

/// The learner's statistics.
#[derive(Serialize, ToSchema)]
pub struct Stats {
    /// The last 30 local days with reviews.
    reviews_per_day: Vec<DayCount>,
    /// Share of passed reviews of mature cards; `null` before any.
    true_retention: Option<f64>,
    /// Consecutive local days with reviews ending today (or yesterday while today has none);
    /// frozen days bridge a gap without counting.
    streak_days: u32,
    longest_streak_days: u32,
    /// One is earned every 7 days of a streak, at most 2 are banked; each covers one missed day.
    streak_freezes_available: u32,
    goal: GoalProgress,
    /// The last 365 local days with reviews or a freeze, oldest first.
    heatmap: Vec<HeatmapDay>,
    states: StateCounts,
    learned_words: u32,
    time_spent_ms: i64,
    /// Cards due per day for the next 30 days.
    forecast: Vec<DueDay>,
}

/// What a quiz question shows, by `kind`; never the answer.
#[derive(Serialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum QuizPrompt {
    MeaningToWord {
        meaning: String,
        options: Vec<String>,
    },
    WordToMeaning {
        word: String,
        options: Vec<String>,
    },
    Cloze {
        /// The sentence with the word replaced by `____`.
        sentence: String,
        #[schema(required = false)]
        hint: Option<String>,
    },
    Typing {
        meaning: String,
    },
    Matching {
        words: Vec<String>,
        /// The same meanings, in another order.
        meanings: Vec<String>,
    },
    Listening {
        /// The word spoken: play it, then choose or type the word.
        audio_url: String,
        /// Four words to choose from; empty: type what you hear.
        options: Vec<String>,
    },
}

/// A learner's answer: the chosen or typed text (at most 200 characters), or for a matching
/// question word → meaning (at most 20 pairs).
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
pub enum QuizAnswer {
    Text(String),
    Pairs(std::collections::BTreeMap<String, String>),
}

#[derive(Serialize, ToSchema)]
pub struct ExpectedPair {
    card_id: Uuid,
    word: String,
    meaning: String,
}

/// The right answer of a question.
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
pub enum QuizExpected {
    Text { answer: String },
    Pairs { pairs: Vec<ExpectedPair> },
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LevelBand {
    /// A1–A2
    Beginner,
    /// B1–B2
    Intermediate,
    /// C1–C2
    Advanced,
}

#[derive(Serialize, ToSchema)]
pub struct ContentKey {
    word_id: Uuid,
    /// The learner's native language (BCP 47).
    native: String,
    band: LevelBand,
}

#[derive(Serialize, ToSchema)]
pub struct ContentSense {
    part_of_speech: String,
    /// A simple definition in the word's language, at the learner's level.
    definition: String,
    /// The meaning in the learner's native language.
    translation: String,
}

#[derive(Serialize, ToSchema)]
pub struct ContentExample {
    text: String,
    translation: String,
}

#[derive(Serialize, ToSchema)]
pub struct LearnerContent {
    /// IPA, e.g. `/haʊs/`; empty when unknown.
    ipa: String,
    #[schema(min_items = 1, max_items = 3)]
    senses: Vec<ContentSense>,
    #[schema(min_items = 2, max_items = 3)]
    examples: Vec<ContentExample>,
    #[schema(max_items = 8)]
    collocations: Vec<String>,
    mnemonic: String,
    common_mistakes: String,
}

#[derive(Serialize, ToSchema)]
pub struct TokenUsage {
    prompt_tokens: u64,
    completion_tokens: u64,
}

#[derive(Serialize, ToSchema)]
pub struct ContentProvenance {
    generator: String,
    model: String,
    prompt_version: String,
    created_at: DateTime<Utc>,
    /// Whether the first answer failed the schema and a repair was needed.
    repaired: bool,
    usage: TokenUsage,
}

/// One version of a word's learner content.
#[derive(Serialize, ToSchema)]
pub struct ContentVersion {
    key: ContentKey,
    /// 1 for the first generation; regeneration adds versions.
    version: u32,
    content: LearnerContent,
    provenance: ContentProvenance,
}

#[derive(Serialize, ToSchema)]
pub struct ExportedAccount {
    id: Uuid,
    email: Option<String>,
    phone: Option<String>,
    display_name: String,
    /// learner or admin
    role: String,
    #[schema(value_type = super::enums::AccountStatus)]
    status: String,
    has_password: bool,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct ExportedIdentity {
    /// e.g. google
    provider: String,
    linked_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct ExportedSession {
    created_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    revoked_at: Option<DateTime<Utc>>,
}

#[derive(Serialize, ToSchema)]
pub struct ExportedEmailLink {
    /// verify, reset or change
    purpose: String,
    email: String,
    created_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    used_at: Option<DateTime<Utc>>,
}

#[derive(Serialize, ToSchema)]
pub struct ExportedDeck {
    id: Uuid,
    name: String,
    description: String,
    #[schema(value_type = Vec<super::enums::CardTypeName>)]
    card_types: Vec<String>,
    #[schema(value_type = super::enums::DeckKind)]
    kind: String,
    /// For a subscription: the system deck it follows.
    source_deck_id: Option<Uuid>,
    version: i32,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct ExportedCard {
    id: Uuid,
    deck_id: Uuid,
    word_id: Uuid,
    lemma: String,
    language: String,
    part_of_speech: String,
    #[schema(value_type = super::enums::CardTypeName)]
    card_type: String,
    #[schema(value_type = super::enums::CardStateName)]
    state: String,
    step: Option<i32>,
    stability: Option<f64>,
    difficulty: Option<f64>,
    due: DateTime<Utc>,
    last_review: Option<DateTime<Utc>>,
    reps: i32,
    lapses: i32,
    suspended: bool,
    buried_until: Option<DateTime<Utc>>,
    leech: bool,
    version: i32,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    reset_at: Option<DateTime<Utc>>,
    note: Option<String>,
    translation: Option<String>,
    tags: Vec<String>,
    source_sentence: Option<String>,
}

/// A card's schedule as stored before or after a review.
#[derive(Serialize, ToSchema)]
pub struct ExportedCardState {
    #[schema(value_type = super::enums::CardStateName)]
    state: String,
    step: Option<u32>,
    stability: Option<f64>,
    difficulty: Option<f64>,
    due: DateTime<Utc>,
    last_review: Option<DateTime<Utc>>,
    reps: i32,
    lapses: i32,
    leech: bool,
    suspended: bool,
}

#[derive(Serialize, ToSchema)]
pub struct ExportedReviewLog {
    id: i64,
    card_id: Uuid,
    client_review_id: String,
    /// 1 (Again) to 4 (Easy).
    #[schema(minimum = 1, maximum = 4)]
    rating: i16,
    reviewed_at: DateTime<Utc>,
    duration_ms: Option<i32>,
    parameters_version: i32,
    before: ExportedCardState,
    after: ExportedCardState,
    undone: bool,
    created_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct ExportedQuizQuestion {
    position: i32,
    kind: String,
    card_ids: Vec<Uuid>,
    answered_at: Option<DateTime<Utc>>,
    /// correct, almost or wrong; null until answered.
    outcome: Option<String>,
    rating: Option<i32>,
    duration_ms: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct ExportedQuiz {
    id: Uuid,
    deck_id: Option<Uuid>,
    created_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    questions: Vec<ExportedQuizQuestion>,
}

#[derive(Serialize, ToSchema)]
pub struct ExportedParameters {
    version: i32,
    parameters: Vec<f64>,
    log_loss: Option<f64>,
    reviews: i32,
    created_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct ExportedActivityDay {
    day: chrono::NaiveDate,
    reviews: i32,
    passed: i32,
    time_ms: i64,
}

/// A content generation the learner asked for (while the job ledger keeps it).
#[derive(Serialize, ToSchema)]
pub struct ExportedContentRequest {
    job_id: Uuid,
    kind: String,
    /// The words the content was asked for.
    word_ids: Vec<Uuid>,
    /// The native language asked for (one word's generation).
    native: Option<String>,
    /// The level band asked for (one word's generation).
    band: Option<String>,
    #[schema(value_type = super::enums::JobStatusName)]
    status: String,
    created_at: DateTime<Utc>,
    finished_at: Option<DateTime<Utc>>,
}

/// Another job the learner started (while the job ledger keeps it).
#[derive(Serialize, ToSchema)]
pub struct ExportedJob {
    job_id: Uuid,
    kind: String,
    #[schema(value_type = super::enums::JobStatusName)]
    status: String,
    created_at: DateTime<Utc>,
    finished_at: Option<DateTime<Utc>>,
}

/// A registered device; the list is empty until devices exist.
#[derive(Serialize, ToSchema)]
pub struct ExportedDevice {
    id: Uuid,
    platform: String,
    created_at: DateTime<Utc>,
}

/// An in-app notification (kept 90 days, docs/reminders.md).
#[derive(Serialize, ToSchema)]
pub struct ExportedNotification {
    id: Uuid,
    #[schema(example = "reminder")]
    kind: String,
    title: String,
    body: String,
    created_at: DateTime<Utc>,
    read_at: Option<DateTime<Utc>>,
}

/// A learner-day a study reminder was sent for (kept 31 days).
#[derive(Serialize, ToSchema)]
pub struct ExportedReminderDay {
    day: chrono::NaiveDate,
    sent_at: DateTime<Utc>,
}

/// Everything Lingo keeps about the account (GDPR export). The same document is the file of
/// `POST /api/v1/me/export`, gzipped.
#[derive(Serialize, ToSchema)]
pub struct AccountExport {
    /// 2 since decks, cards and reviews joined the export.
    format_version: u32,
    exported_at: DateTime<Utc>,
    account: ExportedAccount,
    profile: super::profile_dto::ProfileView,
    linked_identities: Vec<ExportedIdentity>,
    email_links: Vec<ExportedEmailLink>,
    sessions: Vec<ExportedSession>,
    decks: Vec<ExportedDeck>,
    cards: Vec<ExportedCard>,
    review_logs: Vec<ExportedReviewLog>,
    quizzes: Vec<ExportedQuiz>,
    fsrs_parameters: Vec<ExportedParameters>,
    activity_days: Vec<ExportedActivityDay>,
    content_requests: Vec<ExportedContentRequest>,
    jobs: Vec<ExportedJob>,
    devices: Vec<ExportedDevice>,
    notifications: Vec<ExportedNotification>,
    reminders_sent: Vec<ExportedReminderDay>,
}
