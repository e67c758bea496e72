//! The version of the content written for learners of one native language, kept in the shared
//! cache beside the dictionary's lookup versions: changed after every stored generation, so the
//! card backs kept in-process on every replica (`card_backs`) stop being served at the next
//! session. Read once per session (one round trip), not polled: content generated a moment ago
//! shows on the next session, whichever replica answers it.

use async_trait::async_trait;
use lingo_kernel::LanguageCode;
use lingo_kernel::cache::Cache;
use std::sync::Arc;
use std::time::Duration;

/// The key of the content version of `native`.
pub fn version_key(native: &LanguageCode) -> String {
    format!("content:v1:version:{native}")
}

/// How long a version key lives: far longer than any in-process copy.
pub const VERSION_TTL: Duration = Duration::from_secs(30 * 86_400);

#[derive(Clone)]
pub struct ContentVersions {
    cache: Arc<dyn Cache>,
}

impl ContentVersions {
    pub fn new(cache: Arc<dyn Cache>) -> Self {
        Self { cache }
    }

    /// The current version; empty when none was ever set, and a value nothing carries when
    /// the cache is down (so nothing in-process is served).
    pub async fn current(&self, native: &LanguageCode) -> String {
        match self.cache.get(&version_key(native)).await {
            Ok(bytes) => bytes
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default(),
            Err(e) => {
                tracing::warn!(error = %e, "content version unavailable");
                format!("unavailable-{}", uuid::Uuid::new_v4())
            }
        }
    }

    /// Announces new content for `native`: called after it is stored, so a replica that reads
    /// the new version also reads the new content. Best effort: an outage leaves in-process
    /// backs until their time to live.
    pub async fn bump(&self, native: &LanguageCode) {
        let version = uuid::Uuid::new_v4().to_string();
        if let Err(e) = self
            .cache
            .set(&version_key(native), version.as_bytes(), VERSION_TTL)
            .await
        {
            tracing::warn!(error = %e, "content version bump failed");
        }
    }
}

/// The version of the dictionary entries of a language (the lookup version, which every
/// import, reconciliation and repair changes).
#[async_trait]
pub trait EntryVersions: Send + Sync {
    async fn version(&self, language: &LanguageCode) -> String;
}

#[async_trait]
impl EntryVersions for lingo_dictionary::lookup::LookupService {
    async fn version(&self, language: &LanguageCode) -> String {
        lingo_dictionary::lookup::LookupService::version(self, language).await
    }
}
