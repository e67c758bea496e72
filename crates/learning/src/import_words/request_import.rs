//! A learner uploads a file into one of their decks: the deck is checked first, the body is
//! written chunk by chunk into the shared upload directory within the size limit, and the
//! finished file becomes a `learning.import_words` job the learner can follow.

use crate::import_words::{ImportWords, WordListFormat};
use crate::ports::{DeckStore, LearningStoreError};
use lingo_dictionary::ports::StoreError;
use lingo_dictionary::request_import::{ImportFiles, UploadFile};
use lingo_kernel::jobs::{JobId, JobQueue, NewJob, QueueError};
use lingo_kernel::{DeckId, LanguageCode, UserId};
use std::sync::Arc;

/// A zip (an Anki package) starts with a local file header.
const ZIP_MAGIC: &[u8; 4] = b"PK\x03\x04";

#[derive(Debug, thiserror::Error)]
pub enum LearnerImportError {
    #[error("no such deck")]
    DeckNotFound,
    #[error("uploads are limited to {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("the uploaded file is empty")]
    Empty,
    #[error("an Anki package is a zip file (.apkg); this upload is not one")]
    NotAnkiPackage,
    #[error("upload storage: {0}")]
    Storage(#[from] StoreError),
    #[error(transparent)]
    Store(LearningStoreError),
    #[error(transparent)]
    Queue(#[from] QueueError),
}

impl From<LearningStoreError> for LearnerImportError {
    fn from(e: LearningStoreError) -> Self {
        match e {
            LearningStoreError::NotFound => Self::DeckNotFound,
            other => Self::Store(other),
        }
    }
}

#[derive(Clone)]
pub struct LearnerImportRequests {
    files: Arc<dyn ImportFiles>,
    decks: Arc<dyn DeckStore>,
    queue: Arc<dyn JobQueue>,
    limit_bytes: u64,
}

impl LearnerImportRequests {
    pub fn new(
        files: Arc<dyn ImportFiles>,
        decks: Arc<dyn DeckStore>,
        queue: Arc<dyn JobQueue>,
        limit_bytes: u64,
    ) -> Self {
        Self {
            files,
            decks,
            queue,
            limit_bytes,
        }
    }

    pub fn limit_bytes(&self) -> u64 {
        self.limit_bytes
    }

    /// Starts an upload into the learner's deck (`DeckNotFound` for another learner's deck);
    /// the caller writes the body into it and finishes it, which enqueues the import.
    pub async fn start_upload(
        &self,
        learner: UserId,
        deck: DeckId,
        format: WordListFormat,
        language: LanguageCode,
    ) -> Result<LearnerUpload<'_>, LearnerImportError> {
        self.decks.get(learner, deck).await?;
        let file = self.files.create_upload(format.as_str()).await?;
        Ok(LearnerUpload {
            service: self,
            job: ImportWords {
                learner,
                deck,
                format,
                language,
                path: String::new(),
            },
            file: Some(file),
            head: Vec::with_capacity(ZIP_MAGIC.len()),
            written: 0,
        })
    }
}

/// An upload in progress.
pub struct LearnerUpload<'a> {
    service: &'a LearnerImportRequests,
    job: ImportWords,
    file: Option<Box<dyn UploadFile>>,
    /// The first bytes, to tell a zip from anything else before a job is made.
    head: Vec<u8>,
    written: u64,
}

impl LearnerUpload<'_> {
    /// Appends a chunk; past the limit the file is removed and the upload fails.
    pub async fn write(&mut self, chunk: &[u8]) -> Result<(), LearnerImportError> {
        self.written += chunk.len() as u64;
        let room = ZIP_MAGIC.len().saturating_sub(self.head.len());
        self.head.extend_from_slice(&chunk[..room.min(chunk.len())]);
        if self.written > self.service.limit_bytes {
            self.abort().await;
            return Err(LearnerImportError::TooLarge {
                limit: self.service.limit_bytes,
            });
        }
        let Some(file) = self.file.as_mut() else {
            return Err(LearnerImportError::Storage(StoreError::Unavailable(
                "the upload was already closed".into(),
            )));
        };
        if let Err(e) = file.write(chunk).await {
            self.abort().await;
            return Err(e.into());
        }
        Ok(())
    }

    /// Closes the file and enqueues its import; an empty upload, or a package that is no zip,
    /// is refused and removed.
    pub async fn finish(mut self) -> Result<JobId, LearnerImportError> {
        let Some(file) = self.file.take() else {
            return Err(LearnerImportError::Empty);
        };
        if self.written == 0 {
            file.discard().await;
            return Err(LearnerImportError::Empty);
        }
        if self.job.format == WordListFormat::Apkg && self.head.as_slice() != ZIP_MAGIC {
            file.discard().await;
            return Err(LearnerImportError::NotAnkiPackage);
        }
        self.job.path = file.finish().await?;
        let job = NewJob::of(&self.job)
            .map_err(|e| QueueError::Encoding(e.to_string()))?
            .with_id(JobId::new())
            .owned_by(self.job.learner);
        let id = job.id;
        self.service.queue.enqueue(job).await?;
        Ok(id)
    }

    /// Gives up (the request broke off): removes what was written.
    pub async fn abort(&mut self) {
        if let Some(file) = self.file.take() {
            file.discard().await;
        }
    }
}
