//! Rendered pronunciation audio in GridFS (bucket `audio`: `audio.files` and `audio.chunks`).
//! The file's `_id` is the audio id (`AudioKey::id`); its `metadata` holds the key, the content
//! type, the SHA-256 digest and the provenance. Reads check the digest, so a corrupted or
//! half-written file is an error, never served.

use crate::MongoStore;
use crate::bounded::{Bounds, within};
use crate::entry_store::unavailable;
use async_trait::async_trait;
use futures_util::io::{AsyncReadExt, AsyncWriteExt};
use lingo_dictionary::ports::StoreError;
use lingo_dictionary::speech::render_speech::digest;
use lingo_dictionary::speech::{
    AudioKey, AudioProvenance, AudioStore, SpeechText, StoredAudio, Voice,
};
use lingo_kernel::LanguageCode;
use mongodb::bson::{Bson, Document, doc};
use mongodb::gridfs::GridFsBucket;
use mongodb::options::GridFsBucketOptions;
use mongodb::{Collection, Database};
use std::collections::HashSet;

pub const AUDIO_BUCKET: &str = "audio";
/// Stored audio larger than this is not read (no word's audio comes near).
const MAX_AUDIO_BYTES: u64 = 8 * 1024 * 1024;

#[derive(Clone)]
pub struct MongoAudioStore {
    database: Database,
    bounds: Bounds,
}

impl MongoAudioStore {
    pub fn new(store: &MongoStore) -> Self {
        Self {
            database: store.database().clone(),
            bounds: store.bounds(),
        }
    }

    fn bucket(&self) -> GridFsBucket {
        let options = GridFsBucketOptions::builder()
            .bucket_name(AUDIO_BUCKET.to_owned())
            .build();
        self.database.gridfs_bucket(options)
    }

    fn files(&self) -> Collection<Document> {
        self.database.collection(&format!("{AUDIO_BUCKET}.files"))
    }
}

fn corrupt(id: &str, what: &str) -> StoreError {
    StoreError::Corrupt(format!("audio {id}: {what}"))
}

fn decode(id: &str, metadata: &Document, bytes: Vec<u8>) -> Result<StoredAudio, StoreError> {
    let text = |field: &str| {
        metadata
            .get_str(field)
            .map_err(|_| corrupt(id, &format!("no {field}")))
    };
    let key = AudioKey {
        language: LanguageCode::parse(text("language")?)
            .map_err(|e| corrupt(id, &e.to_string()))?,
        text: SpeechText::parse(text("text")?).map_err(|e| corrupt(id, &e.to_string()))?,
        voice: Voice::parse(text("voice")?).map_err(|e| corrupt(id, &e.to_string()))?,
    };
    if key.id() != id {
        return Err(corrupt(id, "the key does not match the id"));
    }
    let expected = text("digest")?;
    if digest(&bytes) != expected {
        return Err(corrupt(id, "the bytes do not match their digest"));
    }
    let created_at = chrono::DateTime::parse_from_rfc3339(text("created_at")?)
        .map_err(|_| corrupt(id, "created_at is not a time"))?
        .with_timezone(&chrono::Utc);
    Ok(StoredAudio {
        id: id.to_owned(),
        key,
        content_type: text("content_type")?.to_owned(),
        digest: expected.to_owned(),
        bytes,
        provenance: AudioProvenance {
            engine: text("engine")?.to_owned(),
            created_at,
            rendered_by: text("rendered_by")?.to_owned(),
        },
    })
}

#[async_trait]
impl AudioStore for MongoAudioStore {
    async fn get(&self, id: &str) -> Result<Option<StoredAudio>, StoreError> {
        let read = async {
            let Some(file) = self
                .bucket()
                .find_one(doc! { "_id": id })
                .await
                .map_err(unavailable)?
            else {
                return Ok(None);
            };
            if file.length > MAX_AUDIO_BYTES {
                return Err(corrupt(id, "larger than any audio we store"));
            }
            let metadata = file.metadata.unwrap_or_default();
            let mut stream = self
                .bucket()
                .open_download_stream(Bson::String(id.to_owned()))
                .await
                .map_err(unavailable)?;
            let mut bytes = Vec::with_capacity(file.length as usize);
            stream.read_to_end(&mut bytes).await.map_err(|e| {
                StoreError::Unavailable(format!("mongodb: reading audio {id}: {e}"))
            })?;
            decode(id, &metadata, bytes).map(Some)
        };
        within(self.bounds.operation, "reading audio", read).await
    }

    async fn put(&self, audio: &StoredAudio) -> Result<(), StoreError> {
        let metadata = doc! {
            "language": audio.key.language.as_str(),
            "text": audio.key.text.as_str(),
            "voice": audio.key.voice.as_str(),
            "content_type": &audio.content_type,
            "digest": &audio.digest,
            "engine": &audio.provenance.engine,
            "created_at": audio.provenance.created_at.to_rfc3339(),
            "rendered_by": &audio.provenance.rendered_by,
        };
        let write = async {
            let exists = self
                .files()
                .find_one(doc! { "_id": &audio.id })
                .await
                .map_err(unavailable)?
                .is_some();
            if exists {
                return Ok(());
            }
            let mut upload = self
                .bucket()
                .open_upload_stream(&audio.id)
                .id(Bson::String(audio.id.clone()))
                .metadata(metadata)
                .await
                .map_err(unavailable)?;
            let written = async {
                upload.write_all(&audio.bytes).await?;
                upload.close().await
            };
            match written.await {
                Ok(()) => Ok(()),
                Err(e) => {
                    // A concurrent render of the same key stored it first.
                    let text = e.to_string();
                    if text.contains("E11000") || text.contains("duplicate") {
                        Ok(())
                    } else {
                        Err(StoreError::Unavailable(format!(
                            "mongodb: writing audio: {text}"
                        )))
                    }
                }
            }
        };
        within(self.bounds.operation, "writing audio", write).await
    }

    async fn existing(&self, ids: &[String]) -> Result<HashSet<String>, StoreError> {
        let find = async {
            let mut cursor = self
                .files()
                .find(doc! { "_id": { "$in": ids } })
                .projection(doc! { "_id": 1 })
                .await
                .map_err(unavailable)?;
            let mut found = HashSet::new();
            while cursor.advance().await.map_err(unavailable)? {
                let document: Document = cursor.deserialize_current().map_err(unavailable)?;
                if let Ok(id) = document.get_str("_id") {
                    found.insert(id.to_owned());
                }
            }
            Ok(found)
        };
        within(self.bounds.operation, "listing audio", find).await
    }
}
