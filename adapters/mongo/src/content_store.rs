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
