//! An administrator asks for a bulk import: of a file already on the server, inside the
//! directories the configuration allows, or of a file uploaded with the request. The path rule
//! and the job's identity (the same file twice is one job) are decided here; the file system is
//! behind the [`ImportFiles`] port.

use crate::import::{ImportDictionary, ImportFormat, ImportSpec};
use crate::ports::StoreError;
use async_trait::async_trait;
use lingo_kernel::jobs::{Enqueued, JobId, JobQueue, NewJob, QueueError};
use lingo_kernel::{Caller, Forbidden};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What the file system says of a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileFacts {
    /// With symbolic links and `..` resolved.
    pub canonical: PathBuf,
    pub len: u64,
    /// Seconds since the Unix epoch (0 when the system does not say).
    pub modified_secs: u64,
}

/// A file being uploaded.
#[async_trait]
pub trait UploadFile: Send {
    async fn write(&mut self, chunk: &[u8]) -> Result<(), StoreError>;
    /// Flushes the file and returns its path.
    async fn finish(self: Box<Self>) -> Result<String, StoreError>;
    /// Removes what was written.
    async fn discard(self: Box<Self>);
}

/// Files the import reads, on the machine that runs it.
#[async_trait]
pub trait ImportFiles: Send + Sync {
    /// `None` when `path` does not exist or cannot be read.
    fn inspect(&self, path: &str) -> Option<FileFacts>;
    /// A new, uniquely named file in the upload directory, ending in `.extension`.
    async fn create_upload(&self, extension: &str) -> Result<Box<dyn UploadFile>, StoreError>;
}

#[derive(Debug, thiserror::Error)]
pub enum ImportRequestError {
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    #[error("'{0}' does not exist or cannot be read")]
    Missing(String),
    #[error("'{0}' is outside the directories imports may read (LINGO_IMPORT_ROOTS)")]
    NotAllowed(String),
    #[error("uploads take kaikki, csv or tsv; import dictd and wordnet from a server path")]
    NotUploadable,
    #[error("uploads are limited to {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("the uploaded file is empty")]
    Empty,
    #[error("upload storage: {0}")]
    Storage(#[from] StoreError),
    #[error(transparent)]
    Queue(#[from] QueueError),
}

pub struct ImportRequestService {
    files: Arc<dyn ImportFiles>,
    queue: Arc<dyn JobQueue>,
    /// Server-side directories imports may read.
    roots: Vec<String>,
    upload_limit_bytes: u64,
}

impl ImportRequestService {
    pub fn new(
        files: Arc<dyn ImportFiles>,
        queue: Arc<dyn JobQueue>,
        roots: Vec<String>,
        upload_limit_bytes: u64,
    ) -> Self {
        Self {
            files,
            queue,
            roots,
            upload_limit_bytes,
        }
    }

    /// The canonical form of `path` if it lies inside one of the import roots; links and `..`
    /// are resolved first, so they cannot lead outside.
    pub fn allowed_path(&self, path: &str) -> Result<PathBuf, ImportRequestError> {
        let facts = self
            .files
            .inspect(path)
            .ok_or_else(|| ImportRequestError::Missing(path.into()))?;
        let inside = self
            .roots
            .iter()
            .filter_map(|root| self.files.inspect(root))
            .any(|root| is_inside(&facts.canonical, &root.canonical));
        if inside {
            Ok(facts.canonical)
        } else {
            Err(ImportRequestError::NotAllowed(path.into()))
        }
    }

    /// Imports a file already on the server (administrators only); `spec.path` is the path as
    /// given. Returns the job, which is the same for the same file.
    pub async fn import_path(
        &self,
        caller: Caller,
        mut spec: ImportSpec,
    ) -> Result<JobId, ImportRequestError> {
        caller.require_admin()?;
        spec.path = self
            .allowed_path(&spec.path)?
            .to_string_lossy()
            .into_owned();
        self.enqueue(caller, spec).await
    }

    /// Imports a file named by an operator on the server itself (`lingo-admin`): no import-root
    /// rule, the path is canonicalised. Says whether the job is new or was there already.
    pub async fn import_as_operator(
        &self,
        mut spec: ImportSpec,
    ) -> Result<(JobId, Enqueued), ImportRequestError> {
        let facts = self
            .files
            .inspect(&spec.path)
            .ok_or_else(|| ImportRequestError::Missing(spec.path.clone()))?;
        spec.path = facts.canonical.to_string_lossy().into_owned();
        let job = import_job(&spec, &facts)?;
        let id = job.id;
        Ok((id, self.queue.enqueue(job).await?))
    }

    /// Starts an upload of a single-file format (administrators only); the caller writes the
    /// body into it and finishes it, which enqueues the import.
    pub async fn start_upload(
        &self,
        caller: Caller,
        spec: ImportSpec,
    ) -> Result<Upload<'_>, ImportRequestError> {
        caller.require_admin()?;
        let extension = match spec.format {
            ImportFormat::Kaikki => "jsonl",
            ImportFormat::Csv => "csv",
            ImportFormat::Tsv => "tsv",
            _ => return Err(ImportRequestError::NotUploadable),
        };
        let file = self.files.create_upload(extension).await?;
        Ok(Upload {
            service: self,
            caller,
            spec,
            file: Some(file),
            written: 0,
        })
    }

    async fn enqueue(&self, caller: Caller, spec: ImportSpec) -> Result<JobId, ImportRequestError> {
        let facts = self
            .files
            .inspect(&spec.path)
            .ok_or_else(|| ImportRequestError::Missing(spec.path.clone()))?;
        let job = import_job(&spec, &facts)?.owned_by(caller.user);
        let id = job.id;
        self.queue.enqueue(job).await?;
        Ok(id)
    }
}

/// An upload in progress: written chunk by chunk, within the size limit.
pub struct Upload<'a> {
    service: &'a ImportRequestService,
    caller: Caller,
    spec: ImportSpec,
    file: Option<Box<dyn UploadFile>>,
    written: u64,
}

