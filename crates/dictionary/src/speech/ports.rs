//! The speech engine and the audio store, one role each.

use super::audio_key::{AudioKey, Voice};
use crate::ports::StoreError;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use lingo_kernel::LanguageCode;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// Encoded audio an engine produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Speech {
    pub bytes: Vec<u8>,
    /// `audio/ogg` (Opus) or `audio/mpeg`.
    pub content_type: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SpeechError {
    /// The engine has no voice for the language (or not the one asked for).
    #[error("no voice for {0}")]
    Unsupported(String),
    /// The engine refused this input, or answered with something that is not audio: trying
    /// again cannot help.
    #[error("speech rejected: {0}")]
    Rejected(String),
    /// The engine is down, slow or overloaded: try again later.
    #[error("speech engine unavailable: {0}")]
    Unavailable(String),
}

/// Turns text into encoded audio.
#[async_trait]
pub trait SpeechSynthesizer: Send + Sync {
    /// Names the engine in the audio's provenance (`espeak-ng`, `openai:tts-1`).
    fn engine(&self) -> String;
    /// The voice used for `language` when none is asked for; `None` when the engine cannot
    /// speak it.
    fn default_voice(&self, language: &LanguageCode) -> Option<Voice>;
    /// Speaks `key.text` in `key.language` with `key.voice`.
    async fn synthesize(&self, key: &AudioKey) -> Result<Speech, SpeechError>;
}

/// Where the audio came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AudioProvenance {
    pub engine: String,
    pub created_at: DateTime<Utc>,
    /// `job:<id>` of the render.
    pub rendered_by: String,
}

/// Audio as stored and served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAudio {
    /// `AudioKey::id`.
    pub id: String,
    pub key: AudioKey,
    pub content_type: String,
    /// SHA-256 of the bytes, hex: the strong `ETag`.
    pub digest: String,
    pub bytes: Vec<u8>,
    pub provenance: AudioProvenance,
}

/// Rendered audio (MongoDB GridFS).
#[async_trait]
pub trait AudioStore: Send + Sync {
    async fn get(&self, id: &str) -> Result<Option<StoredAudio>, StoreError>;
    /// Stores the audio unless audio with its id exists (a rerun keeps the first).
    async fn put(&self, audio: &StoredAudio) -> Result<(), StoreError>;
    /// Which of `ids` are stored, in one query.
    async fn existing(&self, ids: &[String]) -> Result<HashSet<String>, StoreError>;
}
