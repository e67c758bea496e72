//! The dictionary domain's [`ImportFiles`] port on the local file system: facts about a path
//! (canonicalised, so links and `..` cannot hide where it leads) and uploads written into the
//! configured upload directory under fresh names.

use async_trait::async_trait;
use lingo_dictionary::ports::StoreError;
use lingo_dictionary::request_import::{FileFacts, ImportFiles, UploadFile};
use std::path::{Path, PathBuf};
use tokio::io::AsyncWriteExt;

#[derive(Debug, Clone)]
pub struct LocalImportFiles {
    upload_dir: PathBuf,
}

impl LocalImportFiles {
    /// Uploads go to `upload_dir` (created when first needed); it must be shared with the
    /// workers that run the imports.
    pub fn new(upload_dir: impl Into<PathBuf>) -> Self {
        Self {
            upload_dir: upload_dir.into(),
        }
    }
}

fn storage(e: std::io::Error) -> StoreError {
    StoreError::Unavailable(e.to_string())
}

#[async_trait]
impl ImportFiles for LocalImportFiles {
    fn inspect(&self, path: &str) -> Option<FileFacts> {
        let canonical = std::fs::canonicalize(path).ok()?;
        let meta = std::fs::metadata(&canonical).ok()?;
        let modified_secs = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_secs());
        Some(FileFacts {
            canonical,
            len: meta.len(),
            modified_secs,
        })
    }

    async fn create_upload(&self, extension: &str) -> Result<Box<dyn UploadFile>, StoreError> {
        tokio::fs::create_dir_all(&self.upload_dir)
            .await
            .map_err(storage)?;
        let path = self
            .upload_dir
            .join(format!("{}.{extension}", uuid::Uuid::now_v7()));
        let file = tokio::fs::File::create(&path).await.map_err(storage)?;
        Ok(Box::new(LocalUpload {
            path,
            file: Some(file),
            kept: false,
        }))
    }
}

/// A file being written. Unless finished, it is removed when dropped: a request that breaks off
/// mid-body (the client goes, the request times out, the server shuts down) drops the handler's
/// future without calling `discard`, and must not leave a partial file behind.
struct LocalUpload {
    path: PathBuf,
    file: Option<tokio::fs::File>,
    kept: bool,
}

fn closed() -> StoreError {
    StoreError::Unavailable("the upload was already closed".into())
}

#[async_trait]
impl UploadFile for LocalUpload {
    async fn write(&mut self, chunk: &[u8]) -> Result<(), StoreError> {
        let file = self.file.as_mut().ok_or_else(closed)?;
        file.write_all(chunk).await.map_err(storage)
    }

    async fn finish(mut self: Box<Self>) -> Result<String, StoreError> {
        let mut file = self.file.take().ok_or_else(closed)?;
        file.flush().await.map_err(storage)?;
        file.sync_all().await.map_err(storage)?;
        self.kept = true;
        Ok(self.path.to_string_lossy().into_owned())
    }

    async fn discard(self: Box<Self>) {
        // Dropping removes the file.
    }
}

impl Drop for LocalUpload {
    fn drop(&mut self) {
        if self.kept {
            return;
        }
        self.file.take();
        remove(&self.path);
    }
}

fn remove(path: &Path) {
    if let Err(e) = std::fs::remove_file(path)
        && e.kind() != std::io::ErrorKind::NotFound
    {
        tracing::warn!(path = %path.display(), error = %e, "upload not removed");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn an_upload_is_written_then_kept_or_discarded() {
        let dir = std::env::temp_dir().join(format!("lingo-upload-{}", uuid::Uuid::now_v7()));
        let files = LocalImportFiles::new(&dir);
        let mut upload = files.create_upload("csv").await.expect("created");
        upload.write(b"word,translation\n").await.expect("written");
        let path = upload.finish().await.expect("finished");
        assert_eq!(
            std::fs::read(&path).expect("readable"),
            b"word,translation\n"
        );
        let facts = files.inspect(&path).expect("facts");
        assert_eq!(facts.len, 17);

        let discarded = files.create_upload("csv").await.expect("created");
        discarded.discard().await;
        assert_eq!(std::fs::read_dir(&dir).expect("dir").count(), 1);

        // An upload abandoned mid-body (its future dropped, no `discard`) leaves nothing.
        let mut abandoned = files.create_upload("csv").await.expect("created");
        abandoned.write(b"word,transl").await.expect("written");
        drop(abandoned);
        assert_eq!(std::fs::read_dir(&dir).expect("dir").count(), 1);
        std::fs::remove_dir_all(&dir).expect("cleaned up");
    }

    #[test]
    fn a_missing_path_has_no_facts() {
        assert!(
            LocalImportFiles::new("/tmp")
                .inspect("/no/such/file")
                .is_none()
        );
    }
}