impl Upload<'_> {
    /// Appends a chunk; past the limit the file is removed and the upload fails.
    pub async fn write(&mut self, chunk: &[u8]) -> Result<(), ImportRequestError> {
        self.written += chunk.len() as u64;
        let Some(file) = self.file.as_mut() else {
            return Err(ImportRequestError::Storage(StoreError::Unavailable(
                "the upload was already closed".into(),
            )));
        };
        if self.written > self.service.upload_limit_bytes {
            if let Some(file) = self.file.take() {
                file.discard().await;
            }
            return Err(ImportRequestError::TooLarge {
                limit: self.service.upload_limit_bytes,
            });
        }
        if let Err(e) = file.write(chunk).await {
            self.abort().await;
            return Err(e.into());
        }
        Ok(())
    }

    /// Closes the file and enqueues its import; an empty upload is refused and removed.
    pub async fn finish(mut self) -> Result<JobId, ImportRequestError> {
        let Some(file) = self.file.take() else {
            return Err(ImportRequestError::Empty);
        };
        if self.written == 0 {
            file.discard().await;
            return Err(ImportRequestError::Empty);
        }
        self.spec.path = file.finish().await?;
        let spec = self.spec.clone();
        self.service.enqueue(self.caller, spec).await
    }

    /// Gives up (the request broke off): removes what was written.
    pub async fn abort(&mut self) {
        if let Some(file) = self.file.take() {
            file.discard().await;
        }
    }
}

fn is_inside(path: &Path, root: &Path) -> bool {
    path.starts_with(root)
}

/// The import job for `spec`, with an id fixed by what is imported (source, file, size and
/// modification time): asking twice for the same import enqueues it once.
pub fn import_job(spec: &ImportSpec, facts: &FileFacts) -> Result<NewJob, QueueError> {
    let fingerprint = format!(
        "dictionary.import|{}|{}|{:?}|{}|{}|{}",
        spec.source, spec.path, spec.format, spec.language, facts.len, facts.modified_secs
    );
    let id = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, fingerprint.as_bytes());
    Ok(NewJob::of(&ImportDictionary { spec: spec.clone() })
        .map_err(|e| QueueError::Encoding(e.to_string()))?
        .with_id(JobId::from_uuid(id)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SourceId;
    use lingo_kernel::LanguageCode;

    fn spec(path: &str) -> ImportSpec {
        ImportSpec {
            format: ImportFormat::Csv,
            path: path.into(),
            source: SourceId::parse("test-words").expect("valid"),
            licence: "CC0".into(),
            language: LanguageCode::english(),
            translation_language: None,
        }
    }

    fn facts(len: u64) -> FileFacts {
        FileFacts {
            canonical: "/data/a.csv".into(),
            len,
            modified_secs: 10,
        }
    }

    #[test]
    fn the_same_file_is_the_same_job_and_a_changed_one_is_another() {
        let a = import_job(&spec("/data/a.csv"), &facts(5)).expect("job");
        let again = import_job(&spec("/data/a.csv"), &facts(5)).expect("job");
        let grown = import_job(&spec("/data/a.csv"), &facts(6)).expect("job");
        assert_eq!(a.id, again.id);
        assert_ne!(a.id, grown.id);
    }

    #[test]
    fn a_root_contains_only_its_own_subtree() {
        assert!(is_inside(Path::new("/data/x/a.csv"), Path::new("/data")));
        assert!(!is_inside(Path::new("/database/a.csv"), Path::new("/data")));
    }
}
