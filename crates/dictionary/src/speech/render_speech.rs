//! The `speech.render` job (the worker speaks and stores), the audio route's read and the
//! requests that enqueue renders. Rendering is idempotent: the audio's id and the job's id are
//! fixed by the key, and a rerun finds the stored audio.

use super::audio_key::{AudioKey, SpeechText, Voice, is_audio_id};
use super::ports::{AudioProvenance, AudioStore, SpeechError, SpeechSynthesizer, StoredAudio};
use crate::ports::StoreError;
use lingo_kernel::jobs::{Job, JobError, JobId, JobQueue, NewJob};
use lingo_kernel::{Clock, LanguageCode};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// Render one piece of audio.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RenderSpeech {
    pub key: AudioKey,
}

impl Job for RenderSpeech {
    const NAME: &'static str = "speech.render";
    const MAX_ATTEMPTS: u32 = 4;
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rendered {
    pub id: String,
    pub bytes: usize,
    pub content_type: String,
    /// The audio was stored already (a rerun or a duplicate).
    pub already_existed: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum AudioError {
    #[error("no audio with this id")]
    NotFound,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The voice of the configured engine per language (`None`: it cannot speak the language).
pub type VoiceFor = Arc<dyn Fn(&LanguageCode) -> Option<Voice> + Send + Sync>;

pub struct PronunciationService {
    store: Arc<dyn AudioStore>,
    /// Only the worker speaks; the api reads and enqueues.
    synthesizer: Option<Arc<dyn SpeechSynthesizer>>,
    queue: Arc<dyn JobQueue>,
    /// The voice per language of the configured engine (decided once, at start).
    voices: VoiceFor,
    clock: Arc<dyn Clock>,
    /// Audio served recently: an id names one rendering forever, so a copy never goes stale.
    served: std::sync::Mutex<ServedAudio>,
}

/// Bytes of audio kept in memory by the audio route (a few thousand words).
const SERVED_CACHE_BYTES: usize = 32 * 1024 * 1024;

#[derive(Default)]
struct ServedAudio {
    by_id: std::collections::HashMap<String, Arc<StoredAudio>>,
    bytes: usize,
}

impl ServedAudio {
    fn keep(&mut self, audio: Arc<StoredAudio>) {
        let size = audio.bytes.len();
        if size > SERVED_CACHE_BYTES / 64 {
            return;
        }
        // Full: forget everything (simple, and the store refills it with what is asked for).
        if self.bytes + size > SERVED_CACHE_BYTES {
            self.by_id.clear();
            self.bytes = 0;
        }
        if self.by_id.insert(audio.id.clone(), audio).is_none() {
            self.bytes += size;
        }
    }
}

fn retryable(e: StoreError) -> JobError {
    JobError::Retryable(e.to_string())
}

pub fn digest(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl PronunciationService {
    pub fn new(
        store: Arc<dyn AudioStore>,
        synthesizer: Option<Arc<dyn SpeechSynthesizer>>,
        queue: Arc<dyn JobQueue>,
        voices: VoiceFor,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            store,
            synthesizer,
            queue,
            voices,
            clock,
            served: std::sync::Mutex::default(),
        }
    }

    /// The key of `text` in `language` with the configured voice; `None` when the engine has
    /// no voice for the language or the text cannot be spoken.
    pub fn key_for(&self, language: &LanguageCode, text: &str) -> Option<AudioKey> {
        let voice = (self.voices)(language)?;
        let text = SpeechText::parse(text).ok()?;
        Some(AudioKey {
            language: language.clone(),
            text,
            voice,
        })
    }

    /// The audio route: the stored audio of `id` (from memory when served recently).
    pub async fn audio(&self, id: &str) -> Result<Arc<StoredAudio>, AudioError> {
        if !is_audio_id(id) {
            return Err(AudioError::NotFound);
        }
        if let Some(audio) = self.served().by_id.get(id) {
            return Ok(audio.clone());
        }
        let audio = Arc::new(self.store.get(id).await?.ok_or(AudioError::NotFound)?);
        self.served().keep(audio.clone());
        Ok(audio)
    }

    fn served(&self) -> std::sync::MutexGuard<'_, ServedAudio> {
        self.served.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Of `keys`, the ids whose audio is stored (one store query).
    pub async fn rendered(
        &self,
        keys: &[AudioKey],
    ) -> Result<std::collections::HashSet<String>, StoreError> {
        let ids: Vec<String> = keys.iter().map(AudioKey::id).collect();
        if ids.is_empty() {
            return Ok(Default::default());
        }
        self.store.existing(&ids).await
    }

    /// Enqueues the render of each key not stored yet (best-effort: failures are logged).
    pub async fn request(&self, keys: &[AudioKey]) -> usize {
        let stored = match self.rendered(keys).await {
            Ok(stored) => stored,
            Err(e) => {
                tracing::warn!(error = %e, "audio store unavailable; renders not requested");
                return 0;
            }
        };
        let missing: Vec<AudioKey> = keys
            .iter()
            .filter(|k| !stored.contains(&k.id()))
            .cloned()
            .collect();
        self.enqueue_renders(&missing).await
    }

    /// Enqueues the render of each key, for callers that have just found them missing with
    /// `rendered` (a no-op for a key whose job is still queued: the job id is the audio's).
    pub async fn enqueue_renders(&self, keys: &[AudioKey]) -> usize {
        let mut enqueued = 0;
        for key in keys {
            let job = RenderSpeech { key: key.clone() };
            let Ok(job) = NewJob::of(&job) else { continue };
            match self.queue.enqueue(job.with_id(key.job_id())).await {
                Ok(_) => enqueued += 1,
                Err(e) => tracing::warn!(error = %e, "speech.render not enqueued"),
            }
        }
        enqueued
    }

    /// The `speech.render` job.
    #[tracing::instrument(skip(self, job), fields(audio = %job.key.id()))]
    pub async fn render(&self, job_id: JobId, job: &RenderSpeech) -> Result<Rendered, JobError> {
        let id = job.key.id();
        if let Some(stored) = self.store.get(&id).await.map_err(retryable)? {
            return Ok(Rendered {
                id,
                bytes: stored.bytes.len(),
                content_type: stored.content_type,
                already_existed: true,
            });
        }
        let Some(synthesizer) = &self.synthesizer else {
            return Err(JobError::Retryable(
                "no speech engine in this process".into(),
            ));
        };
        let speech = synthesizer
            .synthesize(&job.key)
            .await
            .map_err(|e| match e {
                SpeechError::Unavailable(_) => JobError::Retryable(e.to_string()),
                SpeechError::Unsupported(_) | SpeechError::Rejected(_) => {
                    JobError::Permanent(e.to_string())
                }
            })?;
        if speech.bytes.is_empty() {
            return Err(JobError::Permanent("the engine produced no audio".into()));
        }
        let audio = StoredAudio {
            id: id.clone(),
            key: job.key.clone(),
            content_type: speech.content_type.clone(),
            digest: digest(&speech.bytes),
            bytes: speech.bytes,
            provenance: AudioProvenance {
                engine: synthesizer.engine(),
                created_at: self.clock.now(),
                rendered_by: format!("job:{job_id}"),
            },
        };
        self.store.put(&audio).await.map_err(retryable)?;
        Ok(Rendered {
            id,
            bytes: audio.bytes.len(),
            content_type: audio.content_type,
            already_existed: false,
        })
    }
}
