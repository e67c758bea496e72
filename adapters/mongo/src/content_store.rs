//! Learner content versions in MongoDB (`learner_content`): one document per version, `_id`
//! `{key}|v{version}`, so storing a version twice (a rerun) is refused by the server and ignored.

use crate::MongoStore;
use crate::bounded::{Bounds, within};
use crate::entry_store::unavailable;
use crate::indexes::collections;
use async_trait::async_trait;
use lingo_content::ContentKey;
use lingo_content::ports::{ContentStore, ContentVersion};
use lingo_dictionary::ports::StoreError;
use mongodb::bson::{self, Document, doc};
use mongodb::error::{ErrorKind, WriteFailure};
use mongodb::{Collection, Database};

const DUPLICATE_KEY: i32 = 11000;

#[derive(Clone)]
pub struct MongoContentStore {
    database: Database,
    bounds: Bounds,
}

impl MongoContentStore {
    pub fn new(store: &MongoStore) -> Self {
        Self {
            database: store.database().clone(),
            bounds: store.bounds(),
        }
    }

    fn collection(&self) -> Collection<Document> {
        self.database.collection(collections::LEARNER_CONTENT)
    }
}

#[async_trait]
impl ContentStore for MongoContentStore {
    async fn latest(&self, key: &ContentKey) -> Result<Option<ContentVersion>, StoreError> {
        let find = async {
            self.collection()
                .find_one(doc! { "key_id": key.id() })
                .sort(doc! { "version": -1 })
                .await
                .map_err(unavailable)
        };
        let found = within(self.bounds.operation, "reading content", find).await?;
        let Some(mut document) = found else {
            return Ok(None);
        };
        let id = document
            .remove("_id")
            .map_or_else(|| "(no _id)".to_owned(), |id| id.to_string());
        document.remove("key_id");
        bson::from_document(document)
            .map(Some)
            .map_err(|e| StoreError::Corrupt(format!("learner content {id}: {e}")))
    }

    /// One query for a whole study session's words.
    async fn latest_of(
        &self,
        keys: &[ContentKey],
    ) -> Result<std::collections::HashMap<String, ContentVersion>, StoreError> {
        let ids: Vec<String> = keys.iter().map(ContentKey::id).collect();
        let mut cursor = self
            .collection()
            .find(doc! { "key_id": { "$in": &ids } })
            .sort(doc! { "key_id": 1, "version": -1 })
            .await
            .map_err(unavailable)?;
        let mut found = std::collections::HashMap::new();
        while cursor.advance().await.map_err(unavailable)? {
            let mut document: Document = cursor.deserialize_current().map_err(unavailable)?;
            let Ok(key_id) = document.get_str("key_id").map(str::to_owned) else {
                continue;
            };
            if found.contains_key(&key_id) {
                continue;
            }
            document.remove("_id");
            document.remove("key_id");
            match bson::from_document::<ContentVersion>(document) {
                Ok(version) => {
                    found.insert(key_id, version);
                }
                Err(e) => {
                    tracing::warn!(key = %key_id, error = %e, "learner content does not decode")
                }
            }
        }
        Ok(found)
    }

    async fn put(&self, version: &ContentVersion) -> Result<(), StoreError> {
        let key_id = version.key.id();
        let mut document =
            doc! { "_id": format!("{key_id}|v{}", version.version), "key_id": &key_id };
        document.extend(bson::to_document(version).map_err(|e| {
            StoreError::Unavailable(format!("cannot encode learner content {key_id}: {e}"))
        })?);
        let insert = async {
            match self.collection().insert_one(document).await {
                Ok(_) => Ok(()),
                Err(e) if matches!(&*e.kind, ErrorKind::Write(WriteFailure::WriteError(w)) if w.code == DUPLICATE_KEY) => {
                    Ok(())
                }
                Err(e) => Err(unavailable(e)),
            }
        };
        within(self.bounds.operation, "storing content", insert).await
    }
}
